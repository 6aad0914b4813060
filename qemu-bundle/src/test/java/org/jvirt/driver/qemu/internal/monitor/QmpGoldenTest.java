package org.jvirt.driver.qemu.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.VirtException;

/**
 * Golden files for the typed QMP commands, in the manner of libvirt's qemumonitorjsontest. For each case
 * NAME in {@code qmp/}: {@code NAME.reply} is what a real QEMU answered (recorded by
 * {@code src/test/scripts/record-qmp.py}, events included); the test runs the typed method on a
 * {@link QemuMonitor} connected to a {@link FakeQmpPeer} that plays that reply, and compares the line the
 * monitor wrote with {@code NAME.request} and the typed result with {@code NAME.result}.
 * {@code -Djvirt.regenerate=true} rewrites the expected files; review the diff. Without it a missing
 * expected file fails the case.
 */
class QmpGoldenTest {
    static final Path DIR = Path.of("src/test/resources/qmp");
    static final boolean REGENERATE = Boolean.getBoolean("jvirt.regenerate");

    /** A typed call whose result the case records; may throw. */
    interface Call {
        Object run(QmpCommands qmp) throws Exception;
    }

    /** One golden case: its files' name, the {@link QmpCommands} method it covers, and the call. */
    record Case(String name, String method, Call call) {
    }

    static Call run(Consumer<QmpCommands> c) {
        return q -> {
            c.accept(q);
            return null;
        };
    }

    static final String DATA = "/tmp/jvirt-qmp";

