package org.jvirt.remote.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.jvirt.api.BlockInfo;
import org.jvirt.api.Connect;
import org.jvirt.api.ControlInfo;
import org.jvirt.api.DomainTime;
import org.jvirt.api.MemoryStat;
import org.jvirt.api.MetadataType;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.NodeStat;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainEvent;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.OpenFlag;
import org.jvirt.api.SaveFlag;
import org.jvirt.api.VirtException;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.remote.internal.xdr.XdrWriter;

/**
 * One API suite for a daemon serving libvirt's {@code test:///default} over a unix socket, run through
 * jvirt's remote driver: against Debian's libvirtd and against jvirtd, with the same expectations.
 */
abstract class RemoteApiContract {
    /** The client's front end: the remote driver from the class path. */
    private final FrontEndImpl client = new FrontEndImpl();

    /** The daemon's read-write and read-only sockets. */
    abstract java.nio.file.Path socket();

    abstract java.nio.file.Path readOnlySocket();

    Connect open() {
        return client.open("test+unix:///default?socket=" + socket(), null, Set.of());
    }

    private static final String NEW_DOMAIN = "<domain type='test'><name>contract</name><memory>65536</memory>"
            + "<os><type>hvm</type></os></domain>";

    @Test
    void theConnection() {
        try (Connect c = open()) {
            assertEquals("TEST", c.getType().toUpperCase());
            assertEquals("test+unix:///default?socket=" + socket(), c.getURI());
            assertEquals(2, c.getVersion());
            assertEquals(9_000_000, c.getLibVersion());
            assertFalse(c.getHostname().isEmpty());
            assertTrue(c.isAlive());
            assertTrue(c.isSecure());
            assertFalse(c.isEncrypted());
            assertTrue(c.getCapabilities().contains("<capabilities>"));
            assertEquals(16, c.nodeInfo().cpus());
            assertEquals(3_145_728, c.getFreeMemory(), "libvirt's test driver: its two cells' fixed free memory");
        }
    }

    @Test
    void theDefaultDomain() {
        try (Connect c = open()) {
            List<Domain> all = c.listAllDomains();
            assertEquals(List.of("test"), all.stream().map(Domain::getName).toList());
            Domain d = c.lookupByName("test");
            assertEquals(1, d.getID());
            assertEquals("6695eb01-f6a4-8304-79aa-97f2502e193f", d.getUUIDString());
            assertEquals(d, c.lookupById(1));
            DomainInfo info = d.getInfo();
            assertEquals(DomainState.RUNNING, info.state());
            assertEquals(8388608, info.maxMemKiB());
            assertEquals(2, info.vcpus());
            assertTrue(d.getXMLDesc().contains("<name>test</name>"));
            assertEquals("linux", d.getOSType());
            assertTrue(d.isPersistent());
            assertTrue(d.isActive());
            VirtException e = assertThrows(VirtException.class, () -> c.lookupByName("nosuch"));
            assertEquals(ErrorCode.NO_DOMAIN, e.code());
        }
    }

    @Test
    void lifecycleWithEvents() throws Exception {
        BlockingQueue<DomainEvent> events = new LinkedBlockingQueue<>();
        try (Connect c = open()) {
            c.addDomainEventListener(events::add);
            Domain d = c.lookupByName("test");
            d.suspend();
            assertEquals(DomainState.PAUSED, d.getState().state());
            d.resume();
            assertEquals(DomainState.RUNNING, d.getState().state());
            assertEvent(events, "test", DomainEventType.SUSPENDED);
            assertEvent(events, "test", DomainEventType.RESUMED);

            Domain defined = c.defineXML(NEW_DOMAIN);
            assertEvent(events, "contract", DomainEventType.DEFINED);
            assertFalse(defined.isActive());
            defined.create();
            assertEvent(events, "contract", DomainEventType.STARTED);
            assertTrue(c.lookupByName("contract").isActive());
            defined.destroy();
            assertEvent(events, "contract", DomainEventType.STOPPED);
            defined.undefine();
            assertEvent(events, "contract", DomainEventType.UNDEFINED);
            assertThrows(VirtException.class, () -> c.lookupByName("contract"));
        }
    }

    @Test
    void unknownFlagBitsAreRefusedByTheDriver() {
        try (Connect c = open()) {
            VirtException e = assertThrows(VirtException.class, () -> c.lookupByName("test").destroy(1 << 30));
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertEquals("unsupported flags (0x40000000) in function testDomainDestroyFlags", e.getMessage());
        }
    }

    @Test
    void readOnlyRefusesChanges() {
        try (Connect ro = client.open("test+unix:///default?socket=" + readOnlySocket(), null,
                Set.of(OpenFlag.READ_ONLY))) {
            assertEquals(1, ro.listAllDomains().size());
            VirtException e = assertThrows(VirtException.class, () -> ro.lookupByName("test").suspend());
            assertEquals(ErrorCode.OPERATION_DENIED, e.code());
            assertEquals("operation forbidden: read only access prevents virDomainSuspend", e.getMessage());
        }
    }

