package org.jvirt.bench;

import java.util.concurrent.TimeUnit;

import org.jvirt.api.Domain;
import org.libvirt.LibvirtException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * getXMLDesc(0) of the running canned domain "test", handle looked up once in setup. Target:
 * jvirt at least 2x faster than libvirt-java.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class XmlDescBench {

    @State(Scope.Benchmark)
    public static class JvirtDomain {
        Domain dom;

        @Setup(Level.Trial)
        public void lookup(Sides.Jvirt s) {
            dom = s.conn.lookupByName("test");
        }
    }

    @State(Scope.Benchmark)
    public static class LibvirtDomain {
        org.libvirt.Domain dom;

        @Setup(Level.Trial)
        public void lookup(Sides.LibvirtJava s) throws LibvirtException {
            dom = s.conn.domainLookupByName("test");
        }

        @TearDown(Level.Trial)
        public void free() throws LibvirtException {
            dom.free();
        }
    }

    @Benchmark
    public String jvirt(JvirtDomain d) {
        return d.dom.getXMLDesc();
    }

    @Benchmark
    public String libvirtJava(LibvirtDomain d) throws LibvirtException {
        return d.dom.getXMLDesc(0);
    }
}
