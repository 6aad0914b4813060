package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's domains as jvirsh shows them against jvirt's Xen driver and as stock virsh shows them against
 * libvirt's own libxl driver (a private libvirtd, {@link LibvirtLibxlDaemon}), on the same faked Xen host.
 * libvirt's driver only shows Domain-0 and the domains it started itself (it reconnects to a guest only
 * through its own status XML and the "libvirt-xml" libxl userdata), so the faked guests are not compared.
 */
class LibvirtXenDomainsTest {
    @TempDir
    static Path dir;
    static FakeXen xen;
    static LibvirtLibxlDaemon libvirt;
    static XenShell jvirsh;

    @BeforeAll
    static void start() throws Exception {
        LibvirtLibxlDaemon.requirePackages();
        xen = FakeXen.start(dir);
        xen.hypervisorDomains(XenHostDomainsTest.DOM0);
        libvirt = LibvirtLibxlDaemon.start(xen, Files.createDirectories(dir.resolve("libvirtd")));
        jvirsh = new XenShell(XenDriverTest.driver(dir.resolve("etc"), true, xen));
    }

    @AfterAll
    static void stop() {
        if (libvirt != null) {
            libvirt.close();
        }
        if (xen != null) {
            xen.close();
        }
    }

    /** The same command through both: the same exit and the same standard output. */
    private static void same(String... argv) throws Exception {
        LibvirtLibxlDaemon.Result theirs = libvirt.virshResult(argv);
        LibvirtLibxlDaemon.Result ours = jvirsh.run(argv);
        assertEquals(0, theirs.exit(), "virsh " + String.join(" ", argv) + ": " + theirs.err());
        assertEquals(theirs.out(), ours.out(), String.join(" ", argv) + "\njvirsh's error: " + ours.err());
        assertEquals(0, ours.exit(), ours.err());
    }

    @Test
    void domain0IsShownAsLibvirtShowsIt() throws Exception {
        same("list", "--all");
        same("list");
        same("dominfo", "Domain-0");
        same("dominfo", "0");
        same("domstate", "Domain-0");
        same("domid", "Domain-0");
        same("domuuid", "Domain-0");
        same("dumpxml", "Domain-0");
    }

    /** libvirt refuses these for Domain-0 before asking libxl; jvirt with the same words. */
    @Test
    void domain0RefusesAsLibvirtDoes() throws Exception {
        for (String op : new String[] {"suspend", "resume", "destroy", "shutdown", "reboot"}) {
            LibvirtLibxlDaemon.Result theirs = libvirt.virshResult(op, "Domain-0");
            LibvirtLibxlDaemon.Result ours = jvirsh.run(op, "Domain-0");
            assertEquals(1, theirs.exit(), op);
            assertEquals(theirs.exit(), ours.exit(), op);
            assertEquals(theirs.err().strip(), ours.err().strip(), op);
        }
    }

    /**
     * Where libxl itself fails, libvirt reports its own line; jvirt reports the same line, then what xl and
     * libxl printed (libvirt's libxl logs that to its log file instead).
     */
    @Test
    void domain0LibxlFailuresCarryLibvirtsWords() throws Exception {
        String[][] ops = {{"setmem", "Domain-0", "500000"}, {"vcpupin", "Domain-0", "0", "1"}};
        for (String[] op : ops) {
            LibvirtLibxlDaemon.Result theirs = libvirt.virshResult(op);
            LibvirtLibxlDaemon.Result ours = jvirsh.run(op);
            assertEquals(1, theirs.exit(), String.join(" ", op));
            assertEquals(1, ours.exit(), String.join(" ", op));
            String line = theirs.err().strip();
            assertTrue(line.startsWith("error: internal error: Failed to "), line);
            assertTrue(ours.err().strip().startsWith(line + ": libxl: error:"), "libvirt: " + line + "\njvirt: "
                    + ours.err());
        }
    }
}
