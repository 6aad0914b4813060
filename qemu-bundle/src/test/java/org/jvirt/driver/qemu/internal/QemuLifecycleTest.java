package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;

/** Real QEMU processes under TCG, driven through the driver SPI, in an isolated embed root. */
class QemuLifecycleTest {
    @TempDir
    Path root;
    QemuDriver driver;
    DriverConnection conn;
    QemuTestSupport.Events events;
    final List<DriverConnection> opened = new ArrayList<>();

    @BeforeEach
    void open() {
        QemuTestSupport.requireQemu();
        driver = new QemuDriver();
        conn = connect();
        events = (QemuTestSupport.Events) lastEvents;
    }

    private Object lastEvents;

    DriverConnection connect() {
        QemuTestSupport.Events ev = new QemuTestSupport.Events();
        lastEvents = ev;
        DriverConnection c = driver.open(VirtUri.parse("qemu:///embed?root=" + root), new OpenContext(false, null, ev))
                .orElseThrow();
        opened.add(c);
        return c;
    }

    @AfterEach
    void cleanup() {
        try {
            if (conn != null) {
                for (DomainRef d : conn.listAllDomains(0)) {
                    try {
                        if (conn.isActive(d)) {
                            conn.destroy(d);
                        }
                    } catch (RuntimeException ignored) {
                        // best effort
                    }
                }
            }
        } finally {
            for (DriverConnection c : opened) {
                c.close();
            }
            if (driver != null) {
                driver.deactivate();
            }
            assertEquals(0, QemuTestSupport.killStray(root), "QEMU processes were left behind");
        }
    }

    QemuConnection qc() {
        return (QemuConnection) conn;
    }

    String qmpStatus(DomainRef d) {
        return QmpJson.str(qc().monitorFor(d).execute("query-status", null), "status");
    }

