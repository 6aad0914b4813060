package org.jvirt.spi.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ListDomainsFlag;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.InterfaceDef;

class DomainListTest {
    static final String U1 = "6695eb01-f6a4-8304-79aa-97f2502e193f";
    static final String U2 = "11111111-2222-3333-4444-555555555555";
    static final String U3 = "22222222-2222-3333-4444-555555555555";

    DomainList<TestObj> list;
    TestObj test;
    TestObj small;

    @BeforeEach
    void fill() {
        list = new DomainList<>(ErrorDomain.TEST);
        test = new TestObj("test", U1).running(list.allocateId());
        small = new TestObj("small", U2);
        list.add(test);
        list.add(small);
    }

    static VirtException fails(ErrorCode code, ErrorDomain domain, String message, Executable call) {
        VirtException e = assertThrows(VirtException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(domain, e.domain(), e.getMessage());
        assertEquals(message, e.getMessage());
        return e;
    }

    static DomainDef def(String name, String uuid) {
        DomainDef d = new DomainDef();
        d.setName(name);
        d.setUuid(UUID.fromString(uuid));
        return d;
    }

    @Test
    void lookupsWithLibvirtsMessages() {
        assertSame(test, list.lookupByName("test"));
        assertSame(small, list.lookupByUUID(UUID.fromString(U2)));
        assertSame(test, list.lookupByID(1));
        assertSame(small, list.get(new DomainRef("whatever", UUID.fromString(U2), -1)));
        fails(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "Domain not found: no domain with matching name 'nope'",
                () -> list.lookupByName("nope"));
        fails(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "Domain not found: no domain with matching uuid '" + U3 + "'",
                () -> list.lookupByUUID(UUID.fromString(U3)));
        fails(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "Domain not found: no domain with matching id 42",
                () -> list.lookupByID(42));
        fails(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "Domain not found: no domain with matching id -1",
                () -> list.lookupByID(-1)); // an inactive domain's -1 is no id
        fails(ErrorCode.NO_DOMAIN, ErrorDomain.TEST,
                "Domain not found: no domain with matching uuid '" + U3 + "' (gone)",
                () -> list.get(new DomainRef("gone", UUID.fromString(U3), -1)));
    }

    @Test
    void uniquenessAsVirDomainObjListAdd() {
        assertNull(list.checkUnique(def("new", U3), true));
        assertSame(small, list.checkUnique(def("small", U2), false));
        assertSame(small, list.checkUnique(def("small", U2), true));
        assertSame(test, list.checkUnique(def("test", U1), false), "redefining a running domain");
        fails(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN,
                "operation failed: domain 'test' already exists with uuid " + U1,
                () -> list.checkUnique(def("test", U3), false));
        fails(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN,
                "operation failed: domain 'test' is already defined with uuid " + U1,
                () -> list.checkUnique(def("other", U1), false));
        // the UUID is checked first, as libvirt does
        fails(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN,
                "operation failed: domain 'test' is already defined with uuid " + U1,
                () -> list.checkUnique(def("small", U1), false));
        fails(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN,
                "Requested operation is not valid: domain 'test' is already active",
                () -> list.checkUnique(def("test", U1), true));
        TestObj starting = new TestObj("starting", U3).transientDomain();
        list.add(starting);
        fails(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN,
                "Requested operation is not valid: domain 'starting' is already being started",
                () -> list.checkUnique(def("starting", U3), true));
    }

    @Test
    void addRefusesClashesAndRemoveForgets() {
        fails(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN,
                "operation failed: domain 'test' already exists with uuid " + U1,
                () -> list.add(new TestObj("test", U3)));
        fails(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN,
                "operation failed: domain 'small' is already defined with uuid " + U2,
                () -> list.add(new TestObj("other", U2)));
        list.add(small); // again: no clash with itself
        assertEquals(2, list.size());
        assertTrue(list.remove(small));
        assertFalse(list.remove(small));
        assertFalse(list.contains(small));
        assertNull(list.findByName("small"));
        assertNull(list.findByUUID(UUID.fromString(U2)));
        list.add(new TestObj("small", U3));
        assertEquals(List.of(test, list.findByName("small")), list.all());
    }

    @Test
    void listingEntries() {
        TestObj other = new TestObj("other", U3).running(list.allocateId());
        other.persistent = false;
        list.add(other);
        small.autostart = true;
        assertArrayEquals(new int[] {1, 2}, list.activeIds(-1));
        assertArrayEquals(new int[] {1}, list.activeIds(1));
        assertEquals(List.of("small"), list.inactiveNames(10));
        assertEquals(List.of(), list.inactiveNames(0));
        assertEquals(2, list.numActive());
        assertEquals(1, list.numInactive());
        assertEquals(List.of("test", "small", "other"), names(list.listAll(0)));
        assertEquals(List.of("test", "other"), names(list.listAll(ListDomainsFlag.ACTIVE.bit())));
        assertEquals(List.of("small"), names(list.listAll(ListDomainsFlag.INACTIVE.bit())));
        assertEquals(List.of("other"), names(list.listAll(ListDomainsFlag.TRANSIENT.bit())));
        assertEquals(List.of("small"), names(list.listAll(ListDomainsFlag.AUTOSTART.bit())));
        assertEquals(List.of("test", "small"), names(list.listAll(ListDomainsFlag.PERSISTENT.bit())));
        assertEquals(List.of(), names(list.listAll(ListDomainsFlag.PAUSED.bit())));
        assertEquals(new DomainRef("test", UUID.fromString(U1), 1), list.listAll(0).get(0));
    }

    static List<String> names(List<DomainRef> refs) {
        return refs.stream().map(DomainRef::name).toList();
    }

    @Test
    void idsGoUpAndSkipReservedOnes() {
        assertEquals(2, list.allocateId());
        list.reserveId(10);
        assertEquals(11, list.allocateId());
        list.reserveId(3);
        assertEquals(12, list.allocateId());
    }

    @Test
    void modificationImpactAsLibvirt() {
        assertEquals(new DomainList.Impact(true, false), DomainList.modificationImpact(test, 0));
        assertEquals(new DomainList.Impact(false, true), DomainList.modificationImpact(small, 0));
        assertEquals(new DomainList.Impact(true, true), DomainList.modificationImpact(test, 3));
        assertEquals(new DomainList.Impact(false, true), DomainList.modificationImpact(test, 2 | 4),
                "other bits (e.g. MAXIMUM) are not looked at");
        fails(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "Requested operation is not valid: domain is not running",
                () -> DomainList.modificationImpact(small, DomainList.AFFECT_LIVE));
        TestObj tran = new TestObj("tran", U3).running(5).transientDomain();
        assertEquals(new DomainList.Impact(true, false), DomainList.modificationImpact(tran, 0));
        fails(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN,
                "Requested operation is not valid: transient domains do not have any persistent config",
                () -> DomainList.modificationImpact(tran, DomainList.AFFECT_CONFIG));
        assertSame(test, DomainList.checkActive(test));
        fails(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "Requested operation is not valid: domain is not running",
                () -> DomainList.checkActive(small));
        test.state = DomainState.PAUSED;
        assertSame(test, DomainList.checkActive(test), "paused is active");
    }

    @Test
    void deviceClashes() {
        DomainDef def = DomainXml.parse("<domain type='test'><name>d</name><memory>1024</memory><os><type>hvm</type></os>"
                + "<devices><disk type='file' device='disk'><source file='/a'/><target dev='vda'/></disk>"
                + "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>"
                + "</devices></domain>", org.jvirt.xml.DomainXmlHooks.NONE);
        DiskDef vda = (DiskDef) DomainXml.parseDevice("<disk type='file' device='disk'><source file='/b'/><target dev='vda'/></disk>");
        DiskDef vdb = (DiskDef) DomainXml.parseDevice("<disk type='file' device='disk'><source file='/b'/><target dev='vdb'/></disk>");
        InterfaceDef same = (InterfaceDef) DomainXml.parseDevice(
                "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>");
        InterfaceDef noMac = (InterfaceDef) DomainXml.parseDevice("<interface type='network'><source network='default'/></interface>");
        fails(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "operation failed: target vda already exists",
                () -> DomainDevices.checkNoClash(def, vda, ErrorDomain.QEMU));
        fails(ErrorCode.OPERATION_FAILED, ErrorDomain.TEST,
                "operation failed: interface with MAC 52:54:00:00:00:01 already exists",
                () -> DomainDevices.checkNoClash(def, same, ErrorDomain.TEST));
        DomainDevices.checkNoClash(def, vdb, ErrorDomain.TEST);
        DomainDevices.checkNoClash(def, noMac, ErrorDomain.TEST);
    }
}