    static final List<Case> CASES = List.of(
            // QemuMonitor.open sends it: the case checks that exchange
            new Case("qmp_capabilities", "qmpCapabilities", q -> null),
            new Case("query-version", "queryVersion", QmpCommands::queryVersion),
            new Case("query-target", "queryTarget", QmpCommands::queryTarget),
            new Case("query-machines", "queryMachines", QmpCommands::queryMachines),
            new Case("qom-list-types-accel", "qomListTypes", q -> q.qomListTypes("accel", null)),
            new Case("qom-list-types-device", "qomListTypes", q -> q.qomListTypes("device", false)),
            new Case("query-status", "queryStatus", QmpCommands::queryStatus),
            new Case("query-status-running", "queryStatus", QmpCommands::queryStatus),
            new Case("query-status-inmigrate", "queryStatus", QmpCommands::queryStatus),
            new Case("cont", "cont", run(QmpCommands::cont)),
            new Case("stop", "stop", run(QmpCommands::stop)),
            new Case("system_reset", "systemReset", run(QmpCommands::systemReset)),
            new Case("system_powerdown", "systemPowerdown", run(QmpCommands::systemPowerdown)),
            new Case("query-cpus-fast", "queryCpusFast", QmpCommands::queryCpusFast),
            new Case("query-hotpluggable-cpus", "queryHotpluggableCpus", QmpCommands::queryHotpluggableCpus),
            new Case("balloon", "balloon", run(q -> q.balloon(128L << 20))),
            new Case("query-balloon", "queryBalloon", QmpCommands::queryBalloon),
            new Case("query-chardev", "queryChardev", QmpCommands::queryChardev),
            new Case("blockdev-add", "blockdevAdd", run(q -> q.blockdevAdd(QmpJson.obj("driver", "file",
                    "filename", DATA + "/disk2.img", "node-name", "virtio-disk2-storage", "read-only", false)))),
            new Case("blockdev-del", "blockdevDel", run(q -> q.blockdevDel("virtio-disk2-storage"))),
            new Case("device_add", "deviceAdd", run(q -> q.deviceAdd(QmpJson.obj("driver", "virtio-blk-pci",
                    "bus", "pci.0", "addr", "0x6", "drive", "virtio-disk1-format", "id", "virtio-disk1")))),
            new Case("query-blockstats", "queryBlockstats", QmpCommands::queryBlockstats),
            new Case("device_del", "deviceDel", run(q -> q.deviceDel("virtio-disk1"))),
            new Case("device_del-missing", "deviceDel", run(q -> q.deviceDel("nosuch"))),
            new Case("netdev_add", "netdevAdd", run(q -> q.netdevAdd(QmpJson.obj("type", "user", "id", "hostnet1")))),
            new Case("netdev_del", "netdevDel", run(q -> q.netdevDel("hostnet1"))),
            new Case("dump-guest-memory", "dumpGuestMemory",
                    run(q -> q.dumpGuestMemory(false, "file:" + DATA + "/core.dump", true))),
            new Case("query-dump", "queryDump", QmpCommands::queryDump),
            new Case("migrate-set-parameters", "migrateSetMaxBandwidth",
                    run(q -> q.migrateSetMaxBandwidth(Long.MAX_VALUE / 2))),
            new Case("migrate", "migrate", run(q -> q.migrate("exec:cat >> '" + DATA + "/save.img'"))),
            new Case("query-migrate", "queryMigrate", QmpCommands::queryMigrate),
            new Case("migrate_cancel", "sendMigrateCancel", q -> q.sendMigrateCancel().get(5, TimeUnit.SECONDS)),
            new Case("migrate-incoming", "migrateIncoming", run(q -> q.migrateIncoming("tcp:127.0.0.1:49152"))),
            new Case("quit", "quit", run(QmpCommands::quit)));

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> typedCommands() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Case c) throws Exception {
        String greeting = input("greeting.reply");
        String reply = input(c.name() + ".reply");
        boolean negotiation = c.name().equals("qmp_capabilities");
        List<String> replies = negotiation ? List.of(reply) : List.of(input("qmp_capabilities.reply"), reply);
        Path dir = Files.createDirectories(tmp.resolve(c.name()));
        String result;
        List<String> requests;
        try (FakeQmpPeer peer = FakeQmpPeer.start(dir, greeting, replies)) {
            try (QemuMonitor m = QemuMonitor.open(peer.socket(), "golden", System.nanoTime() + 5_000_000_000L,
                    5000, () -> true, null)) {
                result = render(c.call().run(m));
            } catch (VirtException e) {
                result = "error " + e.code() + ": " + e.getMessage() + "\n";
            }
            requests = peer.requests();
            assertEquals(List.of(), peer.problems(), "the peer's script");
        }
        assertEquals(replies.size(), requests.size(), "requests written: " + requests);
        expect(DIR.resolve(c.name() + ".request"), requests.get(requests.size() - 1) + "\n");
        expect(DIR.resolve(c.name() + ".result"), result);
    }

    /** A typed result as the .result files hold it: a list one element a line, "void" for none. */
    static String render(Object r) {
        if (r == null) {
            return "void\n";
        }
        if (r instanceof List<?> l) {
            return l.isEmpty() ? "[]\n" : l.stream().map(String::valueOf).collect(Collectors.joining("\n", "", "\n"));
        }
        return r + "\n";
    }

    private static String input(String name) throws IOException {
        Path p = DIR.resolve(name);
        if (!Files.exists(p)) {
            fail(p + " is missing: record it with src/test/scripts/record-qmp.py");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Compares with an expected file; a missing one fails unless regenerating, and is never written then. */
    static void expect(Path expected, String actual) throws IOException {
        if (REGENERATE) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
        }
        if (!Files.exists(expected)) {
            fail(expected + " is missing: write it, or run with -Djvirt.regenerate=true and review the diff");
        }
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, expected.toString());
    }

    @Test
    void aMissingExpectedFileFailsAndIsNotWritten() {
        Path missing = tmp.resolve("nothing.result");
        if (!REGENERATE) {
            assertThrows(org.opentest4j.AssertionFailedError.class, () -> expect(missing, "void\n"));
            assertFalse(Files.exists(missing));
        }
    }

    @Test
    void everyTypedCommandHasAGoldenCase() {
        Set<String> typed = new TreeSet<>();
        for (Method m : QmpCommands.class.getDeclaredMethods()) {
            if (m.isDefault()) {
                typed.add(m.getName());
            }
        }
        Set<String> covered = CASES.stream().map(Case::method).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(typed, covered);
    }

    @Test
    void everyGoldenFileBelongsToACase() throws IOException {
        Set<String> names = CASES.stream().map(Case::name).collect(Collectors.toSet());
        try (Stream<Path> s = Files.list(DIR)) {
            List<String> strays = s.map(p -> p.getFileName().toString())
                    .filter(f -> !f.equals("greeting.reply"))
                    .filter(f -> !names.contains(f.substring(0, f.lastIndexOf('.'))))
                    .sorted().toList();
            assertEquals(List.of(), strays);
        }
        assertTrue(names.size() == CASES.size(), "case names are unique");
    }
}