    @Test
    void networks() {
        try (Connect c = open()) {
            assertEquals(List.of("default"), c.listNetworks());
            assertEquals(1, c.numOfNetworks());
            assertTrue(c.networkLookupByName("default").isActive());
            assertTrue(c.networkLookupByName("default").getXMLDesc().contains("<name>default</name>"));
        }
    }

    /** What test:///default's running domain tells, as libvirt 9.0's test driver tells it. */
    @Test
    void runtimeQueries() {
        try (Connect c = open()) {
            Domain d = c.lookupByName("test");
            assertEquals(2, d.getVcpuCount(Set.of()));
            assertEquals(2, d.getVcpuCount(Set.of(VcpuFlag.MAXIMUM, VcpuFlag.CONFIG)));
            List<MemoryStat> stats = d.memoryStats();
            assertEquals(13, stats.size());
            assertEquals(new MemoryStat(MemoryStat.ACTUAL_BALLOON, 2097152), stats.get(0));
            assertEquals(new MemoryStat(MemoryStat.LAST_UPDATE, 627319920), stats.get(8));
            assertEquals(new MemoryStat(MemoryStat.RSS, 1048576), stats.get(12));
            assertEquals(new BlockInfo(1099506450432L, 1099511627776L, 1099511627776L), d.getBlockInfo("vda"));
            assertEquals(new ControlInfo(ControlInfo.OK, 0, 0), d.getControlInfo());
            assertEquals(new DomainTime(627319920, 0), d.getTime());
            assertEquals("testhost", d.getHostname());
            VirtException e = assertThrows(VirtException.class, () -> d.getBlockInfo("hda"));
            assertEquals("invalid argument: invalid path hda not assigned to domain", e.getMessage());
            assertEquals(ErrorDomain.TEST, e.domain());
            e = assertThrows(VirtException.class, () -> d.getVcpuCount(Set.of(VcpuFlag.GUEST)));
            assertEquals("unsupported flags (0x8) in function testDomainGetVcpusFlags", e.getMessage());
            d.destroy();
            try {
                e = assertThrows(VirtException.class, d::getTime);
                assertEquals("Requested operation is not valid: domain is not running", e.getMessage());
                assertEquals(ErrorDomain.TEST, e.domain());
                e = assertThrows(VirtException.class, d::memoryStats);
                assertEquals(ErrorCode.OPERATION_INVALID, e.code());
                assertEquals(ErrorDomain.DOMAIN, e.domain());
                assertEquals(2, d.getVcpuCount(Set.of()));
            } finally {
                d.create();
            }
        }
        try (Connect ro = client.open("test+unix:///default?socket=" + readOnlySocket(), null,
                Set.of(OpenFlag.READ_ONLY))) {
            VirtException e = assertThrows(VirtException.class, () -> ro.lookupByName("test").getHostname());
            assertEquals("operation forbidden: read only access prevents virDomainGetHostname", e.getMessage());
            assertEquals(2, ro.lookupByName("test").getVcpuCount(Set.of(VcpuFlag.LIVE)));
        }
    }

    /** What test:///default's host tells, as libvirt 9.0's test driver tells it. */
    @Test
    void hostQueries() {
        try (Connect c = open()) {
            assertTrue(c.getSysinfo().startsWith("<sysinfo type='smbios'>\n  <bios>\n"));
            assertEquals(List.of(2097152L, 4194304L),
                    java.util.Arrays.stream(c.getCellsFreeMemory(0, 5)).boxed().toList());
            VirtException e = assertThrows(VirtException.class, () -> c.getCellsFreeMemory(2, 1));
            assertEquals("invalid argument: Range exceeds available cells", e.getMessage());
            assertEquals(List.of(new NodeStat("user", 9797400000L), new NodeStat("kernel", 34678723400000L),
                    new NodeStat("idle", 87264900000L), new NodeStat("iowait", 763600000L)), c.nodeCPUStats(NodeStat.ALL));
            e = assertThrows(VirtException.class, () -> c.nodeMemoryStats(NodeStat.ALL));
            assertEquals("this function is not supported by the connection driver: virNodeGetMemoryStats",
                    e.getMessage());
            assertEquals(ErrorDomain.DOMAIN, e.domain());
            assertEquals(List.of("POWER6", "POWER7", "POWER8", "POWER9", "POWER10", "POWERPC_e5500", "POWERPC_e6500"),
                    c.getCPUModelNames("ppc64"));
            assertEquals(58, c.getCPUModelNames("x86_64").size());
            assertEquals(List.of(), c.getCPUModelNames("aarch64"));
            e = assertThrows(VirtException.class, () -> c.getCPUModelNames("mips"));
            assertEquals(ErrorCode.NO_SUPPORT, e.code());
            assertEquals(ErrorDomain.CPU, e.domain());
            e = assertThrows(VirtException.class, () -> c.getCPUModelNames("bogus"));
            assertEquals("invalid argument: cannot find architecture bogus", e.getMessage());
        }
    }

