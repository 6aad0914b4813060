package org.jvirt.bench;

import java.util.concurrent.TimeUnit;

import org.jvirt.api.Domain;
import org.libvirt.LibvirtException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * defineXML(small inactive domain) + undefine(), same XML text on both sides. Target: jvirt at
 * least 5x faster than libvirt-java. Five warm-up iterations: the XML parser and formatter take
 * longer to reach steady state than the other paths.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DefineUndefineBench {

    static final String XML = Sides.smallDomainXml("bench-define");

    @Benchmark
    public Domain jvirt(Sides.Jvirt s) {
        Domain d = s.conn.defineXML(XML);
        d.undefine();
        return d;
    }

    @Benchmark
    public int libvirtJava(Sides.LibvirtJava s) throws LibvirtException {
        org.libvirt.Domain d = s.conn.domainDefineXML(XML);
        try {
            d.undefine();
        } finally {
            d.free();
        }
        return 0;
    }
}
