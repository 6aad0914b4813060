package org.jvirt.bench;

import java.util.concurrent.TimeUnit;

import org.jvirt.api.Connect;
import org.libvirt.LibvirtException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Connect.open("test:///default") + close(). Target: jvirt at most 50 us.
 *
 * <p>By default both sides keep one other connection open for the whole trial: libvirt's
 * test:///default frees its shared state when its last connection closes, so without it every
 * libvirt open would rebuild the canned host from XML. The same is done for jvirt so both
 * measure open/close against an already-live shared state. {@code -p keepAlive=false} measures
 * the cold case (last connection closes every time) on both sides.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OpenCloseBench {

    @State(Scope.Benchmark)
    public static class JvirtKeepAlive {
        @Param({"true"})
        public boolean keepAlive;
        Connect other;

        @Setup(Level.Trial)
        public void open() {
            if (keepAlive) {
                other = Connect.open(Sides.URI);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (other != null) {
                other.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class LibvirtKeepAlive {
        @Param({"true"})
        public boolean keepAlive;
        org.libvirt.Connect other;

        @Setup(Level.Trial)
        public void open() throws LibvirtException {
            if (keepAlive) {
                other = new org.libvirt.Connect(Sides.URI);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws LibvirtException {
            if (other != null) {
                other.close();
            }
        }
    }

    @Benchmark
    public Connect jvirt(JvirtKeepAlive keep) {
        Connect c = Connect.open(Sides.URI);
        c.close();
        return c;
    }

    @Benchmark
    public org.libvirt.Connect libvirtJava(LibvirtKeepAlive keep) throws LibvirtException {
        org.libvirt.Connect c = new org.libvirt.Connect(Sides.URI);
        c.close();
        return c;
    }
}
