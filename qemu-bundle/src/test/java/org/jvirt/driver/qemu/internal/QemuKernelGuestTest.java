package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.BlockStats;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;

/**
 * A real Linux guest (the host's kernel and a busybox initramfs built here) under TCG: it boots, shows
 * its marker on the serial port, takes a disk and an interface hot-plugged and unplugged, and powers
 * off when the driver presses the ACPI power button.
 */
class QemuKernelGuestTest {
    @TempDir
    Path root;
    QemuDriver driver;
    DriverConnection conn;
    QemuTestSupport.Events events = new QemuTestSupport.Events();

    @BeforeEach
    void open() {
        QemuTestSupport.requireQemu();
        driver = new QemuDriver();
        conn = driver.open(VirtUri.parse("qemu:///embed?root=" + root), new OpenContext(false, null, events))
                .orElseThrow();
    }

    @AfterEach
    void cleanup() {
        try {
            for (DomainRef d : conn.listAllDomains(0)) {
                if (conn.isActive(d)) {
                    conn.destroy(d);
                }
            }
        } finally {
            conn.close();
            driver.deactivate();
            assertEquals(0, QemuTestSupport.killStray(root), "QEMU processes were left behind");
        }
    }

    @Test
    void bootsHotplugsAndShutsDownThroughAcpi() throws Exception {
        Path initrd = QemuTestSupport.buildInitramfs(root);
        Path serial = root.resolve("serial.log");
        long t0 = System.nanoTime();
        DomainRef d = conn.createXML(QemuTestSupport.kernelGuestXml("linux", initrd, serial));
        QemuTestSupport.waitFor(() -> read(serial).contains(QemuTestSupport.MARKER), 60_000, "the guest's marker");
        System.out.println("[qemu-timing] kernel guest boot to marker " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(read(serial).contains("Power Button") || read(serial).contains("/dev/input/event"), read(serial));

        // hotplug a disk and an interface, then take them away again (the guest's ACPI hotplug lets go)
        Path img = root.resolve("hot.img");
        Files.write(img, new byte[4 << 20]);
        conn.attachDevice(d, "<disk type='file' device='disk'><source file='" + img + "'/>"
                + "<target dev='vdb' bus='virtio'/></disk>", ModifyFlag.LIVE.bit());
        String xml = conn.xmlDesc(d, 0);
        assertTrue(xml.contains("vdb") && xml.contains("virtio-disk1"), xml);
        BlockStats s = conn.blockStats(d, "vdb");
        assertTrue(s.rdReq() >= 0, s.toString());
        conn.attachDevice(d, "<interface type='user'><mac address='52:54:00:12:34:56'/><model type='virtio'/>"
                + "</interface>", ModifyFlag.LIVE.bit());
        assertTrue(conn.xmlDesc(d, 0).contains("52:54:00:12:34:56"));
        conn.detachDevice(d, "<disk type='file'><target dev='vdb'/></disk>", ModifyFlag.LIVE.bit());
        assertFalse(conn.xmlDesc(d, 0).contains("virtio-disk1"));
        conn.detachDevice(d, "<interface type='user'><mac address='52:54:00:12:34:56'/></interface>",
                ModifyFlag.LIVE.bit());
        assertFalse(conn.xmlDesc(d, 0).contains("52:54:00:12:34:56"));
        assertEquals(1, conn.vcpus(d).size());

        t0 = System.nanoTime();
        conn.shutdown(d);
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_SHUTDOWN, 30_000);
        System.out.println("[qemu-timing] ACPI shutdown to shut off " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(read(serial).contains("JVIRT-GUEST-POWERBUTTON"), read(serial));
    }

    @Test
    void persistentGuestShutsOffWithReasonShutdown() throws Exception {
        Path initrd = QemuTestSupport.buildInitramfs(root);
        Path serial = root.resolve("serial2.log");
        DomainRef d = conn.defineXML(QemuTestSupport.kernelGuestXml("linux2", initrd, serial));
        d = conn.create(d);
        QemuTestSupport.waitFor(() -> read(serial).contains(QemuTestSupport.MARKER), 60_000, "the guest's marker");
        conn.shutdown(d);
        events.await(DomainEventType.SHUTDOWN, 1, 30_000);
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_SHUTDOWN, 30_000);
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_SHUTDOWN), conn.state(d));
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