    /** The vCPUs' and the emulator's CPU affinity, as libvirt 9.0's test driver keeps it. */
    @Test
    void pinning() {
        try (Connect c = open()) {
            Domain d = c.lookupByName("test");
            java.util.BitSet all = new java.util.BitSet();
            all.set(0, 8);
            java.util.BitSet some = new java.util.BitSet();
            some.set(2, 4);
            try {
                assertEquals(List.of(all, all), d.getVcpuPinInfo(Set.of()));
                d.pinVcpu(1, some);
                assertEquals(List.of(all, some), d.getVcpuPinInfo(Set.of(ModifyFlag.LIVE)));
                assertEquals(List.of(all, all), d.getVcpuPinInfo(Set.of(ModifyFlag.CONFIG)));
                assertEquals(all, d.getEmulatorPinInfo(Set.of()));
                d.pinEmulator(some, Set.of(ModifyFlag.CONFIG));
                assertEquals(some, d.getEmulatorPinInfo(Set.of(ModifyFlag.CONFIG)));
                assertEquals(all, d.getEmulatorPinInfo(Set.of(ModifyFlag.LIVE)));
                VirtException e = assertThrows(VirtException.class, () -> d.pinEmulator(new java.util.BitSet(),
                        Set.of()));
                assertEquals("invalid argument: Empty cpu list for pinning", e.getMessage());
                e = assertThrows(VirtException.class,
                        () -> d.getEmulatorPinInfo(Set.of(ModifyFlag.LIVE, ModifyFlag.CONFIG)));
                assertEquals(ErrorCode.INVALID_ARG, e.code());
            } finally {
                d.pinVcpu(1, all);
                d.pinEmulator(all, Set.of(ModifyFlag.CONFIG));
            }
        }
    }

    /** A managed save stops the domain and marks it, a start forgets it; rename a stopped persistent domain. */
    @Test
    void managedSaveAndRename() throws Exception {
        BlockingQueue<DomainEvent> events = new LinkedBlockingQueue<>();
        try (Connect c = open()) {
            c.addDomainEventListener(events::add);
            Domain d = c.defineXML(NEW_DOMAIN);
            assertEvent(events, "contract", DomainEventType.DEFINED);
            try {
                assertFalse(d.isUpdated());
                VirtException e = assertThrows(VirtException.class, () -> d.managedSave(Set.of()));
                assertEquals("Requested operation is not valid: domain is not running", e.getMessage());
                d.create();
                assertEvent(events, "contract", DomainEventType.STARTED);
                e = assertThrows(VirtException.class, () -> d.managedSave(Set.of(SaveFlag.RUNNING, SaveFlag.PAUSED)));
                assertEquals("Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive",
                        e.getMessage());
                d.managedSave(Set.of(SaveFlag.RUNNING));
                assertEvent(events, "contract", DomainEventType.STOPPED);
                assertTrue(d.hasManagedSaveImage());
                assertEquals(DomainState.SHUTOFF, d.getState().state());
                e = assertThrows(VirtException.class, d::undefine);
                assertEquals("Requested operation is not valid: Refusing to undefine while domain managed save image"
                        + " exists", e.getMessage());
                d.managedSaveRemove();
                assertFalse(d.hasManagedSaveImage());
                e = assertThrows(VirtException.class, () -> d.rename("test"));
                assertEquals("Requested operation is not valid: domain with name 'test' already exists", e.getMessage());
                d.rename("contract2");
                assertEvent(events, "contract", DomainEventType.UNDEFINED);
                assertEvent(events, "contract2", DomainEventType.DEFINED);
                assertEquals("contract2", d.getName());
                assertEquals("contract2", c.lookupByUUID(d.getUUID()).getName());
                e = assertThrows(VirtException.class, () -> d.rename("a/b"));
                assertEquals(ErrorCode.XML_ERROR, e.code());
            } finally {
                d.undefine();
            }
        }
        try (Connect ro = client.open("test+unix:///default?socket=" + readOnlySocket(), null,
                Set.of(OpenFlag.READ_ONLY))) {
            VirtException e = assertThrows(VirtException.class, () -> ro.lookupByName("test").rename("x"));
            assertEquals("operation forbidden: read only access prevents virDomainRename", e.getMessage());
        }
    }

