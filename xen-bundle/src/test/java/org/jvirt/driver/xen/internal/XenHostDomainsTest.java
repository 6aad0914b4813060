package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.core.internal.FrontEndImpl;

/**
 * The domains of the faked Xen host: Domain-0 as xen-init-dom0 set it up, and guests the test makes the
 * faked hypervisor run (fakehcall.c's domain table) with the xenstore entries libxl writes for them.
 */
class XenHostDomainsTest {
    static final String WEB_UUID = "6f2b8a1c-3d4e-4f50-8a61-7b2c9d0e1f23";
    static final String WIN_UUID = "11111111-2222-3333-4444-555555555555";
    static final String DOM0 = "0 r 262144 262144 2 1 12000000000 00000000-0000-0000-0000-000000000000";
    static final String WEB = "3 b 65536 65792 2 3 4500000000 " + WEB_UUID;
    static final String WIN = "7 p 131072 131072 1 0 700000000 " + WIN_UUID + " hvm";

    @TempDir
    static Path dir;
    static FakeXen xen;

    @BeforeAll
    static void start() throws Exception {
        xen = FakeXen.start(dir);
        xen.xenstoreGuest(3, "web", WEB_UUID, 263168, 262144, 4, 2, "pv");
        xen.xenstoreGuest(7, "win", WIN_UUID, 524288, 524288, 1, 1, "hvm");
    }

    @AfterAll
    static void stop() {
        if (xen != null) {
            xen.close();
        }
    }

    static Connect open(String etc) {
        return FrontEndImpl.of(XenDriverTest.driver(dir.resolve(etc), true, xen)).open("xen:///system", null, Set.of());
    }

    @Test
    void domain0Only() throws Exception {
        xen.hypervisorDomains(DOM0);
        try (Connect c = open("etc-dom0")) {
            List<Domain> all = c.listAllDomains(Set.of());
            assertEquals(1, all.size());
            Domain d0 = c.lookupById(0);
            assertEquals("Domain-0", d0.getName());
            assertEquals(new UUID(0, 0), d0.getUUID());
            DomainInfo i = d0.getInfo();
            assertEquals(DomainState.RUNNING, i.state());
            assertEquals(1048576, i.memoryKiB()); // 262144 pages of the hypervisor
            assertEquals(4194304, i.maxMemKiB()); // all of the host's memory (no dom0_mem=max:)
            assertEquals(2, i.vcpus());
            assertEquals(12_000_000_000L, i.cpuTimeNs());
            assertTrue(d0.isPersistent());
            assertEquals(List.of(), c.listDefinedDomains());
        }
    }

    @Test
    void guestsFromTheHypervisorAndXenstore() throws Exception {
        xen.hypervisorDomains(DOM0, WEB, WIN);
        try (Connect c = open("etc-guests")) {
            assertEquals(List.of("Domain-0", "web", "win"),
                    c.listAllDomains(Set.of()).stream().map(Domain::getName).sorted().toList());
            Domain web = c.lookupByName("web");
            assertEquals(3, web.getID());
            assertEquals(web.getName(), c.lookupById(3).getName());
            assertEquals("web", c.lookupByUUID(UUID.fromString(WEB_UUID)).getName());
            assertFalse(web.isPersistent());
            DomainInfo i = web.getInfo();
            assertEquals(DomainState.RUNNING, i.state());
            assertEquals(262144, i.memoryKiB()); // 65536 pages
            assertEquals(263168, i.maxMemKiB()); // memory/static-max
            assertEquals(2, i.vcpus()); // cpu/0 and cpu/1 online of 4
            assertEquals(4_500_000_000L, i.cpuTimeNs());
            String xml = web.getXMLDesc(Set.of());
            assertTrue(xml.startsWith("<domain type='xen' id='3'>"), xml);
            assertTrue(xml.contains("<vcpu placement='static' current='2'>4</vcpu>"), xml);
            assertTrue(xml.contains("<currentMemory unit='KiB'>262144</currentMemory>"), xml);
            Domain win = c.lookupById(7);
            assertEquals("win", win.getName());
            assertEquals(DomainState.PAUSED, win.getInfo().state());
            assertEquals("hvm", win.getOSType());

            // the hypervisor no longer runs win: it is gone (it was transient)
            xen.hypervisorDomains(DOM0, WEB);
            assertEquals(List.of("Domain-0", "web"),
                    c.listAllDomains(Set.of()).stream().map(Domain::getName).sorted().toList());
        }
    }
}
