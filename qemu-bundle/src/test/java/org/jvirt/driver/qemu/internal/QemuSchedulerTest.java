package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.driver.qemu.internal.monitor.QmpCpu;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;

/** Scheduler parameters of real QEMU guests through the cgroup cpu controller (libvirt's "posix" set). */
class QemuSchedulerTest {
    @TempDir
    Path root;
    QemuDriver driver;
    DriverConnection conn;
    QemuTestSupport.Events events;
    final List<DriverConnection> opened = new ArrayList<>();
    final List<Connect> connects = new ArrayList<>();

    static final List<String> NAMES = List.of("cpu_shares", "vcpu_period", "vcpu_quota", "emulator_period",
            "emulator_quota", "global_period", "global_quota", "iothread_period", "iothread_quota");

    @BeforeEach
    void open() {
        QemuTestSupport.requireQemu();
        driver = new QemuDriver();
    }

    DriverConnection connect() {
        events = new QemuTestSupport.Events();
        conn = QemuTestSupport.listen(driver.open(VirtUri.parse(uri()), new OpenContext(false, null, events))
                .orElseThrow());
        opened.add(conn);
        return conn;
    }

    String uri() {
        return "qemu:///embed?root=" + root;
    }

    @AfterEach
    void cleanup() {
        try {
            for (Connect c : connects) {
                for (Domain d : c.listAllDomains()) {
                    if (d.isActive()) {
                        d.destroy();
                    }
                }
                c.close();
            }
            if (conn != null) {
                for (DomainRef d : conn.connectListAllDomains(0)) {
                    if (conn.domainIsActive(d)) {
                        conn.domainDestroyFlags(d, 0);
                    }
                }
            }
        } finally {
            for (DriverConnection c : opened) {
                c.connectClose();
            }
            driver.deactivate();
            assertEquals(0, QemuTestSupport.killStray(root), "QEMU processes were left behind");
            QemuCgroup.Host h = host();
            if (h.usable()) {
                assertFalse(Files.exists(rootGroup()), "cgroup left behind: " + rootGroup());
            }
        }
    }

    QemuCgroup.Host host() {
        return QemuCgroup.detect(QemuConfig.fromUri(VirtUri.parse(uri())));
    }

    /** This driver root's directory under the cpu hierarchy. */
    Path rootGroup() {
        return QemuCgroup.of(host(), QemuConfig.fromUri(VirtUri.parse(uri())), "x").dir.getParent();
    }

    Path group(String domain) {
        return QemuCgroup.of(host(), QemuConfig.fromUri(VirtUri.parse(uri())), domain).dir;
    }

    static String read(Path f) throws IOException {
        return Files.readString(f).trim();
    }

