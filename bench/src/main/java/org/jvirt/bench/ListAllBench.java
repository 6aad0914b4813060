package org.jvirt.bench;

import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * listAllDomains(0) with 10,000 small inactive domains defined in setup (plus the canned
 * "test"): 10,001 domains. Target: jvirt at most 5 ms. libvirt-java frees every returned
 * handle, as a correct C caller (virsh list) does; jvirt handles need no freeing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ListAllBench {

    public static final int COUNT = 10_000;

    @State(Scope.Benchmark)
    public static class JvirtMany {
        @Setup(Level.Trial)
        public void define(Sides.Jvirt s) {
            for (String name : Sides.manyNames(COUNT)) {
                s.conn.defineXML(Sides.smallDomainXml(name));
            }
            int n = s.conn.listAllDomains().size();
            if (n != COUNT + 1) {
                throw new IllegalStateException("jvirt lists " + n + " domains, expected " + (COUNT + 1));
            }
        }
    }

    @State(Scope.Benchmark)
    public static class LibvirtMany {
        @Setup(Level.Trial)
        public void define(Sides.LibvirtJava s) throws LibvirtException {
            for (String name : Sides.manyNames(COUNT)) {
                s.conn.domainDefineXML(Sides.smallDomainXml(name)).free();
            }
            org.libvirt.Domain[] all = s.conn.listAllDomains(0);
            for (org.libvirt.Domain d : all) {
                d.free();
            }
            if (all.length != COUNT + 1) {
                throw new IllegalStateException("libvirt lists " + all.length + " domains, expected " + (COUNT + 1));
            }
        }
    }

    @Benchmark
    public List<Domain> jvirt(Sides.Jvirt s, JvirtMany many) {
        return s.conn.listAllDomains();
    }

    @Benchmark
    public int libvirtJava(Sides.LibvirtJava s, LibvirtMany many) throws LibvirtException {
        org.libvirt.Domain[] all = s.conn.listAllDomains(0);
        for (org.libvirt.Domain d : all) {
            d.free();
        }
        return all.length;
    }
}
