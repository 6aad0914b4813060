package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VirtException;
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
    }

    /** Each test starts from the guests' xenstore entries as libxl wrote them (xl destroy removes some). */
    @BeforeEach
    void guests() throws Exception {
        for (String p : List.of("/local/domain/3", "/local/domain/7", "/libxl/3", "/libxl/7")) {
            xen.xenstore("xenstore-write", p, ""); // so that it exists to be removed
            xen.xenstore("xenstore-rm", p);
        }
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

    /** Runs f and returns its VirtException, checking libvirt's code and that xl's/libxl's words follow ours. */
    static VirtException fails(ErrorCode code, String ours, String xens, org.junit.jupiter.api.function.Executable f) {
        VirtException e = assertThrows(VirtException.class, f);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(ours), e.getMessage());
        assertTrue(e.getMessage().contains(xens), e.getMessage());
        return e;
    }

    @Test
    void lifecycleFailsAsXenFailsHere() throws Exception {
        xen.hypervisorDomains(DOM0, WEB);
        try (Connect c = open("etc-lifecycle")) {
            Domain web = c.lookupByName("web");
            // no hypervisor: every hypercall answers ENOSYS, and libxl says so in its own words
            fails(ErrorCode.INTERNAL_ERROR, "Failed to destroy domain '3': libxl: error:",
                    "xc_domain_destroy failed", web::destroy);
            fails(ErrorCode.INTERNAL_ERROR, "Failed to suspend domain '3' with libxenlight: libxl: error:",
                    "Pausing domain: Function not implemented", web::suspend); // xl pause itself exits 0
            assertEquals(DomainState.RUNNING, web.getInfo().state());
            fails(ErrorCode.INTERNAL_ERROR, "Failed to set memory for domain '3' with libxenlight: libxl: error:",
                    "unable to retrieve domain configuration", () -> web.setMemory(200 * 1024));
            fails(ErrorCode.INVALID_ARG, "cannot set memory higher than max memory", "",
                    () -> web.setMemory(1024 * 1024));
            fails(ErrorCode.INTERNAL_ERROR, "Failed to pin vcpu '0' with libxenlight: libxl: error:",
                    "Setting vcpu affinity: Function not implemented", () -> web.pinVcpu(0, BitSet.valueOf(new long[] {2})));
            Path image = dir.resolve("web.save");
            fails(ErrorCode.INTERNAL_ERROR, "Failed to save domain '3' with libxenlight: libxl: error:",
                    "Fail to get domain configuration", () -> web.save(image.toString()));
            fails(ErrorCode.INTERNAL_ERROR, "libxenlight failed to restore domain from '" + image + "'",
                    "Can't open restore file: No such file or directory", () -> c.restore(image.toString()));
            fails(ErrorCode.INTERNAL_ERROR, "libxenlight failed to attach disk 'xvdb': libxl: error:",
                    "unable to add device", () -> web.attachDevice("<disk type='file' device='disk'>"
                            + "<source file='/srv/web-data.img'/><target dev='xvdb' bus='xen'/></disk>"));
            fails(ErrorCode.INTERNAL_ERROR, "libxenlight failed to attach network device: libxl: error:",
                    "libxl_device_nic_add failed", () -> web.attachDevice("<interface type='bridge'>"
                            + "<mac address='00:16:3e:12:34:56'/><source bridge='xenbr0'/></interface>"));
            fails(ErrorCode.INTERNAL_ERROR, "libxenlight failed to detach disk 'xvdb'", "Device xvdb not connected",
                    () -> web.detachDevice("<disk type='file' device='disk'><target dev='xvdb' bus='xen'/></disk>"));
            fails(ErrorCode.OPERATION_UNSUPPORTED, "device type 'sound' cannot be attached", "",
                    () -> web.attachDevice("<sound model='ich6'/>"));
            fails(ErrorCode.OPERATION_INVALID, "transient domains do not have any persistent config", "",
                    () -> web.attachDevice("<disk type='file' device='disk'><source file='/srv/x.img'/>"
                            + "<target dev='xvdc' bus='xen'/></disk>", Set.of(ModifyFlag.CONFIG)));
            // Domain-0 refuses as in libvirt's libxl driver, before xl is asked
            Domain d0 = c.lookupById(0);
            for (org.junit.jupiter.api.function.Executable op : List.<org.junit.jupiter.api.function.Executable>of(
                    d0::suspend, d0::resume, d0::destroy, d0::shutdown, d0::reboot, () -> d0.save("/nonexistent"))) {
                fails(ErrorCode.OPERATION_INVALID, "Domain-0 does not support requested operation", "", op);
            }
            fails(ErrorCode.INTERNAL_ERROR, "Failed to set memory for domain '0' with libxenlight: libxl: error:",
                    "unable to retrieve domain configuration", () -> d0.setMemory(512 * 1024));
        }
    }

    /**
     * What does work without a hypervisor is what xl does through xenstore: vcpu-set (cpu/N/availability),
     * and shutdown/reboot (control/shutdown), which xl waits to see the guest acknowledge. The test plays the
     * guest's PV frontend with the C xenstore tools: it notes the request and removes the node.
     */
    @Test
    void whatXlDoesThroughXenstore() throws Exception {
        xen.hypervisorDomains(DOM0, WEB);
        try (Connect c = open("etc-xenstore")) {
            Domain web = c.lookupByName("web");
            web.setVcpus(1);
            assertEquals("offline", xen.xenstore("xenstore-read", "/local/domain/3/cpu/1/availability").strip());
            assertEquals("online", xen.xenstore("xenstore-read", "/local/domain/3/cpu/0/availability").strip());
            assertEquals(1, web.getInfo().vcpus());
            fails(ErrorCode.INVALID_ARG, "requested vcpus is greater than max allowable vcpus for the domain: 3 > 2",
                    "", () -> web.setVcpus(3)); // 2 host CPUs
            for (String op : List.of("poweroff", "reboot")) {
                List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
                Thread guest = new Thread(() -> {
                    try {
                        for (int i = 0; i < 200 && seen.isEmpty(); i++) {
                            try {
                                seen.add(xen.xenstore("xenstore-read", "/local/domain/3/control/shutdown").strip());
                                xen.xenstore("xenstore-rm", "/local/domain/3/control/shutdown");
                            } catch (java.io.IOException notYet) {
                                Thread.sleep(50);
                            }
                        }
                    } catch (Exception e) {
                        seen.add("guest failed: " + e);
                    }
                });
                guest.start();
                if (op.equals("poweroff")) {
                    web.shutdown();
                } else {
                    web.reboot();
                }
                guest.join(15_000);
                assertEquals(List.of(op), seen);
            }
        }
    }
}