    /** The cpu-controller cgroup path of a thread, from /proc. */
    static String cpuCgroupOf(long pid, long tid) throws IOException {
        String v2 = null;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/task/" + tid + "/cgroup"))) {
            String[] f = l.split(":", 3);
            if (List.of(f[1].split(",")).contains("cpu")) {
                return f[2];
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2 = f[2];
            }
        }
        return v2;
    }

    List<Long> vcpuThreads(DomainRef d) {
        List<Long> out = new ArrayList<>();
        for (QmpCpu cpu : ((QemuConnection) conn).monitorFor(d).queryCpusFast()) {
            out.add(cpu.threadId());
        }
        return out;
    }

    static TypedParameter ull(String name, long v) {
        return new TypedParameter(name, TypedParameter.Type.ULLONG, v);
    }

    static TypedParameter ll(String name, long v) {
        return new TypedParameter(name, TypedParameter.Type.LLONG, v);
    }

    static long value(List<TypedParameter> params, String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst().map(p -> (Long) p.value())
                .orElseThrow();
    }

    void assertInvalid(DomainRef d, TypedParameter p, String message) {
        VirtException e = assertThrows(VirtException.class, () -> conn.domainSetSchedulerParametersFlags(d, List.of(p), 0));
        assertEquals(ErrorCode.INVALID_ARG, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void parametersLiveInTheDomainsCgroups() throws Exception {
        QemuCgroup.Host h = host();
        QemuTestSupport.require(h.usable(), "a writable cgroup cpu controller (" + h.problem() + ")");
        boolean v2 = h.v2();
        connect();
        DomainRef d = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("sched", "").replace("<vcpu>1</vcpu>",
                "<vcpu>2</vcpu>"), 0);
        assertEquals("posix", conn.domainGetSchedulerType(d).type());
        // inactive: the persistent <cputune>, 0 where unset; setting writes it
        List<TypedParameter> cfg = conn.domainGetSchedulerParametersFlags(d, Integer.MAX_VALUE, 0);
        assertEquals(NAMES, cfg.stream().map(TypedParameter::name).toList());
        assertTrue(cfg.stream().allMatch(p -> ((Long) p.value()) == 0L));
        conn.domainSetSchedulerParametersFlags(d, List.of(ull("cpu_shares", 300), ll("vcpu_quota", 20000)), 0);
        String xml = Files.readString(root.resolve("etc/qemu/sched.xml"));
        assertTrue(xml.contains("<shares>300</shares>") && xml.contains("<quota>20000</quota>"), xml);
        assertEquals(300, value(conn.domainGetSchedulerParametersFlags(d, Integer.MAX_VALUE, 0), "cpu_shares"));

        // started: <cputune> applied, QEMU in emulator, each vCPU thread in vcpuN
        d = conn.domainCreateWithFlags(d, 0);
        Path g = group("sched");
        assertTrue(Files.isDirectory(g.resolve("emulator")) && Files.isDirectory(g.resolve("vcpu1")), g.toString());
        long pid = ((QemuConnection) conn).pidOf(d);
        String rel = "/" + h.mount().relativize(g);
        List<Long> tids = vcpuThreads(d);
        assertEquals(2, tids.size());
        for (int i = 0; i < tids.size(); i++) {
            assertEquals(rel + "/vcpu" + i, cpuCgroupOf(pid, tids.get(i)));
        }
        assertEquals(rel + "/emulator", cpuCgroupOf(pid, pid));
        List<TypedParameter> live = conn.domainGetSchedulerParametersFlags(d, Integer.MAX_VALUE, 0);
        assertEquals(NAMES, live.stream().map(TypedParameter::name).toList());
        assertEquals(List.of(TypedParameter.Type.ULLONG, TypedParameter.Type.ULLONG, TypedParameter.Type.LLONG,
                TypedParameter.Type.ULLONG, TypedParameter.Type.LLONG, TypedParameter.Type.ULLONG,
                TypedParameter.Type.LLONG, TypedParameter.Type.ULLONG, TypedParameter.Type.LLONG),
                live.stream().map(TypedParameter::type).toList());
        assertEquals(300, value(live, "cpu_shares"));
        assertEquals(20000, value(live, "vcpu_quota"));
        if (!v2) {
            assertEquals("300", read(g.resolve("cpu.shares")));
            assertEquals("20000", read(g.resolve("vcpu1/cpu.cfs_quota_us")));
            assertEquals(read(g.resolve("emulator/cpu.cfs_period_us")), Long.toString(value(live, "emulator_period")));
            assertEquals(-1, value(live, "global_quota"));
        }

        // set live: shares, vCPU period and quota, global quota
        conn.domainSetSchedulerParametersFlags(d, List.of(ull("cpu_shares", 512), ull("vcpu_period", 50000),
                ll("vcpu_quota", 25000), ll("global_quota", 150000)), 0);
        live = conn.domainGetSchedulerParametersFlags(d, Integer.MAX_VALUE, 0);
        assertEquals(512, value(live, "cpu_shares"));
        assertEquals(50000, value(live, "vcpu_period"));
        assertEquals(25000, value(live, "vcpu_quota"));
        assertEquals(150000, value(live, "global_quota"));
        assertEquals(value(live, "global_quota"), value(live, "iothread_quota"), "no iothreads: the domain's group");
        if (v2) {
            assertEquals("512", read(g.resolve("cpu.weight")));
            assertEquals("25000 50000", read(g.resolve("vcpu0/cpu.max")));
            assertTrue(read(g.resolve("cpu.max")).startsWith("150000 "));
        } else {
            assertEquals("512", read(g.resolve("cpu.shares")));
            for (String v : List.of("vcpu0", "vcpu1")) {
                assertEquals("50000", read(g.resolve(v + "/cpu.cfs_period_us")));
                assertEquals("25000", read(g.resolve(v + "/cpu.cfs_quota_us")));
            }
            assertEquals("150000", read(g.resolve("cpu.cfs_quota_us")));
        }
        assertTrue(conn.domainGetXMLDesc(d, 0).contains("<shares>512</shares>"), conn.domainGetXMLDesc(d, 0));

        // libvirt's ranges and names
        assertInvalid(d, ull("vcpu_period", 999), "value of 'vcpu_period' is out of range [1000, 1000000]");
        assertInvalid(d, ull("global_period", 1000001), "out of range");
        assertInvalid(d, ll("vcpu_quota", 999), "value of 'vcpu_quota' is out of range [1000, 17592186044415]");
        assertInvalid(d, ull("cpu_shares", 1), "shares '1' must be in range [2, 262144]");
        assertInvalid(d, ull("weight", 5), "parameter 'weight' not supported");
        assertInvalid(d, ll("cpu_shares", 5), "invalid type");
        assertEquals(512, value(conn.domainGetSchedulerParametersFlags(d, Integer.MAX_VALUE, 0), "cpu_shares"),
                "nothing changed by bad values");

        // the driver goes away and comes back: the guest's cgroup is found again
        for (DriverConnection c : opened) {
            c.connectClose();
        }
        opened.clear();
        driver.deactivate();
        driver = new QemuDriver();
        connect();
        DomainRef again = conn.domainLookupByName("sched");
        assertEquals(512, value(conn.domainGetSchedulerParametersFlags(again, Integer.MAX_VALUE, 0), "cpu_shares"));
        conn.domainSetSchedulerParametersFlags(again, List.of(ll("emulator_quota", 40000)), 0);
        assertEquals(40000, value(conn.domainGetSchedulerParametersFlags(again, Integer.MAX_VALUE, 0), "emulator_quota"));

        // a crash (kill -9) removes the groups
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        events.await(DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED, 3000);
        assertFalse(Files.exists(g), "cgroup removed after the crash");
        assertFalse(Files.exists(rootGroup()));

        // and destroy removes them too; the persistent config still has the values set while inactive
        assertEquals(300, value(conn.domainGetSchedulerParametersFlags(again, Integer.MAX_VALUE, 0), "cpu_shares"));
        again = conn.domainCreateWithFlags(again, 0);
        assertTrue(Files.isDirectory(g.resolve("vcpu0")));
        conn.domainDestroyFlags(again, 0);
        assertFalse(Files.exists(g), "cgroup removed after destroy");
    }

    @Test
    void noUsableCpuControllerIsNoSupport() throws Exception {
        Files.createDirectories(root.resolve("etc/qemu"));
        Files.writeString(root.resolve("etc/qemu/qemu.conf"), "cgroup_root = \"" + root.resolve("no-cgroup") + "\"\n");
        connect();
        assertFalse(host().usable());
        DomainRef d = conn.domainCreateXML(QemuTestSupport.noDiskXml("plain", ""), 0);
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> conn.domainGetSchedulerType(d).type(),
                () -> conn.domainGetSchedulerParametersFlags(d, Integer.MAX_VALUE, 0),
                () -> conn.domainSetSchedulerParametersFlags(d, List.of(ull("cpu_shares", 512)), 0))) {
            VirtException e = assertThrows(VirtException.class, call);
            assertEquals(ErrorCode.NO_SUPPORT, e.code());
            assertTrue(e.getMessage().contains("no-cgroup") && e.getMessage().contains("cpu controller"),
                    e.getMessage());
        }
        conn.domainDestroyFlags(d, 0);
        // a guest asking for <cputune> cannot start without the controller
        VirtException e = assertThrows(VirtException.class, () -> conn.domainCreateXML(QemuTestSupport.noDiskXml(
                "tuned", "<cputune><shares>512</shares></cputune>"), 0));
        assertEquals(ErrorCode.CONFIG_UNSUPPORTED, e.code(), e.getMessage());
    }

    @Test
    void jvirshSchedinfoShowsAndSets() throws Exception {
        QemuCgroup.Host h = host();
        QemuTestSupport.require(h.usable(), "a writable cgroup cpu controller (" + h.problem() + ")");
        Connect c = Connect.open(uri());
        connects.add(c);
        c.createXML(QemuTestSupport.noDiskXml("shell", ""));
        QemuJvirshMigrateTest.Run r = QemuJvirshMigrateTest.jvirsh("-c", uri(), "schedinfo", "shell");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().startsWith("Scheduler      : posix\ncpu_shares     : "), r.out());
        assertTrue(r.out().contains("\nvcpu_period    : ") && r.out().contains("\niothread_quota : "), r.out());
        r = QemuJvirshMigrateTest.jvirsh("-c", uri(), "schedinfo", "shell", "--set", "cpu_shares=512");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("\ncpu_shares     : 512\n"), r.out());
        assertEquals("512", read(group("shell").resolve(h.v2() ? "cpu.weight" : "cpu.shares")));
        r = QemuJvirshMigrateTest.jvirsh("-c", uri(), "schedinfo", "shell", "--set", "vcpu_period=5");
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("value of 'vcpu_period' is out of range"), r.err());
    }
}
