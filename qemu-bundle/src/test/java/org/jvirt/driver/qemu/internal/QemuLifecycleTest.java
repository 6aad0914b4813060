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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpCpu;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.OpenContext;
import org.jvirt.spi.support.DomainJobs;

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
        DriverConnection c = QemuTestSupport.listen(driver.open(VirtUri.parse("qemu:///embed?root=" + root),
                new OpenContext(false, null, ev)).orElseThrow());
        opened.add(c);
        return c;
    }

    @AfterEach
    void cleanup() {
        try {
            if (conn != null) {
                for (DomainRef d : conn.connectListAllDomains(0)) {
                    try {
                        if (conn.domainIsActive(d)) {
                            conn.domainDestroyFlags(d, 0);
                        }
                    } catch (RuntimeException ignored) {
                        // best effort
                    }
                }
            }
        } finally {
            for (DriverConnection c : opened) {
                c.connectClose();
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
        return qc().monitorFor(d).queryStatus().status();
    }

    @Test
    void noDiskGuestStartSuspendResumeDestroy() throws Exception {
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("nodisk", ""), 0);
        events.await(DomainEventType.DEFINED, DomainEventType.DEFINED_ADDED, 2000);
        assertTrue(Files.exists(root.resolve("etc/qemu/nodisk.xml")));
        long t0 = System.nanoTime();
        d = conn.domainCreateWithFlags(d, 0);
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_BOOTED), conn.domainGetState(d, 0));
        assertTrue(d.id() > 0);
        assertEquals(d.id(), conn.domainLookupByID(d.id()).id());
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 2000);
        assertEquals("running", qmpStatus(d));
        assertTrue(conn.domainGetXMLDesc(d, 0).contains("id='" + d.id() + "'"));
        assertTrue(conn.domainGetXMLDesc(d, 0).contains("<alias name='balloon0'/>"));

        conn.domainSuspend(d);
        assertEquals(new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER), conn.domainGetState(d, 0));
        assertEquals("paused", qmpStatus(d));
        events.await(DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED, 2000);
        conn.domainResume(d);
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_UNPAUSED), conn.domainGetState(d, 0));
        assertEquals("running", qmpStatus(d));
        events.await(DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED, 2000);
        Thread.sleep(100); // let late QMP STOP/RESUME events arrive: they must not change the state
        assertEquals(DomainState.RUNNING, conn.domainGetState(d, 0).state());

        long pid = qc().pidOf(d);
        t0 = System.nanoTime();
        conn.domainDestroyFlags(d, 0);
        long destroyMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_DESTROYED), conn.domainGetState(d, 0));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED, 2000);
        assertFalse(Files.exists(root.resolve("run/qemu/nodisk.status")));
        assertTrue(Files.readString(root.resolve("log/qemu/nodisk.log")).contains("-nodefaults"));
        System.out.println("[qemu-timing] start->running " + startMs + " ms, destroy->shut off " + destroyMs + " ms");

        conn.domainUndefineFlags(d, 0);
        assertFalse(Files.exists(root.resolve("etc/qemu/nodisk.xml")));
        assertThrows(VirtException.class, () -> conn.domainLookupByName("nodisk"));
    }

    @Test
    void startPausedLeavesTheGuestInPrelaunchUntilResumed() throws Exception {
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("paused", ""), 0);
        d = conn.domainCreateWithFlags(d, org.jvirt.api.CreateFlag.PAUSED.bit());
        assertEquals(new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER), conn.domainGetState(d, 0));
        assertEquals("prelaunch", qmpStatus(d), "the CPUs never ran");
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 2000);
        events.await(DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED, 2000);
        conn.domainResume(d);
        assertEquals("running", qmpStatus(d));
        assertEquals(DomainState.RUNNING, conn.domainGetState(d, 0).state());
        conn.domainDestroyFlags(d, 0);
        DomainRef t = conn.domainCreateXML(QemuTestSupport.noDiskXml("pausedtransient", ""),
                org.jvirt.api.CreateFlag.PAUSED.bit());
        assertEquals(DomainState.PAUSED, conn.domainGetState(t, 0).state());
        VirtException e = assertThrows(VirtException.class, () -> conn.domainCreateWithFlags(
                conn.domainLookupByName("paused"),
                org.jvirt.api.CreateFlag.AUTODESTROY.bit()));
        assertEquals(org.jvirt.api.ErrorCode.INVALID_ARG, e.code());
        assertEquals("unsupported flags (0x2) in function qemuDomainCreateWithFlags", e.getMessage());
        assertFalse(conn.domainIsActive(conn.domainLookupByName("paused")), "a refused start starts nothing");
    }

    @Test
    void killMinus9IsSeenAtOnceAsCrashed() throws Exception {
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("crashy", ""), 0);
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 2000);
        long pid = qc().pidOf(d);
        long t0 = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 2000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[qemu-timing] kill -9 -> stopped event " + ms + " ms");
        // a transient domain is gone once it stops
        assertThrows(VirtException.class, () -> conn.domainLookupByName("crashy"));

        DomainRef p = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("crashy2", ""), 0);
        p = conn.domainCreateWithFlags(p, 0);
        ProcessHandle.of(qc().pidOf(p)).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 2000);
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_CRASHED), conn.domainGetState(p, 0));
    }

    @Test
    void onCrashRestartStartsAgain() throws Exception {
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("phoenix", "<on_crash>restart</on_crash>"), 0);
        long pid = qc().pidOf(d);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 2000);
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 5000);
        DomainRef again = conn.domainLookupByName("phoenix");
        assertEquals(DomainState.RUNNING, conn.domainGetState(again, 0).state());
        assertNotEquals(pid, qc().pidOf(again));
    }

    @Test
    void saveThenRestoreResumesTheSameGuest() throws Exception {
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("saver", ""), 0);
        Path file = root.resolve("saver.save");
        // progress: the job info while it runs, then the completed job's figures (JOB_COMPLETED)
        List<long[]> progress = QemuTestSupport.watchJob(conn, d,
                () -> conn.domainSaveFlags(d, file.toString(), null, 0));
        List<TypedParameter> saved = ((EventPayload.Params) events.awaitOther(DomainEventIds.JOB_COMPLETED, 2000)
                .payload()).params();
        assertEquals(DomainJobs.OPERATION_SAVE, QemuTestSupport.param(saved, "operation"));
        progress.add(new long[] {QemuTestSupport.param(saved, "data_processed"),
            QemuTestSupport.param(saved, "data_total")});
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_SAVED, 2000);
        assertThrows(VirtException.class, () -> conn.domainLookupByName("saver"));
        assertTrue(Files.size(file) > 4096);
        assertFalse(progress.isEmpty());
        long[] last = progress.get(progress.size() - 1);
        assertEquals(last[1], last[0]);
        conn.domainRestoreFlags(file.toString(), null, 0);
        DomainRef r = conn.domainLookupByName("saver");
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_RESTORED, 2000);
        assertEquals(d.uuid(), r.uuid());
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_RESTORED), conn.domainGetState(r, 0));
        assertEquals("running", qmpStatus(r));
        assertEquals(JobInfo.IDLE, conn.domainGetJobInfo(r), "no job once restored");
        // a core dump with progress: the job info while it runs, then the completed job's statistics
        Path core = root.resolve("saver.core");
        List<long[]> dump = QemuTestSupport.watchJob(conn, r, () -> conn.domainCoreDump(r, core.toString(), 0));
        JobStats done = conn.domainGetJobStats(r, DomainJobs.STATS_COMPLETED);
        assertEquals(JobInfo.COMPLETED, done.type());
        assertEquals(DomainJobs.OPERATION_DUMP, QemuTestSupport.param(done.params(), "operation"));
        dump.add(new long[] {QemuTestSupport.param(done.params(), "data_processed"),
            QemuTestSupport.param(done.params(), "data_total")});
        assertTrue(Files.size(core) > 64L * 1024 * 1024, "core holds the guest RAM");
        assertFalse(dump.isEmpty());
        assertEquals(dump.get(dump.size() - 1)[1], dump.get(dump.size() - 1)[0]);
        assertEquals(JobInfo.NONE, conn.domainGetJobStats(r, DomainJobs.STATS_COMPLETED).type(),
                "completed statistics are read once");
        assertEquals(DomainState.RUNNING, conn.domainGetState(r, 0).state());
        VirtException e = assertThrows(VirtException.class, () -> conn.domainAbortJob(r));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        assertEquals("Requested operation is not valid: no job is active on the domain", e.getMessage());
    }

    @Test
    void migrationJobReportsProgressAndCanBeAborted() throws Exception {
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("aborted", ""), 0);
        QemuMonitor m = qc().monitorFor(d); // the job's thread holds the domain: fetch it first
        // a migration into a pipe at 1 MiB/s, slowed to 1 KiB/s as soon as the job shows, so that it runs on
        java.util.concurrent.CompletableFuture<byte[]> perform = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> conn.domainMigratePerform3(d, null, null, null, "exec:cat > /dev/null",
                        org.jvirt.api.MigrateFlag.LIVE.bit(), null, 1));
        long end = System.nanoTime() + 10_000_000_000L;
        while (!conn.domainGetJobInfo(d).isActive() && !perform.isDone() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        m.migrateSetMaxBandwidth(1024);
        JobInfo running = conn.domainGetJobInfo(d);
        assertEquals(JobInfo.UNBOUNDED, running.type());
        JobStats live = conn.domainGetJobStats(d, 0);
        assertEquals(JobInfo.UNBOUNDED, live.type());
        assertEquals(DomainJobs.OPERATION_MIGRATION_OUT, QemuTestSupport.param(live.params(), "operation"));
        conn.domainAbortJob(d);
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> perform.get(10, java.util.concurrent.TimeUnit.SECONDS));
        VirtException e = (VirtException) failed.getCause();
        assertEquals(ErrorCode.OPERATION_ABORTED, e.code());
        assertEquals("operation aborted: migration out job: canceled by client", e.getMessage());
        JobStats stats = conn.domainGetJobStats(d, DomainJobs.STATS_COMPLETED);
        assertEquals(JobInfo.CANCELLED, stats.type());
        assertEquals(JobInfo.IDLE, conn.domainGetJobInfo(d));
        assertEquals(DomainState.RUNNING, conn.domainGetState(d, 0).state(), "the guest runs on");
        assertEquals("running", qmpStatus(d));
        // a dump cannot be aborted, as libvirt's memory-only dump cannot
        e = assertThrows(VirtException.class, () -> conn.domainCoreDump(d, root.resolve("x.core").toString(), 2));
        assertEquals("unsupported flags (0x2) in function qemuDomainCoreDump", e.getMessage());
    }

    @Test
    void connectionAnswersAndEventsOnlyWhereAsked() throws Exception {
        assertEquals("QEMU", conn.connectGetType());
        assertTrue(conn.connectGetURI().startsWith("qemu:///embed?root="), conn.connectGetURI());
        assertFalse(conn.connectGetHostname().isBlank());
        assertTrue(conn.connectIsSecure());
        assertFalse(conn.connectIsEncrypted());
        assertTrue(conn.connectIsAlive());
        assertEquals(new SecurityModel("", ""), conn.nodeGetSecurityModel());
        // a connection whose sink nobody registered callbacks for gets no events
        QemuTestSupport.Events quiet = new QemuTestSupport.Events();
        DriverConnection other = driver.open(VirtUri.parse("qemu:///embed?root=" + root),
                new OpenContext(false, null, quiet)).orElseThrow();
        opened.add(other);
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("counted", ""), 0);
        assertEquals(0, conn.connectNumOfDomains());
        assertEquals(1, conn.connectNumOfDefinedDomains());
        assertEquals(List.of("counted"), conn.connectListDefinedDomains(10));
        assertFalse(conn.domainIsActive(d));
        assertEquals(64 * 1024, conn.domainGetMaxMemory(d));
        d = conn.domainCreateWithFlags(d, 0);
        assertEquals(1, conn.connectNumOfDomains());
        assertEquals(0, conn.connectNumOfDefinedDomains());
        assertEquals(d.id(), conn.connectListDomains(10)[0]);
        assertEquals(0, conn.connectListDomains(0).length, "at most maxids");
        assertTrue(conn.domainIsActive(d));
        events.await(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED, 2000);
        assertTrue(quiet.queue.isEmpty() && quiet.others.isEmpty(), "no callback, no events: " + quiet.queue);
        int callback = other.connectDomainEventCallbackRegisterAny(DomainEventIds.LIFECYCLE, d);
        conn.domainSuspend(d);
        assertEquals(DomainEventType.SUSPENDED, quiet.await(DomainEventType.SUSPENDED,
                DomainEventType.SUSPENDED_PAUSED, 2000).type());
        other.connectDomainEventCallbackDeregisterAny(callback);
        conn.domainResume(d);
        events.await(DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED, 2000);
        assertTrue(quiet.queue.isEmpty(), "nothing once deregistered: " + quiet.queue);
        VirtException e = assertThrows(VirtException.class,
                () -> other.connectDomainEventCallbackDeregisterAny(callback));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
    }

    @Test
    void unknownFlagBitsAreRefusedAsLibvirtDoes() {
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("flags", ""), 0);
        VirtException e = assertThrows(VirtException.class, () -> conn.domainDestroyFlags(d, 1 << 30));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertEquals("unsupported flags (0x40000000) in function qemuDomainDestroyFlags", e.getMessage());
        e = assertThrows(VirtException.class, () -> conn.domainGetXMLDesc(d, 1 << 4));
        assertEquals("unsupported flags (0x10) in function qemuDomainGetXMLDesc", e.getMessage());
        e = assertThrows(VirtException.class, () -> conn.domainSaveFlags(d, root.resolve("s").toString(), null, 6));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertTrue(e.getMessage().contains("mutually exclusive"), e.getMessage());
        e = assertThrows(VirtException.class, () -> conn.domainShutdownFlags(d, 2));
        assertEquals("unsupported flags (0x2) in function qemuDomainShutdownFlags", e.getMessage());
        e = assertThrows(VirtException.class, () -> conn.connectListAllDomains(1 << 16));
        assertEquals("unsupported flags (0x10000) in function qemuConnectListAllDomains", e.getMessage());
        assertEquals(DomainState.SHUTOFF, conn.domainGetState(d, 0).state(), "a refused call does nothing");
    }

    @Test
    void driverRestartReattachesWithoutDisturbing() throws Exception {
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("keeper", ""), 0);
        d = conn.domainCreateWithFlags(d, 0);
        DomainRef t = conn.domainCreateXML(QemuTestSupport.noDiskXml("transient", ""), 0);
        conn.domainSuspend(t);
        long pid = qc().pidOf(d);
        long pidT = qc().pidOf(t);
        int id = d.id();
        // the driver goes away (bundle update, JVM restart): guests keep running
        for (DriverConnection c : opened) {
            c.connectClose();
        }
        opened.clear();
        driver.deactivate();
        assertTrue(ProcessHandle.of(pid).orElseThrow().isAlive());
        driver = new QemuDriver();
        conn = connect();
        events = (QemuTestSupport.Events) lastEvents;
        DomainRef again = conn.domainLookupByName("keeper");
        assertEquals(id, again.id());
        assertEquals(pid, qc().pidOf(again));
        assertEquals(DomainState.RUNNING, conn.domainGetState(again, 0).state());
        assertEquals("running", qmpStatus(again));
        DomainRef t2 = conn.domainLookupByName("transient");
        assertEquals(pidT, qc().pidOf(t2));
        assertEquals(new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER), conn.domainGetState(t2, 0));
        assertFalse(conn.domainIsPersistent(t2));
        // the re-attached guests are fully managed: exit is still seen
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 3000);
        assertEquals(DomainState.SHUTOFF, conn.domainGetState(again, 0).state());
        conn.domainDestroyFlags(t2, 0);
    }

    @Test
    void badInputGivesClearErrorsAndLeavesNoProcess() throws Exception {
        VirtException e = assertThrows(VirtException.class, () -> conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("x", "")
                .replace(QemuTestSupport.QEMU, "/usr/bin/qemu-system-nonexistent"), 0));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertTrue(e.getMessage().contains("qemu-system-nonexistent"), e.getMessage());

        String missing = QemuTestSupport.noDiskXml("nodisk2", "").replace("</emulator>", "</emulator>"
                + "<disk type='file' device='disk'><source file='" + root.resolve("missing.img")
                + "'/><target dev='vda' bus='virtio'/></disk>");
        e = assertThrows(VirtException.class, () -> conn.domainCreateXML(missing, 0));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertTrue(e.getMessage().contains("missing.img"), e.getMessage());
        assertThrows(VirtException.class, () -> conn.domainLookupByName("nodisk2"));

        // QEMU's own refusal is reported from its log: a raw file declared qcow2
        Path raw = root.resolve("raw.img");
        Files.write(raw, new byte[1 << 20]);
        String wrongFormat = QemuTestSupport.noDiskXml("qcow", "").replace("</emulator>", "</emulator>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + raw
                + "'/><target dev='vda' bus='virtio'/></disk>");
        e = assertThrows(VirtException.class, () -> conn.domainCreateXML(wrongFormat, 0));
        assertEquals(ErrorCode.OPERATION_FAILED, e.code());
        assertTrue(e.getMessage().contains("qcow2"), e.getMessage());

        DomainRef a = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("dup", ""), 0);
        e = assertThrows(VirtException.class, () -> conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("dup", ""), 0));
        assertEquals(ErrorCode.OPERATION_FAILED, e.code());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        conn.domainCreateWithFlags(a, 0);
        e = assertThrows(VirtException.class, () -> conn.domainCreateXML(conn.domainGetXMLDesc(a, 0), 0));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        conn.domainDestroyFlags(a, 0);

        Files.writeString(root.resolve("etc/qemu/qemu.conf"), "kvm_device = \"" + root.resolve("no-kvm") + "\"\n");
        for (DriverConnection c : opened) {
            c.connectClose();
        }
        opened.clear();
        conn = connect();
        e = assertThrows(VirtException.class, () -> conn.domainCreateXML(QemuTestSupport.noDiskXml("kvm", "")
                .replace("type='qemu'", "type='kvm'"), 0));
        assertEquals(ErrorCode.CONFIG_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("kvm"), e.getMessage());
        assertEquals(0, QemuTestSupport.killStray(root));
    }

    @Test
    void configDeviceAttachDetachAndXmlToNative() {
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("cfg", ""), 0);
        conn.domainAttachDeviceFlags(d, "<interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/>"
                + "</interface>", ModifyFlag.CONFIG.bit());
        String xml = conn.domainGetXMLDesc(d, 0);
        assertTrue(xml.contains("52:54:00:aa:bb:cc"), xml);
        conn.domainDetachDeviceFlags(d, "<interface type='user'><mac address='52:54:00:aa:bb:cc'/></interface>",
                ModifyFlag.CONFIG.bit());
        assertFalse(conn.domainGetXMLDesc(d, 0).contains("52:54:00:aa:bb:cc"));
        VirtException e = assertThrows(VirtException.class, () -> conn.domainDetachDeviceFlags(d,
                "<disk type='file'><target dev='vdz'/></disk>", ModifyFlag.CONFIG.bit()));
        assertEquals(ErrorCode.DEVICE_MISSING, e.code());
        String argv = conn.connectDomainXMLToNative("qemu-argv", conn.domainGetXMLDesc(d, 0), 0);
        assertTrue(argv.startsWith("LC_ALL=C " + QemuTestSupport.QEMU + " -name guest=cfg"), argv);
        assertTrue(conn.connectGetCapabilities().contains("<domain type='qemu'/>"));
        assertTrue(conn.nodeGetInfo().cpus() > 0);
    }

    /** vCPU thread ids from QEMU itself (query-cpus-fast), by vCPU index. */
    List<Long> vcpuThreads(DomainRef d) {
        List<Long> out = new ArrayList<>();
        for (QmpCpu cpu : qc().monitorFor(d).queryCpusFast()) {
            int idx = (int) cpu.cpuIndex();
            while (out.size() <= idx) {
                out.add(-1L);
            }
            out.set(idx, cpu.threadId());
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
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("pinned", "").replace("<vcpu>1</vcpu>",
                "<vcpu>2</vcpu>"), 0);
        long pid = qc().pidOf(d);
        List<Long> tids = vcpuThreads(d);
        assertEquals(2, tids.size());
        assertNotEquals(tids.get(0), tids.get(1), "TCG runs one thread per vCPU");
        int last = Runtime.getRuntime().availableProcessors() - 1;
        BitSet one = new BitSet();
        one.set(last);
        conn.domainPinVcpuFlags(d, 0, one, 0);
        assertEquals(Integer.toString(last), cpusAllowed(pid, tids.get(0)));
        BitSet zero = new BitSet();
        zero.set(0);
        conn.domainPinVcpuFlags(d, 1, zero, 0);
        assertEquals("0", cpusAllowed(pid, tids.get(1)));
        assertEquals(Integer.toString(last), cpusAllowed(pid, tids.get(0)), "pinning vCPU 1 left vCPU 0 alone");
        List<VcpuInfo> info = conn.domainGetVcpus(d, Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(one, info.get(0).affinity());
        assertEquals(zero, info.get(1).affinity());
        // both back on every CPU
        BitSet all = new BitSet();
        all.set(0, last + 1);
        conn.domainPinVcpuFlags(d, 0, all, 0);
        assertEquals(last == 0 ? "0" : "0-" + last, cpusAllowed(pid, tids.get(0)));

        VirtException e = assertThrows(VirtException.class, () -> conn.domainPinVcpuFlags(d, 2, zero, 0));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        BitSet tooMany = new BitSet();
        tooMany.set(last + 1);
        e = assertThrows(VirtException.class, () -> conn.domainPinVcpuFlags(d, 0, tooMany, 0));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
    }

    @Test
    void liveVcpuIncreaseHotplugsACpu() throws Exception {
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("cpus", "").replace("<vcpu>1</vcpu>",
                "<vcpu current='1'>3</vcpu>"), 0);
        assertEquals(1, vcpuThreads(d).size());
        assertEquals(1, conn.domainGetVcpus(d, Integer.MAX_VALUE, Integer.MAX_VALUE).size());
        conn.domainSetVcpusFlags(d, 3, VcpuFlag.LIVE.bit());
        assertEquals(3, vcpuThreads(d).size(), "QEMU runs three vCPUs");
        assertEquals(3, conn.domainGetVcpus(d, Integer.MAX_VALUE, Integer.MAX_VALUE).size());
        assertEquals(3, conn.domainGetInfo(d).vcpus());
        assertTrue(conn.domainGetXMLDesc(d, 0).contains("<vcpu placement='static'>3</vcpu>"), conn.domainGetXMLDesc(d, 0));
        assertEquals("running", qmpStatus(d));
        // more than the maximum, and taking vCPUs away, are refused
        VirtException e = assertThrows(VirtException.class, () -> conn.domainSetVcpusFlags(d, 4, VcpuFlag.LIVE.bit()));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        e = assertThrows(VirtException.class, () -> conn.domainSetVcpusFlags(d, 1, VcpuFlag.LIVE.bit()));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertEquals(3, vcpuThreads(d).size());
    }

    @Test
    void liveSetMemoryDrivesTheBalloon() {
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("balloon", ""), 0);
        conn.domainSetMemoryFlags(d, 48 * 1024, ModifyFlag.LIVE.bit());
        // no guest driver here: QEMU takes the target (query-balloon answers), the XML shows it
        assertEquals(64L << 20, qc().monitorFor(d).queryBalloon().actual());
        assertEquals(48 * 1024, conn.domainGetInfo(d).memoryKiB());
        assertTrue(conn.domainGetXMLDesc(d, 0).contains("<currentMemory unit='KiB'>49152</currentMemory>"),
                conn.domainGetXMLDesc(d, 0));
        VirtException e = assertThrows(VirtException.class, () -> conn.domainSetMemoryFlags(d, 128 * 1024,
                ModifyFlag.LIVE.bit()));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        e = assertThrows(VirtException.class, () -> conn.domainSetMemoryFlags(d, 128 * 1024, MemoryFlag.MAXIMUM.bit()
                | ModifyFlag.LIVE.bit()));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        DomainRef nb = conn.domainCreateXML(QemuTestSupport.noDiskXml("noballoon", "").replace("</emulator>",
                "</emulator><memballoon model='none'/>"), 0);
        e = assertThrows(VirtException.class, () -> conn.domainSetMemoryFlags(nb, 32 * 1024, ModifyFlag.LIVE.bit()));
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
            VirtException e = assertThrows(VirtException.class, () -> conn.domainCreateXML(xml, 0));
            assertEquals(ErrorCode.OPERATION_FAILED, e.code());
            assertTrue(e.getMessage().contains("tun") || e.getMessage().contains("tap"), e.getMessage());
            assertThrows(VirtException.class, () -> conn.domainLookupByName("tapped"));
            return;
        }
        DomainRef d = conn.domainCreateXML(xml, 0);
        assertTrue(Files.isDirectory(Path.of("/sys/class/net", tap)), "QEMU created the tap");
        // with no disk, the BIOS boots the NIC's PXE ROM, whose DHCP requests the tap receives: the guest's tx
        QemuTestSupport.waitFor(() -> conn.domainInterfaceStats(d, tap).txPackets() > 0, 20_000, "the guest's DHCP");
        InterfaceStats s = conn.domainInterfaceStats(d, "52:54:00:00:00:42");
        // what QEMU writes to the tap is what the guest sent: at least a minimal Ethernet frame each
        assertTrue(s.txBytes() >= 60 * s.txPackets(), s.toString());
        assertTrue(s.rxPackets() >= 0 && s.rxErrs() == 0 && s.txErrs() == 0, s.toString());
        VirtException e = assertThrows(VirtException.class, () -> conn.domainInterfaceStats(d, "52:54:00:00:00:43"));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        e = assertThrows(VirtException.class, () -> conn.domainInterfaceStats(d, "nosuch0"));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        conn.domainDestroyFlags(d, 0);
        assertFalse(Files.exists(Path.of("/sys/class/net", tap)), "the tap went with QEMU");
    }

    @Test
    void autostartWhenTheDriverStarts() throws Exception {
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("auto", ""), 0);
        conn.domainSetAutostart(d, true);
        assertTrue(Files.exists(root.resolve("etc/qemu/autostart/auto.xml")));
        conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("manual", ""), 0);
        assertEquals(DomainState.SHUTOFF, conn.domainGetState(d, 0).state());
        for (DriverConnection c : opened) {
            c.connectClose();
        }
        opened.clear();
        driver.deactivate();
        // a second driver start in the same boot autostarts nothing (libvirt's autostarted marker)
        driver = new QemuDriver();
        conn = connect();
        assertEquals(DomainState.SHUTOFF, conn.domainGetState(conn.domainLookupByName("auto"), 0).state());
        for (DriverConnection c : opened) {
            c.connectClose();
        }
        opened.clear();
        driver.deactivate();
        // after a host boot (the run directory's marker is gone) a driver start runs autostart
        Files.delete(root.resolve("run/qemu/autostarted"));
        driver = new QemuDriver();
        conn = connect();
        DomainRef again = conn.domainLookupByName("auto");
        assertTrue(conn.domainGetAutostart(again));
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_BOOTED), conn.domainGetState(again, 0));
        assertTrue(again.id() > 0);
        assertEquals("running", qmpStatus(again));
        assertEquals(DomainState.SHUTOFF, conn.domainGetState(conn.domainLookupByName("manual"), 0).state());
        conn.domainSetAutostart(again, false);
        assertFalse(Files.exists(root.resolve("etc/qemu/autostart/auto.xml")));
    }
}
