package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

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
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;

/**
 * A real Linux guest (the host's kernel and a busybox initramfs built here) under TCG: it boots, shows
 * its marker on the serial port, takes a disk and an interface hot-plugged and unplugged, and powers
 * off when the driver presses the ACPI power button; and one that balloons, reboots and restarts on
 * power-off in the same QEMU.
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
        conn = QemuTestSupport.listen(driver.open(VirtUri.parse("qemu:///embed?root=" + root),
                new OpenContext(false, null, events)).orElseThrow());
    }

    @AfterEach
    void cleanup() {
        try {
            for (DomainRef d : conn.connectListAllDomains(0)) {
                if (conn.domainIsActive(d)) {
                    conn.domainDestroyFlags(d, 0);
                }
            }
        } finally {
            conn.connectClose();
            driver.deactivate();
            assertEquals(0, QemuTestSupport.killStray(root), "QEMU processes were left behind");
        }
    }

    @Test
    void bootsHotplugsAndShutsDownThroughAcpi() throws Exception {
        Path initrd = QemuTestSupport.buildInitramfs(root);
        Path serial = root.resolve("serial.log");
        long t0 = System.nanoTime();
        DomainRef d = conn.domainCreateXML(QemuTestSupport.kernelGuestXml("linux", initrd, serial), 0);
        QemuTestSupport.waitFor(() -> read(serial).contains(QemuTestSupport.MARKER), 60_000, "the guest's marker");
        System.out.println("[qemu-timing] kernel guest boot to marker " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(read(serial).contains("Power Button") || read(serial).contains("/dev/input/event"), read(serial));

        // hotplug a disk and an interface, then take them away again (the guest's ACPI hotplug lets go)
        Path img = root.resolve("hot.img");
        Files.write(img, new byte[4 << 20]);
        conn.domainAttachDeviceFlags(d, "<disk type='file' device='disk'><source file='" + img + "'/>"
                + "<target dev='vdb' bus='virtio'/></disk>", ModifyFlag.LIVE.bit());
        String xml = conn.domainGetXMLDesc(d, 0);
        assertTrue(xml.contains("vdb") && xml.contains("virtio-disk1"), xml);
        BlockStats s = conn.domainBlockStats(d, "vdb");
        assertTrue(s.rdReq() >= 0, s.toString());
        conn.domainAttachDeviceFlags(d, "<interface type='user'><mac address='52:54:00:12:34:56'/><model type='virtio'/>"
                + "</interface>", ModifyFlag.LIVE.bit());
        assertTrue(conn.domainGetXMLDesc(d, 0).contains("52:54:00:12:34:56"));
        conn.domainDetachDeviceFlags(d, "<disk type='file'><target dev='vdb'/></disk>", ModifyFlag.LIVE.bit());
        assertFalse(conn.domainGetXMLDesc(d, 0).contains("virtio-disk1"));
        conn.domainDetachDeviceFlags(d, "<interface type='user'><mac address='52:54:00:12:34:56'/></interface>",
                ModifyFlag.LIVE.bit());
        assertFalse(conn.domainGetXMLDesc(d, 0).contains("52:54:00:12:34:56"));
        assertEquals(1, conn.domainGetVcpus(d, Integer.MAX_VALUE, Integer.MAX_VALUE).size());

        t0 = System.nanoTime();
        conn.domainShutdownFlags(d, 0);
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_SHUTDOWN, 30_000);
        System.out.println("[qemu-timing] ACPI shutdown to shut off " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(read(serial).contains("JVIRT-GUEST-POWERBUTTON"), read(serial));
    }

    @Test
    void persistentGuestShutsOffWithReasonShutdown() throws Exception {
        Path initrd = QemuTestSupport.buildInitramfs(root);
        Path serial = root.resolve("serial2.log");
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.kernelGuestXml("linux2", initrd, serial), 0);
        d = conn.domainCreateWithFlags(d, 0);
        QemuTestSupport.waitFor(() -> read(serial).contains(QemuTestSupport.MARKER), 60_000, "the guest's marker");
        conn.domainShutdownFlags(d, 0);
        events.await(DomainEventType.SHUTDOWN, 1, 30_000);
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_SHUTDOWN, 30_000);
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_SHUTDOWN), conn.domainGetState(d, 0));
    }

    @Test
    void balloonRebootAndOnPoweroffRestart() throws Exception {
        Path initrd = QemuTestSupport.buildInitramfs(root);
        Path serial = root.resolve("serial3.log");
        DomainRef d = conn.domainCreateXML(QemuTestSupport.kernelGuestXml("linux3", initrd, serial)
                .replace("<devices>", "<on_poweroff>restart</on_poweroff><devices>"), 0);
        QemuTestSupport.waitFor(() -> markers(serial) == 1, 60_000, "the guest's marker");
        QemuConnection qc = (QemuConnection) conn;
        long pid = qc.pidOf(d);
        QemuMonitor m = qc.monitorFor(d);
        BlockingQueue<String> qmp = recordEvents(m);

        // the guest's virtio_balloon driver gives the memory back: QEMU's own figure shows it
        conn.domainSetMemoryFlags(d, 192 * 1024, ModifyFlag.LIVE.bit());
        QemuTestSupport.waitFor(() -> m.queryBalloon().actual() == 192L << 20,
                30_000, "the balloon to reach 192 MiB");
        assertEquals(192 * 1024, conn.domainGetInfo(d).memoryKiB());
        assertTrue(conn.domainGetXMLDesc(d, 0).contains("<currentMemory unit='KiB'>196608</currentMemory>"));

        // reboot: ACPI power button, the guest powers off, the driver resets and continues the same QEMU
        conn.domainReboot(d, 0);
        awaitQmp(qmp, "RESET", 30_000);
        QemuTestSupport.waitFor(() -> markers(serial) == 2, 60_000, "the guest to boot again");
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_BOOTED), conn.domainGetState(d, 0));
        assertEquals(pid, qc.pidOf(d));
        assertEquals("running", m.queryStatus().status());
        assertTrue(events.queue.stream().noneMatch(e -> e.type() == DomainEventType.STOPPED
                || e.type() == DomainEventType.SHUTDOWN), "a reboot is no shutdown: " + events.queue);

        // on_poweroff=restart: the guest powers off, and runs again in the same QEMU
        conn.domainShutdownFlags(d, 0);
        events.await(DomainEventType.SHUTDOWN, 1, 30_000);
        awaitQmp(qmp, "RESET", 10_000);
        QemuTestSupport.waitFor(() -> "running".equals(m.queryStatus().status()),
                5_000, "QEMU to run again");
        assertEquals(DomainState.RUNNING, conn.domainGetState(d, 0).state());
        assertEquals(pid, qc.pidOf(d));
        assertTrue(events.queue.stream().noneMatch(e -> e.type() == DomainEventType.STOPPED), events.queue.toString());
    }

    /** Records the QMP events of a monitor while still passing them to the driver. */
    static BlockingQueue<String> recordEvents(QemuMonitor m) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        QemuMonitor.Listener driverSide = m.listener();
        m.setListener(new QemuMonitor.Listener() {
            @Override
            public void event(String name, JsonNode data) {
                q.add(name);
                driverSide.event(name, data);
            }

            @Override
            public void eof(boolean requested) {
                driverSide.eof(requested);
            }
        });
        return q;
    }

    static void awaitQmp(BlockingQueue<String> q, String name, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        StringBuilder seen = new StringBuilder();
        while (true) {
            String e = q.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                fail("no QMP " + name + " within " + millis + " ms; saw" + seen);
            }
            if (e.equals(name)) {
                return;
            }
            seen.append(' ').append(e);
        }
    }

    static int markers(Path serial) {
        String s = read(serial);
        int n = 0;
        for (int i = s.indexOf(QemuTestSupport.MARKER); i >= 0; i = s.indexOf(QemuTestSupport.MARKER, i + 1)) {
            n++;
        }
        return n;
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