    /** Description, title and custom metadata, as libvirt 9.0's test driver keeps them. */
    @Test
    void metadata() {
        try (Connect c = open()) {
            Domain d = c.defineXML(NEW_DOMAIN);
            try {
                VirtException e = assertThrows(VirtException.class,
                        () -> d.getMetadata(MetadataType.DESCRIPTION, null, Set.of()));
                assertEquals(ErrorCode.NO_DOMAIN_METADATA, e.code());
                assertEquals("metadata not found: Requested metadata element is not present", e.getMessage());
                d.setMetadata(MetadataType.DESCRIPTION, "a description", null, null, Set.of());
                d.setMetadata(MetadataType.TITLE, "a title", null, null, Set.of(ModifyFlag.CONFIG));
                assertEquals("a description", d.getMetadata(MetadataType.DESCRIPTION, null, Set.of()));
                assertEquals("a title", d.getMetadata(MetadataType.TITLE, null, Set.of(ModifyFlag.CONFIG)));
                e = assertThrows(VirtException.class,
                        () -> d.setMetadata(MetadataType.TITLE, "two\nlines", null, null, Set.of()));
                assertEquals("metadata title can't contain newlines", e.getMessage());
                d.setMetadata(MetadataType.ELEMENT, "<foo a='1'><bar>x</bar></foo>", "app1", "http://app.org/",
                        Set.of());
                assertEquals("<foo a=\"1\">\n  <bar>x</bar>\n</foo>",
                        d.getMetadata(MetadataType.ELEMENT, "http://app.org/", Set.of()));
                assertTrue(d.getXMLDesc().contains("<app1:foo xmlns:app1=\"http://app.org/\" a=\"1\">"));
                d.setMetadata(MetadataType.ELEMENT, null, null, "http://app.org/", Set.of());
                e = assertThrows(VirtException.class,
                        () -> d.getMetadata(MetadataType.ELEMENT, "http://app.org/", Set.of()));
                assertEquals(ErrorCode.NO_DOMAIN_METADATA, e.code());
                e = assertThrows(VirtException.class,
                        () -> d.getMetadata(MetadataType.DESCRIPTION, null, Set.of(ModifyFlag.LIVE)));
                assertEquals("Requested operation is not valid: domain is not running", e.getMessage());
            } finally {
                d.undefine();
            }
        }
    }

    /**
     * Procedures libvirt's test driver lacks (and jvirt's table too): libvirtd's answer when the driver lacks
     * the API, from the API's error domain, after the read-only check.
     */
    @Test
    void aProcedureTheDriverLacks() throws Exception {
        XdrWriter blockPull = RawRemoteCall.domainArgs().writeString("vda").writeHyper(0).writeInt(0);
        assertError(socket(), 240, blockPull, ErrorCode.NO_SUPPORT, ErrorDomain.DOMAIN,
                "this function is not supported by the connection driver: virDomainBlockPull");
        assertError(readOnlySocket(), 240, blockPull, ErrorCode.OPERATION_DENIED, ErrorDomain.DOMAIN,
                "operation forbidden: read only access prevents virDomainBlockPull");
        XdrWriter managedSaveXml = RawRemoteCall.domainArgs().writeInt(0);
        assertError(readOnlySocket(), 388, managedSaveXml, ErrorCode.NO_SUPPORT, ErrorDomain.DOMAIN,
                "this function is not supported by the connection driver: virDomainManagedSaveGetXMLDesc");
        XdrWriter blockJobInfo = RawRemoteCall.domainArgs().writeString("vda").writeInt(0);
        assertError(socket(), 238, blockJobInfo, ErrorCode.NO_SUPPORT, ErrorDomain.DOMAIN,
                "this function is not supported by the connection driver: virDomainGetBlockJobInfo");
    }

    @Test
    void anEventOrAnUnknownNumberIsAnUnknownProcedure() throws Exception {
        for (int number : new int[] {107, 444, 9999}) {
            assertError(socket(), number, new XdrWriter(), ErrorCode.RPC, ErrorDomain.RPC,
                    "unknown procedure: " + number);
        }
    }

    private static void assertError(java.nio.file.Path socket, int procedure, XdrWriter args, ErrorCode code,
            ErrorDomain domain, String message) throws java.io.IOException {
        VirtError e = RawRemoteCall.call(socket, procedure, args);
        assertNotNull(e, "procedure " + procedure + " succeeded");
        assertEquals(message, e.message(), "procedure " + procedure);
        assertEquals(code, e.code(), "procedure " + procedure);
        assertEquals(domain, e.domain(), "procedure " + procedure);
    }

    private static void assertEvent(BlockingQueue<DomainEvent> events, String name, DomainEventType type)
            throws InterruptedException {
        DomainEvent e = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no " + type + " event for " + name);
        assertEquals(name, e.domain().getName());
        assertEquals(type, e.type());
    }
}
