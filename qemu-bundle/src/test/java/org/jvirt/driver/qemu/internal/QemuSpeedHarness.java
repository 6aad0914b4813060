package org.jvirt.driver.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.VirtUri;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.OpenContext;

/**
 * A plain timing harness for the speed table, run on demand only:
 * {@code mvn -Djvirt.build.suffix=-qemu -pl qemu-bundle test -Dtest=QemuSpeedHarness -Djvirt.bench=true}.
 * Prints medians of start→running (TCG, no disk), destroy→shut off, warm open, and bare QEMU to
 * QMP-ready with the same command line, measured in the same run.
 */
class QemuSpeedHarness {
    @TempDir
    Path root;

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("jvirt.bench"), "set -Djvirt.bench=true to run");
        QemuTestSupport.requireQemu();
        int n = 20;
        QemuDriver driver = new QemuDriver();
        VirtUri uri = VirtUri.parse("qemu:///embed?root=" + root);
        DriverConnection c = driver.open(uri, new OpenContext(false, null, EventSink.NONE)).orElseThrow();
        try {
            long[] start = new long[n];
            long[] destroy = new long[n];
            long[] open = new long[n];
            long[] bare = new long[n];
            String xml = QemuTestSupport.noDiskXml("bench", "");
            // warm-up
            c.destroy(c.createXML(xml));
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                DomainRef d = c.createXML(xml);
                start[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                c.destroy(d);
                destroy[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                DriverConnection c2 = driver.open(uri, new OpenContext(false, null, EventSink.NONE)).orElseThrow();
                open[i] = System.nanoTime() - t0;
                c2.close();
            }
            List<String> argv = QemuConnection.nativeArgv(org.jvirt.xml.DomainXml.parse(xml,
                    new QemuXmlHooks(new org.jvirt.driver.qemu.internal.caps.QemuCapsCache(null), QemuConfig.fromUri(uri))),
                    root.resolve("run/qemu"));
            Path sock = Path.of(argv.get(argv.indexOf("-chardev") + 1).replaceAll(".*path=([^,]*),.*", "$1"));
            Files.createDirectories(sock.getParent());
            for (int i = 0; i < n; i++) {
                Files.deleteIfExists(sock);
                long t0 = System.nanoTime();
                QemuProcess p = QemuProcess.launch(argv, root.resolve("bare.log"), null);
                QemuMonitor m = QemuMonitor.open(sock, System.nanoTime() + 10_000_000_000L, p::isAlive, null);
                m.execute("cont", null);
                bare[i] = System.nanoTime() - t0;
                m.close();
                p.kill();
            }
            System.out.printf("[qemu-bench] n=%d medians: start->running %.1f ms, destroy->shut off %.1f ms, "
                    + "warm open %.3f ms, bare QEMU launch->QMP ready+cont %.1f ms%n", n, median(start),
                    median(destroy), median(open), median(bare));
        } finally {
            c.close();
            driver.deactivate();
            QemuTestSupport.killStray(root);
        }
    }

    static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}
