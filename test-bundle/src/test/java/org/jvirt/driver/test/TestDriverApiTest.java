package org.jvirt.driver.test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainEvent;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorListener;
import org.jvirt.api.ListDomainsFlag;
import org.jvirt.api.ListNetworksFlag;
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.MigrateFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.Network;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every API operation on the test driver, through the public API. */
class TestDriverApiTest {
    static final String SMALL = """
            <domain type='test'>
              <name>small</name>
              <uuid>11111111-2222-3333-4444-555555555555</uuid>
              <memory unit='MiB'>128</memory>
              <vcpu>2</vcpu>
              <os><type>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/var/lib/small.img'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;
    static final String NET = """
            <network>
              <name>extra</name>
              <uuid>aaaaaaaa-2222-3333-4444-555555555555</uuid>
              <bridge name='virbr9'/>
              <ip address='10.9.0.1' netmask='255.255.255.0'/>
            </network>
            """;

    Connect conn;
    final List<DomainEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        conn = Connect.open("test:///default");
        conn.addDomainEventListener(events::add);
    }

    @AfterEach
    void close() {
        conn.close();
    }

    static VirtException fails(ErrorCode code, Executable call) {
        VirtException e = assertThrows(VirtException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    List<String> eventLog() {
        List<String> out = new ArrayList<>();
        for (DomainEvent e : events) {
            out.add(e.domain().getName() + " " + e.type() + " " + e.detailLabel());
        }
        return out;
    }

    @Test
    void theConnection() {
        assertEquals("TEST", conn.getType());
        assertEquals("test:///default", conn.getURI());
        assertEquals(2, conn.getVersion());
        assertEquals(9_000_000L, conn.getLibVersion());
        assertEquals(32, conn.getMaxVcpus(null));
        assertFalse(conn.getHostname().isEmpty());
        assertEquals(new NodeInfo("i686", 3145728, 16, 1400, 2, 2, 2, 2), conn.nodeInfo());
        assertTrue(conn.getCapabilities().contains("<os_type>hvm</os_type>"));
        assertEquals("i686", conn.getCapabilitiesDef().getHost().getArch());
        assertTrue(conn.isAlive() && conn.isSecure() && !conn.isEncrypted() && !conn.isReadOnly());
    }

    @Test
    void theCannedHost() {
        assertArrayEquals(new int[] {1}, conn.listDomains());
        assertEquals(1, conn.numOfDomains());
        assertEquals(List.of(), conn.listDefinedDomains());
        Domain test = conn.lookupByName("test");
        assertEquals(1, test.getID());
        assertEquals("6695eb01-f6a4-8304-79aa-97f2502e193f", test.getUUIDString());
        assertEquals("linux", test.getOSType(), "as libvirt's test driver");
        assertEquals(new org.jvirt.api.SecurityLabel("libvirt-test", true), test.getSecurityLabel());
        assertEquals("testSecurity", conn.getSecurityModel().model());
        assertEquals(8, conn.getCPUMap().cpus());
        DomainInfo info = test.getInfo();
        assertEquals(DomainState.RUNNING, info.state());
        assertEquals(8388608, info.maxMemKiB());
        assertEquals(2097152, info.memoryKiB());
        assertEquals(2, info.vcpus());
        assertTrue(info.cpuTimeNs() > 0);
        assertEquals(test, conn.lookupById(1));
        assertEquals(test, conn.lookupByUUID(UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f")));
        assertEquals(test, conn.lookupByUUIDString("6695eb01f6a4830479aa97f2502e193f"));
        assertTrue(test.isActive() && test.isPersistent());
        assertEquals(List.of("default"), conn.listNetworks());
        assertTrue(test.getXMLDesc().startsWith("<domain type='test' id='1'>\n  <name>test</name>"));
    }

    @Test
    void listAllFilters() {
        conn.defineXML(SMALL);
        assertEquals(2, conn.listAllDomains().size());
        assertEquals(List.of("test"), names(conn.listAllDomains(Set.of(ListDomainsFlag.ACTIVE))));
        assertEquals(List.of("small"), names(conn.listAllDomains(Set.of(ListDomainsFlag.INACTIVE))));
        assertEquals(List.of("small"), names(conn.listAllDomains(Set.of(ListDomainsFlag.SHUTOFF))));
        assertEquals(List.of(), names(conn.listAllDomains(Set.of(ListDomainsFlag.TRANSIENT))));
        assertEquals(List.of("small"), conn.listDefinedDomains());
        assertEquals(1, conn.numOfDefinedDomains());
    }

    static List<String> names(List<Domain> doms) {
        return doms.stream().map(Domain::getName).sorted().toList();
    }

    @Test
    void lifecycleWithEvents() {
        Domain d = conn.defineXML(SMALL);
        assertEquals(-1, d.getID());
        VirtException paused = fails(ErrorCode.INVALID_ARG, () -> d.create(Set.of(org.jvirt.api.CreateFlag.PAUSED)));
        assertEquals("unsupported flags (0x1) in function testDomainCreateWithFlags", paused.getMessage(),
                "as libvirt's test driver, which cannot start paused");
        assertEquals(new DomainStatus(DomainState.SHUTOFF, 0), d.getState());
        d.create();
        assertEquals(2, d.getID());
        assertEquals("running", d.getState().state().label());
        assertEquals("booted", d.getState().reasonLabel());
        d.suspend();
        assertEquals(DomainState.PAUSED, d.getInfo().state());
        fails(ErrorCode.INTERNAL_ERROR, d::suspend);
        d.resume();
        d.reboot();
        assertEquals(DomainState.RUNNING, d.getInfo().state());
        d.shutdown();
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_SHUTDOWN), d.getState());
        d.create();
        d.destroy();
        assertEquals("destroyed", d.getState().reasonLabel());
        fails(ErrorCode.OPERATION_INVALID, d::destroy);
        d.undefine();
        fails(ErrorCode.NO_DOMAIN, () -> conn.lookupByName("small"));
        assertEquals(List.of("small DEFINED Added", "small STARTED Booted", "small SUSPENDED Paused",
                "small RESUMED Unpaused", "small STOPPED Shutdown", "small STARTED Booted",
                "small STOPPED Destroyed", "small UNDEFINED Removed"), eventLog());
    }

    @Test
    void transientDomains() {
        Domain d = conn.createXML(SMALL.replace("small", "tran"));
        assertTrue(d.isActive());
        assertFalse(d.isPersistent());
        fails(ErrorCode.OPERATION_INVALID, () -> d.setAutostart(true));
        fails(ErrorCode.OPERATION_INVALID, d::undefine);
        d.destroy();
        fails(ErrorCode.NO_DOMAIN, () -> conn.lookupByName("tran"));
        Domain viaOldName = conn.createLinux(SMALL.replace("small", "tran2"));
        assertTrue(viaOldName.isActive());
    }

    @Test
    void redefineAndClashes() {
        conn.defineXML(SMALL);
        conn.defineXML(SMALL.replace("128", "256"));
        assertEquals(262144, conn.lookupByName("small").getMaxMemory());
        fails(ErrorCode.OPERATION_FAILED, () -> conn.defineXML(SMALL.replace("11111111", "99999999")));
        fails(ErrorCode.OPERATION_FAILED, () -> conn.defineXML(SMALL.replace("<name>small", "<name>other")));
        assertEquals(List.of("small DEFINED Added", "small DEFINED Updated"), eventLog());
    }

    @Test
    void runningUndefineBecomesTransient() {
        Domain d = conn.defineXML(SMALL);
        d.create();
        d.undefine();
        assertFalse(d.isPersistent());
        assertTrue(d.isActive());
        d.destroy();
        fails(ErrorCode.NO_DOMAIN, () -> conn.lookupByName("small"));
    }

    @Test
    void saveRestoreAndCoreDump(@TempDir Path dir) throws Exception {
        Domain test = conn.lookupByName("test");
        Path core = dir.resolve("test.core");
        List<Long> progress = new ArrayList<>();
        test.coreDump(core.toString(), (done, total) -> progress.add(done));
        assertTrue(Files.size(core) > 0);
        assertFalse(progress.isEmpty());
        Path image = dir.resolve("test.save");
        test.suspend();
        test.save(image.toString());
        assertEquals(new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_SAVED), test.getState());
        assertTrue(Files.size(image) > 0);
        conn.restore(image.toString());
        assertEquals(DomainState.PAUSED, test.getState().state(), "a paused guest comes back paused");
        assertTrue(conn.lookupByName("test").getID() > 1);
        fails(ErrorCode.OPERATION_INVALID, () -> conn.restore(image.toString()));
        fails(ErrorCode.SYSTEM_ERROR, () -> conn.restore(dir.resolve("missing").toString()));
        Files.writeString(dir.resolve("junk"), "not an image at all");
        fails(ErrorCode.INTERNAL_ERROR, () -> conn.restore(dir.resolve("junk").toString()));
        assertTrue(eventLog().containsAll(List.of("test STOPPED Saved", "test STARTED Restored")));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void resources() {
        Domain test = conn.lookupByName("test");
        test.setMemory(1024 * 1024);
        assertEquals(1024 * 1024, test.getInfo().memoryKiB());
        fails(ErrorCode.INVALID_ARG, () -> test.setMemory(99_999_999));
        fails(ErrorCode.INVALID_ARG, () -> test.setMemory(0));
        test.setMaxMemory(4 * 1024 * 1024);
        assertEquals(4 * 1024 * 1024, test.getMaxMemory());
        test.setVcpus(1);
        assertEquals(1, test.getInfo().vcpus());
        assertEquals(2, test.getMaxVcpus());
        fails(ErrorCode.INVALID_ARG, () -> test.setVcpus(3));
        fails(ErrorCode.INVALID_ARG, () -> test.setVcpus(33));
        fails(ErrorCode.INVALID_ARG, () -> test.setVcpus(2, Set.of(VcpuFlag.CONFIG, VcpuFlag.MAXIMUM,
                VcpuFlag.LIVE)));
        List<VcpuInfo> vcpus = test.getVcpus();
        assertEquals(1, vcpus.size());
        assertEquals(16, vcpus.get(0).affinity().cardinality());
        BitSet pin = new BitSet();
        pin.set(3);
        test.pinVcpu(0, pin);
        assertEquals(pin, test.getVcpus().get(0).affinity());
        assertEquals(3, test.getVcpus().get(0).cpu());
        fails(ErrorCode.INVALID_ARG, () -> test.pinVcpu(5, pin));
        assertEquals("fair", test.getSchedulerType());
        assertEquals(List.of(TypedParameter.ofUInt("weight", 50)), test.getSchedulerParameters());
        test.setSchedulerParameters(List.of(TypedParameter.ofUInt("weight", 77)));
        assertEquals(77, test.getSchedulerParameters().get(0).value());
        fails(ErrorCode.INVALID_ARG, () -> test.setSchedulerParameters(List.of(TypedParameter.ofUInt("cap", 1))));
        test.setAutostart(true);
        assertTrue(test.getAutostart());
        assertEquals(List.of("test"), names(conn.listAllDomains(Set.of(ListDomainsFlag.AUTOSTART))));
    }

    @Test
    void configOnlyChangesShowInInactiveXml() {
        Domain test = conn.lookupByName("test");
        test.setMemory(1048576, Set.of(MemoryFlag.CONFIG));
        assertEquals(2097152, test.getInfo().memoryKiB());
        assertTrue(test.getXMLDesc(Set.of(XmlFlag.INACTIVE)).contains("<currentMemory unit='KiB'>1048576<"));
    }

    @Test
    void devicesAndStats() {
        Domain test = conn.lookupByName("test");
        String disk = "<disk type='file' device='disk'><source file='/tmp/extra.img'/><target dev='vdb' bus='virtio'/></disk>";
        test.attachDevice(disk);
        assertTrue(test.getXMLDesc().contains("/tmp/extra.img"));
        assertFalse(test.getXMLDesc(Set.of(XmlFlag.INACTIVE)).contains("/tmp/extra.img"), "live only");
        fails(ErrorCode.OPERATION_FAILED, () -> test.attachDevice(disk));
        assertTrue(test.blockStats("vdb").rdReq() > 0);
        test.detachDevice("<disk type='file' device='disk'><source file='/tmp/extra.img'/></disk>");
        assertFalse(test.getXMLDesc().contains("/tmp/extra.img"));
        fails(ErrorCode.DEVICE_MISSING, () -> test.detachDevice(disk));
        fails(ErrorCode.INVALID_ARG, () -> test.blockStats("vdb"));
        test.attachDevice("<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>",
                Set.of(ModifyFlag.LIVE, ModifyFlag.CONFIG));
        assertTrue(test.getXMLDesc(Set.of(XmlFlag.INACTIVE)).contains("52:54:00:00:00:01"));
        assertTrue(test.interfaceStats("testnet0").rxBytes() > 0);
        assertTrue(test.interfaceStats("testnet1").txBytes() > 0);
        fails(ErrorCode.INVALID_ARG, () -> test.interfaceStats("eth9"));
        test.detachDevice("<interface type='network'><mac address='52:54:00:00:00:01'/></interface>",
                Set.of(ModifyFlag.CONFIG));
        assertFalse(test.getXMLDesc(Set.of(XmlFlag.INACTIVE)).contains("52:54:00:00:00:01"));
        assertTrue(test.getXMLDesc().contains("52:54:00:00:00:01"));
        fails(ErrorCode.XML_DETAIL, () -> test.attachDevice("<disk"));
    }

    @Test
    void migrateBetweenHosts(@TempDir Path dir) throws Exception {
        Path node = dir.resolve("node.xml");
        Files.writeString(node, "<node><cpu><mhz>2000</mhz><model>i686</model><active>4</active><nodes>1</nodes>"
                + "<sockets>1</sockets><cores>2</cores><threads>2</threads></cpu><memory>4194304</memory></node>");
        try (Connect dest = Connect.open("test://" + node)) {
            assertEquals(0, dest.numOfDomains());
            assertEquals(4, dest.nodeInfo().cpus());
            List<Long> progress = new ArrayList<>();
            Domain moved = conn.lookupByName("test").migrate(dest, Set.of(MigrateFlag.LIVE, MigrateFlag.PERSIST_DEST),
                    null, null, 0, (done, total) -> progress.add(done));
            assertEquals("test", moved.getName());
            assertSame(dest, moved.getConnect());
            assertEquals(DomainState.RUNNING, moved.getInfo().state());
            assertTrue(moved.isPersistent());
            assertEquals(DomainState.SHUTOFF, conn.lookupByName("test").getInfo().state());
            assertEquals("migrated", conn.lookupByName("test").getState().reasonLabel());
            assertFalse(progress.isEmpty());
            fails(ErrorCode.OPERATION_INVALID, () -> conn.lookupByName("test").migrate(dest, Set.of(), null, null, 0,
                    null));
        }
    }

    @Test
    void hostFileWithDomainsAndNetworks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("dom.xml"), SMALL);
        Path node = dir.resolve("node.xml");
        Files.writeString(node, "<node><domain file='dom.xml'/>" + NET + "<memory>8192000</memory></node>");
        try (Connect c = Connect.open("test://" + node)) {
            assertEquals(DomainState.RUNNING, c.lookupByName("small").getInfo().state());
            assertEquals("virbr9", c.networkLookupByName("extra").getBridgeName());
            assertEquals(8192000, c.nodeInfo().memoryKiB());
        }
        Files.writeString(node, "<node><memory>lots</memory></node>");
        fails(ErrorCode.XML_ERROR, () -> Connect.open("test://" + node).close());
        fails(ErrorCode.INVALID_ARG, () -> Connect.open("test://" + dir.resolve("absent.xml")).close());
        fails(ErrorCode.INVALID_ARG, () -> Connect.open("test:///").close());
    }

    @Test
    void networks() {
        Network def = conn.networkLookupByName("default");
        assertEquals("virbr0", def.getBridgeName());
        assertTrue(def.isActive() && def.isPersistent());
        assertEquals("dd8fe884-6c02-601e-7551-cca97df1c5df", def.getUUIDString());
        assertEquals(def, conn.networkLookupByUUIDString("dd8fe884-6c02-601e-7551-cca97df1c5df"));
        Network extra = conn.networkDefineXML(NET);
        assertEquals(List.of("extra"), conn.listDefinedNetworks());
        assertFalse(extra.isActive());
        extra.create();
        assertEquals(List.of("default", "extra"), conn.listNetworks());
        extra.setAutostart(true);
        assertTrue(extra.getAutostart());
        assertEquals(1, conn.listAllNetworks(Set.of(ListNetworksFlag.AUTOSTART)).size());
        conn.networkDefineXML(NET.replace("virbr9", "virbr8"));
        assertEquals("virbr9", extra.getBridgeName(), "the running network keeps its definition");
        assertEquals("unsupported flags (0x1) in function testNetworkGetXMLDesc", fails(ErrorCode.INVALID_ARG,
                () -> extra.getXMLDesc(Set.of(org.jvirt.api.NetworkXmlFlag.INACTIVE))).getMessage(),
                "as libvirt's test driver");
        extra.destroy();
        assertEquals("virbr8", extra.getBridgeName(), "the new definition takes effect when stopped");
        extra.undefine();
        fails(ErrorCode.NO_NETWORK, () -> conn.networkLookupByName("extra"));
        Network tran = conn.networkCreateXML(NET);
        assertFalse(tran.isPersistent());
        tran.destroy();
        fails(ErrorCode.NO_NETWORK, () -> conn.networkLookupByName("extra"));
        assertTrue(def.getXMLDesc().contains("<bridge name='virbr0'"));
        fails(ErrorCode.XML_DETAIL, () -> conn.networkDefineXML("<network><name>x"));
    }

    @Test
    void readOnlyRefusesEveryChange() {
        try (Connect ro = Connect.openReadOnly("test:///default")) {
            assertTrue(ro.isReadOnly());
            Domain test = ro.lookupByName("test");
            assertEquals(DomainState.RUNNING, test.getInfo().state());
            Network net = ro.networkLookupByName("default");
            List<Executable> changes = List.of(() -> ro.defineXML(SMALL), () -> ro.createXML(SMALL),
                    () -> ro.restore("/tmp/x"), test::create, test::destroy, test::shutdown, test::reboot,
                    test::suspend, test::resume, () -> test.save("/tmp/x"), () -> test.coreDump("/tmp/x"),
                    test::undefine, () -> test.setAutostart(true), () -> test.setMemory(1024),
                    () -> test.setMaxMemory(1024), () -> test.setVcpus(1), () -> test.pinVcpu(0, BitSet.valueOf(new long[] {1})),
                    () -> test.setSchedulerParameters(List.of()), () -> test.attachDevice("<disk/>"),
                    () -> test.detachDevice("<disk/>"), () -> test.migrate(conn, Set.of(), null, null, 0, null),
                    () -> ro.networkDefineXML(NET), () -> ro.networkCreateXML(NET), net::create, net::destroy,
                    net::undefine, () -> net.setAutostart(false), () -> test.getXMLDesc(Set.of(XmlFlag.SECURE)));
            for (Executable change : changes) {
                fails(ErrorCode.OPERATION_DENIED, change);
            }
            assertEquals(DomainState.RUNNING, test.getInfo().state(), "nothing changed");
        }
    }

    @Test
    void errorsReachListenersAndLastError() {
        List<VirtError> perConn = new ArrayList<>();
        List<VirtError> global = new ArrayList<>();
        ErrorListener g = global::add;
        Connect.addGlobalErrorListener(g);
        try {
            conn.addErrorListener(perConn::add);
            VirtException e = fails(ErrorCode.NO_DOMAIN, () -> conn.lookupByName("nope"));
            assertEquals("Domain not found", e.getMessage(), "as libvirt's test driver: no detail");
            assertEquals(e.error(), conn.getLastError());
            assertEquals(e.error(), Connect.lastError());
            assertEquals(List.of(e.error()), perConn);
            assertEquals(List.of(e.error()), global);
            assertEquals(org.jvirt.api.ErrorDomain.TEST, e.domain());
            conn.lookupByName("test");
            assertNull(Connect.lastError(), "a good call resets the thread's last error");
            assertNotNull(conn.getLastError(), "the connection keeps its last error until reset");
            conn.resetLastError();
            assertNull(conn.getLastError());
            VirtException onDomain = fails(ErrorCode.OPERATION_INVALID, () -> conn.lookupByName("test").create());
            assertEquals("test", onDomain.error().domainName());
        } finally {
            Connect.removeGlobalErrorListener(g);
        }
    }

    @Test
    void badArgumentsAndXml() {
        fails(ErrorCode.INVALID_ARG, () -> conn.lookupByName(null));
        fails(ErrorCode.INVALID_ARG, () -> conn.lookupById(-1));
        fails(ErrorCode.INVALID_ARG, () -> conn.lookupByUUIDString("not-a-uuid"));
        fails(ErrorCode.INVALID_ARG, () -> conn.defineXML(""));
        fails(ErrorCode.NO_DOMAIN, () -> conn.lookupById(42));
        fails(ErrorCode.XML_DETAIL, () -> conn.defineXML("<domain type='test'><name>x</name"));
        fails(ErrorCode.NO_NAME, () -> conn.defineXML("<domain type='test'><memory>1</memory></domain>")); // libvirt: NO_NAME
        assertEquals(1, conn.listAllDomains().size(), "nothing was defined by the bad calls");
        Domain exe = conn.defineXML(SMALL.replace("hvm", "exe"));
        assertTrue(exe.getXMLDesc().contains("<type arch='i686'>exe</type>"), "accepted and defaulted as libvirt's test driver does");
    }

    @Test
    void stateIsSharedAndEventsReachOtherConnections() {
        try (Connect other = Connect.open("test:///default")) {
            List<DomainEvent> seen = new CopyOnWriteArrayList<>();
            other.addDomainEventListener(seen::add);
            conn.defineXML(SMALL);
            assertEquals("small", other.lookupByName("small").getName());
            assertEquals(1, seen.size());
            assertEquals(DomainEventType.DEFINED, seen.get(0).type());
            assertSame(other, seen.get(0).domain().getConnect());
        }
    }

    @Test
    void stateGoesWhenTheLastConnectionCloses() {
        conn.defineXML(SMALL);
        conn.close();
        conn = Connect.open("test:///default");
        fails(ErrorCode.NO_DOMAIN, () -> conn.lookupByName("small"));
    }

    @Test
    void closeIsIdempotentAndClosedConnectionsRefuse() {
        Connect c = Connect.open("test:///default");
        Domain test = c.lookupByName("test");
        c.close();
        c.close();
        assertFalse(c.isAlive());
        fails(ErrorCode.INVALID_CONN, c::listDomains);
        fails(ErrorCode.INVALID_CONN, test::getInfo);
    }

    @Test
    void xmlToNativeIsNotSupported() {
        fails(ErrorCode.NO_SUPPORT, () -> conn.domainXMLToNative("qemu-argv", SMALL));
    }
}
