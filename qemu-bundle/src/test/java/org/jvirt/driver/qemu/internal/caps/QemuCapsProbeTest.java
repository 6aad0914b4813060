package org.jvirt.driver.qemu.internal.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;

/** The capability probe: its batch of requests, its bound on a silent QEMU, and a real QEMU if installed. */
class QemuCapsProbeTest {
    static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    @TempDir
    Path tmp;

    @Test
    void theBatchIsWhatTheProbeAlwaysSent() {
        assertEquals("{\"execute\":\"qmp_capabilities\",\"id\":\"caps\"}\n"
                + "{\"execute\":\"query-version\",\"id\":\"version\"}\n"
                + "{\"execute\":\"query-target\",\"id\":\"target\"}\n"
                + "{\"execute\":\"query-machines\",\"id\":\"machines\"}\n"
                + "{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"accel\"},\"id\":\"accels\"}\n"
                + "{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"device\",\"abstract\":false},"
                + "\"id\":\"devices\"}\n"
                + "{\"execute\":\"quit\",\"id\":\"quit\"}\n", QemuCapsProbe.requests());
    }

    @Test
    void aSilentQemuIsKilledAtTheTimeout() throws IOException {
        Path fake = tmp.resolve("qemu-system-x86_64");
        Files.writeString(fake, "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        long t0 = System.nanoTime();
        VirtException e = assertThrows(VirtException.class, () -> QemuCapsProbe.probe(fake, 300));
        assertEquals(ErrorCode.OPERATION_TIMEOUT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("did not answer the capability probe within 300 ms"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void probesTheInstalledQemu() {
        if (!Files.isExecutable(QEMU) && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(QEMU + " is missing (qemu-system-x86), and CI=true requires it");
        }
        Assumptions.assumeTrue(Files.isExecutable(QEMU), QEMU + " is missing");
        QemuCaps caps = QemuCapsProbe.probe(QEMU);
        assertEquals("x86_64", caps.arch());
        assertTrue(caps.version() >= 2_000_000, "version " + caps.version());
        assertFalse(caps.machines().isEmpty());
        assertTrue(caps.machines().get(0).isDefault());
        assertTrue(caps.accels().contains("tcg"), caps.accels().toString());
        assertTrue(caps.hasDevice("virtio-blk-pci"));
    }
}
