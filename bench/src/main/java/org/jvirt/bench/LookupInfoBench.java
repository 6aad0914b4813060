package org.jvirt.bench;

import java.util.concurrent.TimeUnit;

import org.jvirt.api.DomainInfo;
import org.libvirt.LibvirtException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * lookupByName("test") + getInfo(). Target: jvirt at least 10x faster than libvirt-java and at
 * most 200 bytes allocated per operation (run with -prof gc: gc.alloc.rate.norm).
 * libvirt-java frees its domain handle explicitly, as a correct C caller would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LookupInfoBench {

    @Benchmark
    public DomainInfo jvirt(Sides.Jvirt s) {
        return s.conn.lookupByName("test").getInfo();
    }

    @Benchmark
    public org.libvirt.DomainInfo libvirtJava(Sides.LibvirtJava s) throws LibvirtException {
        org.libvirt.Domain d = s.conn.domainLookupByName("test");
        try {
            return d.getInfo();
        } finally {
            d.free();
        }
    }
}