    @Test
    void noDiskGuestStartSuspendResumeDestroy() throws Exception {
        DomainRef d = conn.defineXML(QemuTestSupport.noDiskXml("nodisk", ""));
        events.await(DomainEventType.DEFINED, DomainEventType.DEFINED_ADDED, 2000);
        assertTrue(Files.exists(root.resolve("etc/qemu/nodisk.xml")));
        long t0 = System.nanoTime();
        d = conn.create(d);
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_BOOTED), conn.state(d));
        assertTrue(d.id() > 0);
        assertEquals(d.id(), conn.lookupById(d.id()).id());
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 2000);
        assertEquals("running", qmpStatus(d));
        assertTrue(conn.xmlDesc(d, 0).contains("id='" + d.id() + "'"));
        assertTrue(conn.xmlDesc(d, 0).contains("<alias name='balloon0'/>"));

        conn.suspend(d);
        assertEquals(new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER), conn.state(d));
        assertEquals("paused", qmpStatus(d));
        events.await(DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED, 2000);
        conn.resume(d);
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_UNPAUSED), conn.state(d));
        assertEquals("running", qmpStatus(d));
        events.await(DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED, 2000);
        Thread.sleep(100); // let late QMP STOP/RESUME events arrive: they must not change the state
        assertEquals(DomainState.RUNNING, conn.state(d).state());

        long pid = qc().pidOf(d);
        t0 = System.nanoTime();
        conn.destroy(d);
        long destroyMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_DESTROYED), conn.state(d));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED, 2000);
        assertFalse(Files.exists(root.resolve("run/qemu/nodisk.status")));
        assertTrue(Files.readString(root.resolve("log/qemu/nodisk.log")).contains("-nodefaults"));
        System.out.println("[qemu-timing] start->running " + startMs + " ms, destroy->shut off " + destroyMs + " ms");

        conn.undefine(d);
        assertFalse(Files.exists(root.resolve("etc/qemu/nodisk.xml")));
        assertThrows(VirtException.class, () -> conn.lookupByName("nodisk"));
    }

    @Test
    void startPausedLeavesTheGuestInPrelaunchUntilResumed() throws Exception {
        DomainRef d = conn.defineXML(QemuTestSupport.noDiskXml("paused", ""));
        d = conn.create(d, org.jvirt.api.CreateFlag.PAUSED.bit());
        assertEquals(new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER), conn.state(d));
        assertEquals("prelaunch", qmpStatus(d), "the CPUs never ran");
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 2000);
        events.await(DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED, 2000);
        conn.resume(d);
        assertEquals("running", qmpStatus(d));
        assertEquals(DomainState.RUNNING, conn.state(d).state());
        conn.destroy(d);
        DomainRef t = conn.createXML(QemuTestSupport.noDiskXml("pausedtransient", ""),
                org.jvirt.api.CreateFlag.PAUSED.bit());
        assertEquals(DomainState.PAUSED, conn.state(t).state());
        VirtException e = assertThrows(VirtException.class, () -> conn.create(conn.lookupByName("paused"),
                org.jvirt.api.CreateFlag.AUTODESTROY.bit()));
        assertEquals(org.jvirt.api.ErrorCode.INVALID_ARG, e.code());
        assertEquals("unsupported flags (0x2) in function qemuDomainCreateWithFlags", e.getMessage());
        assertFalse(conn.isActive(conn.lookupByName("paused")), "a refused start starts nothing");
    }

    @Test
    void killMinus9IsSeenAtOnceAsCrashed() throws Exception {
        DomainRef d = conn.createXML(QemuTestSupport.noDiskXml("crashy", ""));
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 2000);
        long pid = qc().pidOf(d);
        long t0 = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 2000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[qemu-timing] kill -9 -> stopped event " + ms + " ms");
        // a transient domain is gone once it stops
        assertThrows(VirtException.class, () -> conn.lookupByName("crashy"));

        DomainRef p = conn.defineXML(QemuTestSupport.noDiskXml("crashy2", ""));
        p = conn.create(p);
        ProcessHandle.of(qc().pidOf(p)).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 2000);
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_CRASHED), conn.state(p));
    }

    @Test
    void onCrashRestartStartsAgain() throws Exception {
        DomainRef d = conn.createXML(QemuTestSupport.noDiskXml("phoenix", "<on_crash>restart</on_crash>"));
        long pid = qc().pidOf(d);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 2000);
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 5000);
        DomainRef again = conn.lookupByName("phoenix");
        assertEquals(DomainState.RUNNING, conn.state(again).state());
        assertNotEquals(pid, qc().pidOf(again));
    }

    @Test
    void saveThenRestoreResumesTheSameGuest() throws Exception {
        DomainRef d = conn.createXML(QemuTestSupport.noDiskXml("saver", ""));
        Path file = root.resolve("saver.save");
        List<long[]> progress = new ArrayList<>();
        conn.save(d, file.toString(), (done, total) -> progress.add(new long[] {done, total}));
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_SAVED, 2000);
        assertThrows(VirtException.class, () -> conn.lookupByName("saver"));
        assertTrue(Files.size(file) > 4096);
        assertFalse(progress.isEmpty());
        long[] last = progress.get(progress.size() - 1);
        assertEquals(last[1], last[0]);
        DomainRef r = conn.restore(file.toString(), (a, b) -> { });
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_RESTORED, 2000);
        assertEquals(d.uuid(), r.uuid());
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_RESTORED), conn.state(r));
        assertEquals("running", qmpStatus(r));
        // a core dump with progress
        Path core = root.resolve("saver.core");
        List<long[]> dump = new ArrayList<>();
        conn.coreDump(r, core.toString(), (a, b) -> dump.add(new long[] {a, b}));
        assertTrue(Files.size(core) > 64L * 1024 * 1024, "core holds the guest RAM");
        assertFalse(dump.isEmpty());
        assertEquals(DomainState.RUNNING, conn.state(r).state());
    }

    @Test
    void driverRestartReattachesWithoutDisturbing() throws Exception {
        DomainRef d = conn.defineXML(QemuTestSupport.noDiskXml("keeper", ""));
        d = conn.create(d);
        DomainRef t = conn.createXML(QemuTestSupport.noDiskXml("transient", ""));
        conn.suspend(t);
        long pid = qc().pidOf(d);
        long pidT = qc().pidOf(t);
        int id = d.id();
        // the driver goes away (bundle update, JVM restart): guests keep running
        for (DriverConnection c : opened) {
            c.close();
        }
        opened.clear();
        driver.deactivate();
        assertTrue(ProcessHandle.of(pid).orElseThrow().isAlive());
        driver = new QemuDriver();
        conn = connect();
        events = (QemuTestSupport.Events) lastEvents;
        DomainRef again = conn.lookupByName("keeper");
        assertEquals(id, again.id());
        assertEquals(pid, qc().pidOf(again));
        assertEquals(DomainState.RUNNING, conn.state(again).state());
        assertEquals("running", qmpStatus(again));
        DomainRef t2 = conn.lookupByName("transient");
        assertEquals(pidT, qc().pidOf(t2));
        assertEquals(new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER), conn.state(t2));
        assertFalse(conn.isPersistent(t2));
        // the re-attached guests are fully managed: exit is still seen
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 3000);
        assertEquals(DomainState.SHUTOFF, conn.state(again).state());
        conn.destroy(t2);
    }

    @Test
    void badInputGivesClearErrorsAndLeavesNoProcess() throws Exception {
        VirtException e = assertThrows(VirtException.class, () -> conn.defineXML(QemuTestSupport.noDiskXml("x", "")
                .replace(QemuTestSupport.QEMU, "/usr/bin/qemu-system-nonexistent")));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertTrue(e.getMessage().contains("qemu-system-nonexistent"), e.getMessage());

        String missing = QemuTestSupport.noDiskXml("nodisk2", "").replace("</emulator>", "</emulator>"
                + "<disk type='file' device='disk'><source file='" + root.resolve("missing.img")
                + "'/><target dev='vda' bus='virtio'/></disk>");
        e = assertThrows(VirtException.class, () -> conn.createXML(missing));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertTrue(e.getMessage().contains("missing.img"), e.getMessage());
        assertThrows(VirtException.class, () -> conn.lookupByName("nodisk2"));

        // QEMU's own refusal is reported from its log: a raw file declared qcow2
        Path raw = root.resolve("raw.img");
        Files.write(raw, new byte[1 << 20]);
        String wrongFormat = QemuTestSupport.noDiskXml("qcow", "").replace("</emulator>", "</emulator>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + raw
                + "'/><target dev='vda' bus='virtio'/></disk>");
        e = assertThrows(VirtException.class, () -> conn.createXML(wrongFormat));
        assertEquals(ErrorCode.OPERATION_FAILED, e.code());
        assertTrue(e.getMessage().contains("qcow2"), e.getMessage());

        DomainRef a = conn.defineXML(QemuTestSupport.noDiskXml("dup", ""));
        e = assertThrows(VirtException.class, () -> conn.defineXML(QemuTestSupport.noDiskXml("dup", "")));
        assertEquals(ErrorCode.OPERATION_FAILED, e.code());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        conn.create(a);
        e = assertThrows(VirtException.class, () -> conn.createXML(conn.xmlDesc(a, 0)));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        conn.destroy(a);

        Files.writeString(root.resolve("etc/qemu/qemu.conf"), "kvm_device = \"" + root.resolve("no-kvm") + "\"\n");
        for (DriverConnection c : opened) {
            c.close();
        }
        opened.clear();
        conn = connect();
        e = assertThrows(VirtException.class, () -> conn.createXML(QemuTestSupport.noDiskXml("kvm", "")
                .replace("type='qemu'", "type='kvm'")));
        assertEquals(ErrorCode.CONFIG_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("kvm"), e.getMessage());
        assertEquals(0, QemuTestSupport.killStray(root));
    }

    @Test
    void configDeviceAttachDetachAndXmlToNative() {
        DomainRef d = conn.defineXML(QemuTestSupport.noDiskXml("cfg", ""));
        conn.attachDevice(d, "<interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/>"
                + "</interface>", ModifyFlag.CONFIG.bit());
        String xml = conn.xmlDesc(d, 0);
        assertTrue(xml.contains("52:54:00:aa:bb:cc"), xml);
        conn.detachDevice(d, "<interface type='user'><mac address='52:54:00:aa:bb:cc'/></interface>",
                ModifyFlag.CONFIG.bit());
        assertFalse(conn.xmlDesc(d, 0).contains("52:54:00:aa:bb:cc"));
        VirtException e = assertThrows(VirtException.class, () -> conn.detachDevice(d,
                "<disk type='file'><target dev='vdz'/></disk>", ModifyFlag.CONFIG.bit()));
        assertEquals(ErrorCode.DEVICE_MISSING, e.code());
        String argv = conn.domainXMLToNative("qemu-argv", conn.xmlDesc(d, 0));
        assertTrue(argv.startsWith("LC_ALL=C " + QemuTestSupport.QEMU + " -name guest=cfg"), argv);
        assertTrue(conn.capabilities().contains("<domain type='qemu'/>"));
        assertTrue(conn.nodeInfo().cpus() > 0);
    }

    /** vCPU thread ids from QEMU itself (query-cpus-fast), by vCPU index. */
    List<Long> vcpuThreads(DomainRef d) {
        List<Long> out = new ArrayList<>();
        for (JsonNode cpu : qc().monitorFor(d).execute("query-cpus-fast", null)) {
            int idx = cpu.path("cpu-index").asInt();
            while (out.size() <= idx) {
                out.add(-1L);
            }
            out.set(idx, cpu.path("thread-id").asLong());
        }
        return out;
    }

    static String cpusAllowed(long pid, long tid) throws java.io.IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/task/" + tid + "/status"))) {
            if (l.startsWith("Cpus_allowed_list:")) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        throw new AssertionError("no Cpus_allowed_list for task " + tid);
    }

    @Test
    void pinVcpuSetsTheThreadsAffinity() throws Exception {
        DomainRef d = conn.createXML(QemuTestSupport.noDiskXml("pinned", "").replace("<vcpu>1</vcpu>",
                "<vcpu>2</vcpu>"));
        long pid = qc().pidOf(d);
        List<Long> tids = vcpuThreads(d);
        assertEquals(2, tids.size());
        assertNotEquals(tids.get(0), tids.get(1), "TCG runs one thread per vCPU");
        int last = Runtime.getRuntime().availableProcessors() - 1;
        BitSet one = new BitSet();
        one.set(last);
        conn.pinVcpu(d, 0, one);
        assertEquals(Integer.toString(last), cpusAllowed(pid, tids.get(0)));
        BitSet zero = new BitSet();
        zero.set(0);
        conn.pinVcpu(d, 1, zero);
        assertEquals("0", cpusAllowed(pid, tids.get(1)));
        assertEquals(Integer.toString(last), cpusAllowed(pid, tids.get(0)), "pinning vCPU 1 left vCPU 0 alone");
        List<VcpuInfo> info = conn.vcpus(d);
        assertEquals(one, info.get(0).affinity());
        assertEquals(zero, info.get(1).affinity());
        // both back on every CPU
        BitSet all = new BitSet();
        all.set(0, last + 1);
        conn.pinVcpu(d, 0, all);
        assertEquals(last == 0 ? "0" : "0-" + last, cpusAllowed(pid, tids.get(0)));

        VirtException e = assertThrows(VirtException.class, () -> conn.pinVcpu(d, 2, zero));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        BitSet tooMany = new BitSet();
        tooMany.set(last + 1);
        e = assertThrows(VirtException.class, () -> conn.pinVcpu(d, 0, tooMany));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
    }

    @Test
    void liveVcpuIncreaseHotplugsACpu() throws Exception {
        DomainRef d = conn.createXML(QemuTestSupport.noDiskXml("cpus", "").replace("<vcpu>1</vcpu>",
                "<vcpu current='1'>3</vcpu>"));
        assertEquals(1, vcpuThreads(d).size());
        assertEquals(1, conn.vcpus(d).size());
        conn.setVcpus(d, 3, VcpuFlag.LIVE.bit());
        assertEquals(3, vcpuThreads(d).size(), "QEMU runs three vCPUs");
        assertEquals(3, conn.vcpus(d).size());
        assertEquals(3, conn.info(d).vcpus());
        assertTrue(conn.xmlDesc(d, 0).contains("<vcpu placement='static'>3</vcpu>"), conn.xmlDesc(d, 0));
        assertEquals("running", qmpStatus(d));
        // more than the maximum, and taking vCPUs away, are refused
        VirtException e = assertThrows(VirtException.class, () -> conn.setVcpus(d, 4, VcpuFlag.LIVE.bit()));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        e = assertThrows(VirtException.class, () -> conn.setVcpus(d, 1, VcpuFlag.LIVE.bit()));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertEquals(3, vcpuThreads(d).size());
    }

    @Test
    void liveSetMemoryDrivesTheBalloon() {
        DomainRef d = conn.createXML(QemuTestSupport.noDiskXml("balloon", ""));
        conn.setMemory(d, 48 * 1024, ModifyFlag.LIVE.bit());
        // no guest driver here: QEMU takes the target (query-balloon answers), the XML shows it
        assertEquals(64L << 20, qc().monitorFor(d).execute("query-balloon", null).path("actual").asLong());
        assertEquals(48 * 1024, conn.info(d).memoryKiB());
        assertTrue(conn.xmlDesc(d, 0).contains("<currentMemory unit='KiB'>49152</currentMemory>"),
                conn.xmlDesc(d, 0));
        VirtException e = assertThrows(VirtException.class, () -> conn.setMemory(d, 128 * 1024,
                ModifyFlag.LIVE.bit()));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        e = assertThrows(VirtException.class, () -> conn.setMemory(d, 128 * 1024, MemoryFlag.MAXIMUM.bit()
                | ModifyFlag.LIVE.bit()));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        DomainRef nb = conn.createXML(QemuTestSupport.noDiskXml("noballoon", "").replace("</emulator>",
                "</emulator><memballoon model='none'/>"));
        e = assertThrows(VirtException.class, () -> conn.setMemory(nb, 32 * 1024, ModifyFlag.LIVE.bit()));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
    }

    @Test
    void interfaceStatsOfAnEthernetTap() throws Exception {
        QemuTestSupport.require(Files.isReadable(Path.of("/dev/net/tun")), "/dev/net/tun");
        // the interface's script brings the tap up, as an ifup script does
        Path ifup = root.resolve("ifup");
        Files.writeString(ifup, "#!/bin/sh\nexec ip link set dev \"$1\" up\n");
        assertTrue(ifup.toFile().setExecutable(true));
        String tap = "jvt" + ProcessHandle.current().pid() % 100000;
        String xml = QemuTestSupport.noDiskXml("tapped", "").replace("</emulator>", "</emulator>"
                + "<interface type='ethernet'><mac address='52:54:00:00:00:42'/><target dev='" + tap + "'/>"
                + "<script path='" + ifup + "'/><model type='e1000'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:43'/><model type='e1000'/></interface>");
        if (!"root".equals(System.getProperty("user.name"))) {
            // creating a tap needs CAP_NET_ADMIN: the start fails with QEMU's own message and leaves nothing
            VirtException e = assertThrows(VirtException.class, () -> conn.createXML(xml));
            assertEquals(ErrorCode.OPERATION_FAILED, e.code());
            assertTrue(e.getMessage().contains("tun") || e.getMessage().contains("tap"), e.getMessage());
            assertThrows(VirtException.class, () -> conn.lookupByName("tapped"));
            return;
        }
        DomainRef d = conn.createXML(xml);
        assertTrue(Files.isDirectory(Path.of("/sys/class/net", tap)), "QEMU created the tap");
        // with no disk, the BIOS boots the NIC's PXE ROM, whose DHCP requests the tap receives: the guest's tx
        QemuTestSupport.waitFor(() -> conn.interfaceStats(d, tap).txPackets() > 0, 20_000, "the guest's DHCP");
        InterfaceStats s = conn.interfaceStats(d, "52:54:00:00:00:42");
        // what QEMU writes to the tap is what the guest sent: at least a minimal Ethernet frame each
        assertTrue(s.txBytes() >= 60 * s.txPackets(), s.toString());
        assertTrue(s.rxPackets() >= 0 && s.rxErrs() == 0 && s.txErrs() == 0, s.toString());
        VirtException e = assertThrows(VirtException.class, () -> conn.interfaceStats(d, "52:54:00:00:00:43"));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        e = assertThrows(VirtException.class, () -> conn.interfaceStats(d, "nosuch0"));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        conn.destroy(d);
        assertFalse(Files.exists(Path.of("/sys/class/net", tap)), "the tap went with QEMU");
    }

    @Test
    void autostartWhenTheDriverStarts() throws Exception {
        DomainRef d = conn.defineXML(QemuTestSupport.noDiskXml("auto", ""));
        conn.setAutostart(d, true);
        assertTrue(Files.exists(root.resolve("etc/qemu/autostart/auto.xml")));
        conn.defineXML(QemuTestSupport.noDiskXml("manual", ""));
        assertEquals(DomainState.SHUTOFF, conn.state(d).state());
        for (DriverConnection c : opened) {
            c.close();
        }
        opened.clear();
        driver.deactivate();
        // a new driver instance (bundle restart, daemon start) starts what is marked autostart
        driver = new QemuDriver();
        conn = connect();
        DomainRef again = conn.lookupByName("auto");
        assertTrue(conn.getAutostart(again));
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_BOOTED), conn.state(again));
        assertTrue(again.id() > 0);
        assertEquals("running", qmpStatus(again));
        assertEquals(DomainState.SHUTOFF, conn.state(conn.lookupByName("manual")).state());
        conn.setAutostart(again, false);
        assertFalse(Files.exists(root.resolve("etc/qemu/autostart/auto.xml")));
    }
}
