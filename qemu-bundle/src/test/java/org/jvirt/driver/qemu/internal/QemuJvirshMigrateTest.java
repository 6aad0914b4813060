package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.VirtException;
import org.jvirt.shell.Jvirsh;

/**
 * {@code jvirsh migrate --verbose DOM DESTURI} between two {@code qemu:///embed} roots: jvirsh's own
 * main entry (in process), the QEMU driver found through ServiceLoader, real QEMU processes.
 */
class QemuJvirshMigrateTest {
    @TempDir
    Path src;
    @TempDir
    Path dst;
    final List<Connect> open = new ArrayList<>();

    /** What one jvirsh run printed, and its exit code. */
    record Run(int rc, String out, String err) {
    }

    static Run jvirsh(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Jvirsh.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InputStream.nullInputStream());
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Connect open(Path root) {
        Connect c = Connect.open(uri(root));
        open.add(c);
        return c;
    }

    static String uri(Path root) {
        return "qemu:///embed?root=" + root;
    }

    @AfterEach
    void cleanup() {
        for (Connect c : open) {
            try {
                for (Domain d : c.listAllDomains()) {
                    if (d.isActive()) {
                        d.destroy();
                    }
                }
            } catch (RuntimeException ignored) {
                // best effort
            }
            c.close();
        }
        assertEquals(0, QemuTestSupport.killStray(src) + QemuTestSupport.killStray(dst), "QEMU left behind");
    }

    @Test
    void domxmlToNativeShowsTheQemuCommandLine() throws Exception {
        QemuTestSupport.requireQemu();
        Path xml = src.resolve("native.xml");
        java.nio.file.Files.writeString(xml, QemuTestSupport.noDiskXml("native", ""));
        Run r = jvirsh("-c", uri(src), "domxml-to-native", "qemu-argv", xml.toString());
        assertEquals(0, r.rc(), r.err());
        org.junit.jupiter.api.Assertions.assertTrue(r.out().contains("qemu-system-x86_64 -name guest=native")
                && r.out().contains(" -nodefaults") && r.out().contains(" -S "), r.out());
        Run bad = jvirsh("-c", uri(src), "domxml-to-native", "xen-xl", xml.toString());
        assertEquals(1, bad.rc());
        org.junit.jupiter.api.Assertions.assertTrue(bad.err().startsWith("error: "), bad.err());
    }

    @Test
    void migrateVerboseShowsProgressAndMovesTheGuest() {
        QemuTestSupport.requireQemu();
        Connect a = open(src);
        Domain d = a.createXML(QemuTestSupport.noDiskXml("walker", ""));
        long srcPid = qemuPid(src, "walker");
        assertTrue(srcPid > 0);

        Run r = jvirsh("-c", uri(src), "migrate", "--live", "--verbose", "walker", uri(dst));
        assertEquals(0, r.rc(), r.err());
        // virsh's progress: "\rMigration: [ NN %]" on stderr, rising, ending at 100 %, then a newline on stdout
        Matcher m = Pattern.compile("\rMigration: \\[ *(\\d+) %\\]").matcher(r.err());
        List<Integer> percents = new ArrayList<>();
        while (m.find()) {
            percents.add(Integer.parseInt(m.group(1)));
        }
        System.out.println("[qemu-jvirsh] migrate --verbose progress: " + percents);
        assertFalse(percents.isEmpty(), "no progress in: " + r.err());
        assertEquals(100, percents.get(percents.size() - 1), r.err());
        for (int i = 1; i < percents.size(); i++) {
            assertTrue(percents.get(i) >= percents.get(i - 1), "progress went back: " + percents);
        }
        assertTrue(r.out().isBlank(), "only line ends on stdout: " + r.out());
        assertEquals(r.err().replaceAll("\rMigration: \\[ *\\d+ %\\]", ""), "", "nothing else on stderr");

        // the guest runs on the destination (found again from its status file) and is gone from the source
        assertThrows(VirtException.class, () -> a.lookupByName("walker"));
        assertFalse(ProcessHandle.of(srcPid).map(ProcessHandle::isAlive).orElse(false), "source QEMU ended");
        Connect b = open(dst);
        Domain moved = b.lookupByName("walker");
        assertEquals(d.getUUID(), moved.getUUID());
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_MIGRATED), moved.getState());
        Run list = jvirsh("-c", uri(dst), "domstate", "--reason", "walker");
        assertEquals(0, list.rc(), list.err());
        assertEquals("running (migrated)\n\n", list.out());

        // and back again, without --verbose: no progress printed
        Run back = jvirsh("-c", uri(dst), "migrate", "--live", "walker", uri(src));
        assertEquals(0, back.rc(), back.err());
        assertEquals("", back.err());
        assertEquals(DomainState.RUNNING, a.lookupByName("walker").getState().state());
        assertThrows(VirtException.class, () -> b.lookupByName("walker"));
    }

    @Test
    void migrateOfAnUnknownDomainFailsClearly() {
        QemuTestSupport.requireQemu();
        Run r = jvirsh("-c", uri(src), "migrate", "--verbose", "nosuch", uri(dst));
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("nosuch"), r.err());
    }

    /** The pid of the QEMU running a guest of a root (from its command line), or -1. */
    static long qemuPid(Path root, String name) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(args -> {
            String all = String.join(" ", args);
            return all.contains("guest=" + name + ",") && all.contains(root.toString());
        }).orElse(false)).mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }
}
