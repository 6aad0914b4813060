package org.jvirt.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One process owns a node's QEMU state: jvirtd. A black-box test of a copy of distribution/target/jvirt
 * with {@code bin/jvirsh -c qemu:///session}, which starts the per-user session daemon when none runs
 * (as libvirt's client does), each test with XDG directories of its own:
 * <ul>
 * <li>two concurrent starts of one guest (two jvirsh, then two RPC clients at once): one wins, the other
 * is told it already runs, one QEMU runs;</li>
 * <li>{@code list --all} answers promptly while a guest runs;</li>
 * <li>a second jvirtd on the same pid file, socket or QEMU root is refused, naming the owner's pid;</li>
 * <li>after {@code kill -9} of the daemon, the next client starts a new one that re-attaches the guests
 * (same QEMU pids, ids and state reasons);</li>
 * <li>after {@code kill -9} during 1,000 concurrent defineXML calls over RPC, every acknowledged definition
 * is there and every config file parses.</li>
 * </ul>
 * Guests are TCG ({@code type='qemu'}). Whatever a test starts (daemons, QEMUs: every process whose
 * command line names the test's directories) is killed after it.
 */
class OneOwnerIT {

    private static final String EMULATOR = "/usr/bin/qemu-system-x86_64";
    /** A bound for any single jvirsh or jvirtd run (the first one also starts the daemon). */
    private static final long RUN_TIMEOUT_S = 60;
    /** What "promptly" means for {@code list --all} while a guest runs. */
    private static final long LIST_BOUND_MS = 30_000;

    /** This class's copy of the distribution (its data/ is its own). */
    private static Path home;

    /** This test's XDG config, data and cache homes, and run outputs. */
    private Path work;
    /** XDG_RUNTIME_DIR: short, under the temp dir, since unix socket paths are limited to 107 bytes. */
    private Path rt;
    private final List<Process> started = new ArrayList<>();
    /** The uuids of the guests this test defined through jvirsh (their QEMUs hold them). */
    private final List<String> uuids = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    static void copyDistribution() throws Exception {
        Path dist = Paths.get(System.getProperty("itest.distribution.dir", "missing"));
        require(Files.isRegularFile(dist.resolve("bin/jvirtd")) && Files.isRegularFile(dist.resolve("bin/jvirsh")),
                dist + " is not built: run `mvn verify` (or package the distribution module first)");
        require(Files.isExecutable(Path.of(EMULATOR)), EMULATOR + " is missing (Debian: apt-get install qemu-system-x86)");
        require(Files.isDirectory(Path.of("/proc/self")), "no /proc: these tests count QEMU processes in /proc");
        home = ItestConfig.workDir("oneowner").resolve("jvirt");
        exec(new ProcessBuilder("cp", "-a", dist.toString(), home.toString()));
        // a fresh instance: nothing deployed or kept from an earlier manual run of the built layout
        exec(new ProcessBuilder("sh", "-c", "rm -rf deploy/*.jar var data", "sh").directory(home.toFile()));
    }

    @AfterAll
    static void nothingLeftFromTheCopy() {
        if (home != null) {
            assertTrue(killAll(home.toString()).isEmpty(), "processes of " + home + " were still running");
        }
    }

    @BeforeEach
    void dirs() throws IOException {
        work = ItestConfig.workDir("oo");
        rt = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "jv");
    }

    /**
     * Kills what the test started: the session daemons (by their pid files), the processes it started
     * directly, then the guests' QEMUs and anything else that names the test's directories; then checks
     * that nothing of the test runs any more.
     */
    @AfterEach
    void cleanUp() throws Exception {
        List<String> killed = new ArrayList<>();
        for (Path pidFile : List.of(sessionPidFile(), rt.resolve("second/jvirtd.pid"))) {
            // a daemon of this test names its pid file in its command line (a stale pid may be anyone's)
            readPid(pidFile).filter(pid -> cmdline(pid).contains(pidFile.toString())).flatMap(ProcessHandle::of)
                    .ifPresent(OneOwnerIT::kill);
        }
        for (Process p : started) {
            kill(p.toHandle());
        }
        for (String uuid : uuids) {
            killed.addAll(killAll(uuid));
        }
        killed.addAll(killAll(work.toString()));
        killed.addAll(killAll(rt.toString()));
        if (!killed.isEmpty()) {
            System.out.println("OneOwnerIT: killed after the test: " + killed);
        }
        List<Long> left = new ArrayList<>(pidsMentioning(work.toString()));
        left.addAll(pidsMentioning(rt.toString()));
        exec(new ProcessBuilder("rm", "-rf", rt.toString()));
        assertTrue(left.isEmpty(), () -> "still running after the clean-up: " + left);
    }

    // ---- 1 ---------------------------------------------------------------------------------------------

    @Test
    void concurrentStartsRunOneQemu() throws Exception {
        String uuid = define("g1");
        // through jvirsh, as a user would: the loser is refused by the daemon when both asked at once, or by
        // jvirsh's own check before it asks once the winner's guest runs (virsh's cmdStart: "Domain is
        // already active"); either way one QEMU runs
        int refusedByDaemon = 0;
        for (int round = 1; round <= 3; round++) {
            Launched a = launch(virsh("start", "g1"));
            Launched b = launch(virsh("start", "g1"));
            List<Ran> both = List.of(await(a), await(b));
            List<Ran> won = both.stream().filter(r -> r.rc == 0).toList();
            List<Ran> lost = both.stream().filter(r -> r.rc != 0).toList();
            String what = "jvirsh round " + round + ": " + both;
            assertEquals(1, won.size(), what);
            assertEquals(1, lost.size(), what);
            assertTrue(won.get(0).out.contains("Domain 'g1' started"), what);
            String refusal = lost.get(0).err;
            if (refusal.contains("error: Requested operation is not valid: domain 'g1' is already running")) {
                refusedByDaemon++;
            } else {
                assertTrue(refusal.contains("error: Domain is already active"), what);
            }
            assertOneQemu("g1", uuid, what);
            assertEquals("running (booted)", ok("domstate", "--reason", "g1").out.strip());
            ok("destroy", "g1");
            waitFor("g1's QEMU to exit", () -> qemuPids(uuid).isEmpty());
        }
        System.out.println("OneOwnerIT: of 3 concurrent jvirsh starts, " + refusedByDaemon + " losers were refused by "
                + "the daemon, the others by jvirsh's check");

        // straight to the daemon, past jvirsh's check: two clients' create() over RPC at the same instant
        String uri = "qemu+unix:///session?socket=" + sessionSocket();
        FrontEndImpl frontEnd = new FrontEndImpl();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connect c1 = frontEnd.open(uri, null, Set.of()); Connect c2 = frontEnd.open(uri, null, Set.of())) {
            List<Domain> doms = List.of(c1.lookupByName("g1"), c2.lookupByName("g1"));
            for (int round = 1; round <= 5; round++) {
                CyclicBarrier together = new CyclicBarrier(doms.size());
                List<Future<Throwable>> creates = new ArrayList<>();
                for (Domain d : doms) {
                    creates.add(pool.submit(() -> {
                        try {
                            together.await(10, TimeUnit.SECONDS);
                            d.create();
                            return null;
                        } catch (Throwable e) {
                            return e;
                        }
                    }));
                }
                List<Throwable> outcomes = new ArrayList<>();
                for (Future<Throwable> f : creates) {
                    outcomes.add(f.get(RUN_TIMEOUT_S, TimeUnit.SECONDS));
                }
                String what = "RPC round " + round + ": " + outcomes;
                assertEquals(1, outcomes.stream().filter(o -> o == null).count(), what);
                Throwable refusal = outcomes.stream().filter(o -> o != null).findFirst().orElseThrow();
                if (!(refusal instanceof VirtException ve) || ve.code() != ErrorCode.OPERATION_INVALID
                        || !"Requested operation is not valid: domain 'g1' is already running".equals(ve.getMessage())) {
                    throw new AssertionError(what, refusal);
                }
                assertOneQemu("g1", uuid, what);
                c1.lookupByName("g1").destroy();
                waitFor("g1's QEMU to exit", () -> qemuPids(uuid).isEmpty());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Exactly one QEMU runs for the guest, and its status file names it. */
    private void assertOneQemu(String name, String uuid, String what) throws IOException {
        List<Long> qemus = qemuPids(uuid);
        assertEquals(1, qemus.size(), () -> what + "\nQEMUs of " + name + ": " + qemus);
        assertEquals(statusPid(name), qemus.get(0), "the status file names the one QEMU");
    }

    // ---- 2 ---------------------------------------------------------------------------------------------

    @Test
    void listAnswersPromptlyWhileTheGuestRuns() throws Exception {
        String uuid = define("g1");
        ok("start", "g1");
        assertEquals(1, qemuPids(uuid).size());
        for (String[] args : List.of(new String[] {"list", "--all"}, new String[] {"list"}, new String[] {"list", "--all"})) {
            Ran list = await(launch(virsh(args)), LIST_BOUND_MS);
            assertEquals(0, list.rc, list::toString);
            assertTrue(list.out.lines().anyMatch(l -> l.matches("\\s*1\\s+g1\\s+running\\s*")), list::toString);
            System.out.println("OneOwnerIT: jvirsh " + String.join(" ", args) + " with g1 running: " + list.ms + " ms");
        }
    }

    // ---- 3 ---------------------------------------------------------------------------------------------

    @Test
    void aSecondDaemonOnTheSameStateIsRefused() throws Exception {
        ok("list", "--all"); // starts the session daemon, which opens (and locks) the session's QEMU root
        long owner = readPid(sessionPidFile()).orElseThrow(() -> new AssertionError("no session pid file"));
        assertEquals(Optional.of(owner), readPid(qemuDriverPidFile()), "the QEMU root's lock names the daemon");

        // the same pid file: refused at once, naming the holder
        Ran samePidFile = await(launch(jvirtd("third", "-f", sessionConf().toString(), "--pid-file",
                sessionPidFile().toString())));
        assertEquals(1, samePidFile.rc, samePidFile::toString);
        assertTrue(samePidFile.err.contains("jvirtd: error: another jvirtd (pid " + owner + ") holds the pid file "
                + sessionPidFile()), samePidFile::toString);

        // another pid file, the same socket: a live socket is never taken over
        Ran sameSocket = await(launch(jvirtd("fourth", "-f", sessionConf().toString(), "--pid-file",
                rt.resolve("fourth.pid").toString())));
        assertEquals(1, sameSocket.rc, sameSocket::toString);
        assertTrue(sameSocket.all().contains("another daemon is listening on it"), sameSocket::toString);

        // another pid file and socket, the same XDG dirs: the daemon runs, but its QEMU driver refuses the root
        Path second = Files.createDirectories(rt.resolve("second"));
        Path conf = Files.writeString(second.resolve("jvirtd.conf"), "unix_sock_dir = \"" + second + "\"\n");
        Launched other = launch(jvirtd("second", "-f", conf.toString(), "--pid-file", second.resolve("jvirtd.pid").toString()));
        Path otherSocket = second.resolve("libvirt-sock");
        waitFor("the second jvirtd to listen on " + otherSocket, () -> {
            assertTrue(other.process().isAlive(), () -> "the second jvirtd exited: " + other.output());
            return accepting(otherSocket);
        });
        Ran refused = await(launch(virsh("-c", "qemu:///session?socket=" + otherSocket, "list", "--all")));
        assertNotEquals(0, refused.rc, refused::toString);
        assertTrue(refused.err.contains("error: operation failed: the state of qemu:///session in " + qemuDriverPidFile().getParent()
                + " is owned by another process (pid " + owner + ")"), refused::toString);
        other.process().toHandle().destroy(); // SIGTERM: a clean stop, which must not touch the owner's files
        assertTrue(other.process().waitFor(20, TimeUnit.SECONDS), "the second jvirtd did not stop on SIGTERM");

        // the owner is unharmed: same pid, still the QEMU root's owner, still serving
        ok("list", "--all");
        assertEquals(Optional.of(owner), readPid(sessionPidFile()));
        assertEquals(Optional.of(owner), readPid(qemuDriverPidFile()));
        assertTrue(ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false));
    }

    // ---- 4 ---------------------------------------------------------------------------------------------

    @Test
    void guestsSurviveKillOfTheDaemon() throws Exception {
        Map<String, String> guests = new LinkedHashMap<>();
        for (String name : List.of("g1", "g2")) {
            guests.put(name, define(name));
            ok("start", name);
        }
        ok("suspend", "g2");
        Map<String, String> before = guestFacts(guests);
        assertEquals("1 running (booted)", before.get("g1").replaceAll(" qemu \\d+", ""), before::toString);
        assertEquals("2 paused (user)", before.get("g2").replaceAll(" qemu \\d+", ""), before::toString);

        long daemon = readPid(sessionPidFile()).orElseThrow();
        ProcessHandle h = ProcessHandle.of(daemon).orElseThrow();
        assertTrue(h.destroyForcibly()); // SIGKILL
        h.onExit().get(10, TimeUnit.SECONDS);
        for (String uuid : guests.values()) {
            assertEquals(1, qemuPids(uuid).size(), "a guest's QEMU went with the daemon");
        }

        Ran list = ok("list", "--all"); // starts a new session daemon
        long restarted = readPid(sessionPidFile()).orElseThrow();
        assertNotEquals(daemon, restarted);
        assertTrue(list.out.lines().anyMatch(l -> l.matches("\\s*1\\s+g1\\s+running\\s*")), list::toString);
        assertTrue(list.out.lines().anyMatch(l -> l.matches("\\s*2\\s+g2\\s+paused\\s*")), list::toString);
        assertEquals(before, guestFacts(guests), "ids, state reasons and QEMU pids after the restart");

        // and the new daemon drives them: through their monitors and their processes
        ok("resume", "g2");
        assertEquals("running (unpaused)", ok("domstate", "--reason", "g2").out.strip());
        ok("destroy", "g1");
        waitFor("g1's QEMU to exit", () -> qemuPids(guests.get("g1")).isEmpty());
        assertEquals("shut off (destroyed)", ok("domstate", "--reason", "g1").out.strip());
    }

    /** Each guest's "ID STATE (REASON) qemu PID", checking that its one QEMU is the status file's. */
    private Map<String, String> guestFacts(Map<String, String> guests) throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : guests.entrySet()) {
            String name = e.getKey();
            List<Long> qemus = qemuPids(e.getValue());
            assertEquals(List.of(statusPid(name)), qemus, name + ": its QEMUs against its status file");
            facts.put(name, ok("domid", name).out.strip() + " " + ok("domstate", "--reason", name).out.strip()
                    + " qemu " + qemus.get(0));
        }
        return facts;
    }

    // ---- 5 ---------------------------------------------------------------------------------------------

    @Test
    void acknowledgedDefinesSurviveKillDuringConcurrentDefines() throws Exception {
        final int total = 1000;
        final int threads = 8;
        final int killAfter = 300;
        ok("list", "--all"); // the session daemon
        long daemon = readPid(sessionPidFile()).orElseThrow();
        String uri = "qemu+unix:///session?socket=" + sessionSocket();
        FrontEndImpl frontEnd = new FrontEndImpl();

        Map<String, String> sent = new ConcurrentHashMap<>();
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicBoolean killed = new AtomicBoolean();
        Map<String, String> endings = new ConcurrentHashMap<>();
        List<Thread> definers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String thread = "definer-" + t;
            Thread th = new Thread(() -> {
                Connect c;
                try {
                    c = frontEnd.open(uri, null, Set.of());
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                    return;
                }
                try {
                    for (int i; (i = next.getAndIncrement()) < total;) {
                        String name = "d" + i;
                        String uuid = UUID.randomUUID().toString();
                        sent.put(name, uuid);
                        Domain d = c.defineXML(xml(name, uuid));
                        if (!name.equals(d.getName())) {
                            unexpected.compareAndSet(null, new AssertionError("defined " + d.getName() + " for " + name));
                        }
                        acked.put(name, uuid);
                    }
                    endings.put(thread, "all defined");
                } catch (Throwable e) {
                    if (!killed.get()) {
                        unexpected.compareAndSet(null, e);
                    }
                    endings.put(thread, String.valueOf(e.getMessage())); // the daemon went
                } finally {
                    try {
                        c.close();
                    } catch (RuntimeException e) {
                        // the daemon is gone
                    }
                }
            }, thread);
            definers.add(th);
        }
        long t0 = System.nanoTime();
        definers.forEach(Thread::start);
        waitFor(killAfter + " acknowledged defines", () -> acked.size() >= killAfter
                || definers.stream().noneMatch(Thread::isAlive));
        ProcessHandle h = ProcessHandle.of(daemon).orElseThrow();
        killed.set(true);
        assertTrue(h.destroyForcibly()); // SIGKILL, in the middle of the defines
        int ackedAtKill = acked.size();
        h.onExit().get(10, TimeUnit.SECONDS);
        for (Thread th : definers) {
            th.join(30_000);
            assertFalse(th.isAlive(), th.getName() + " still waits on a define after the daemon was killed");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (unexpected.get() != null) {
            throw new AssertionError("a definer failed before the daemon was killed", unexpected.get());
        }
        System.out.println("OneOwnerIT: " + acked.size() + " of " + sent.size() + " defines acknowledged (" + ackedAtKill
                + " when killed) in " + ms + " ms; threads ended with: " + new TreeSet<>(endings.values()));
        assertTrue(acked.size() < total, "the kill came after every define: nothing was interrupted");
        assertTrue(endings.values().stream().noneMatch("all defined"::equals), endings::toString);

        ok("list", "--all"); // starts a new session daemon, which loads the definitions
        assertNotEquals(daemon, readPid(sessionPidFile()).orElseThrow());

        // every acknowledged define is there, with its uuid
        try (Connect c = frontEnd.open(uri, null, Set.of())) {
            Set<String> defined = new HashSet<>(c.listDefinedDomains());
            Set<String> missing = new TreeSet<>(acked.keySet());
            missing.removeAll(defined);
            assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged defines are gone: " + missing);
            for (Map.Entry<String, String> e : acked.entrySet()) {
                assertEquals(e.getValue(), c.lookupByName(e.getKey()).getUUIDString(), e.getKey());
            }
            // and nothing else: a define the kill interrupted is there whole or not at all
            Set<String> extra = new TreeSet<>(defined);
            extra.removeAll(sent.keySet());
            assertTrue(extra.isEmpty(), () -> "defined but never sent: " + extra);

            // no config file is torn: each parses, and is the definition that was sent under its name
            Path configDir = work.resolve("cfg/jvirt/qemu");
            List<Path> files = listing(configDir, "*.xml");
            for (Path f : files) {
                String name = f.getFileName().toString().replaceFirst("\\.xml$", "");
                DomainDef def;
                try {
                    def = DomainXml.parse(Files.readString(f, StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    throw new AssertionError(f + " does not parse", e);
                }
                assertEquals(name, def.getName(), f.toString());
                assertEquals(sent.get(name), String.valueOf(def.getUuid()), f.toString());
            }
            assertEquals(new TreeSet<>(defined), new TreeSet<>(files.stream()
                    .map(f -> f.getFileName().toString().replaceFirst("\\.xml$", "")).toList()),
                    "the daemon's definitions against " + configDir);
            System.out.println("OneOwnerIT: " + files.size() + " config files after the restart, "
                    + listing(configDir, ".*.tmp*").size() + " temp files left by the kill");
        }
        String log = Files.readString(rt.resolve("libvirt/jvirtd.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains("skipping domain config"), log);
    }

    // ---- helpers: the guests ---------------------------------------------------------------------------

    /** Defines a TCG guest of a fresh uuid through jvirsh (which starts the daemon if needed); returns the uuid. */
    private String define(String name) throws Exception {
        String uuid = UUID.randomUUID().toString();
        uuids.add(uuid);
        Path f = Files.writeString(work.resolve(name + ".xml"), xml(name, uuid));
        assertTrue(ok("define", f.toString()).out.contains("Domain '" + name + "' defined"));
        return uuid;
    }

    private static String xml(String name, String uuid) {
        return "<domain type='qemu'><name>" + name + "</name><uuid>" + uuid + "</uuid><memory unit='MiB'>64</memory>"
                + "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><emulator>" + EMULATOR
                + "</emulator></devices></domain>";
    }

    /** The QEMU processes of a guest: those whose command line holds its uuid. */
    private static List<Long> qemuPids(String uuid) {
        return pidsMentioning(uuid).stream().filter(pid -> cmdline(pid).startsWith(EMULATOR + "\0")).toList();
    }

    /** The pid in a running guest's status file. */
    private long statusPid(String name) throws IOException {
        Path status = rt.resolve("jvirt/qemu/run/" + name + ".status");
        return Files.readAllLines(status, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("pid="))
                .map(l -> Long.parseLong(l.substring(4).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no pid in " + status));
    }

    // ---- helpers: the session's files ------------------------------------------------------------------

    private Path sessionSocket() {
        return rt.resolve("libvirt/libvirt-sock");
    }

    private Path sessionPidFile() {
        return rt.resolve("libvirt/jvirtd.pid");
    }

    private Path sessionConf() {
        return rt.resolve("libvirt/jvirtd-session.conf");
    }

    /** The lock file of the session's QEMU root (its state dir). */
    private Path qemuDriverPidFile() {
        return work.resolve("data/jvirt/qemu/driver.pid");
    }

    private static Optional<Long> readPid(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean accepting(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> listing(Path dir, String glob) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(out::add);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    // ---- helpers: running jvirsh and jvirtd ------------------------------------------------------------

    /** A jvirsh command on qemu:///session (unless the arguments name their own -c). */
    private ProcessBuilder virsh(String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/jvirsh").toString()));
        if (args.length == 0 || !args[0].equals("-c")) {
            cmd.addAll(List.of("-c", "qemu:///session"));
        }
        cmd.addAll(List.of(args));
        return withEnv(new ProcessBuilder(cmd));
    }

    /** A jvirtd started directly, with a bundle cache of its own under {@code work/name}. */
    private ProcessBuilder jvirtd(String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/jvirtd").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = withEnv(new ProcessBuilder(cmd));
        pb.environment().put("JVIRTD_JAVA_OPTS", "-Dorg.osgi.framework.storage=" + work.resolve(name + "/cache")
                + " -Djvirt.state.dir=" + work.resolve(name + "/var"));
        return pb;
    }

    private ProcessBuilder withEnv(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("XDG_RUNTIME_DIR", rt.toString());
        env.put("XDG_CONFIG_HOME", work.resolve("cfg").toString());
        env.put("XDG_DATA_HOME", work.resolve("data").toString());
        env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
        env.put("JAVA", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        env.put("JVIRTD_CDS", "0");
        // bin/jvirsh points JVIRT_JVIRTD at this copy's bin/jvirtd unless told otherwise
        env.remove("JVIRT_JVIRTD");
        env.remove("JVIRTD_JAVA_OPTS");
        env.remove("JVIRSH_JAVA_OPTS");
        return pb;
    }

    /** A command started by {@link #launch}: its output goes to files under work (so no pipe outlives it). */
    private record Launched(Process process, List<String> command, Path out, Path err, long t0) {
        String output() {
            try {
                return Files.readString(out) + Files.readString(err);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    /** Starts a command with its stdin empty. */
    private Launched launch(ProcessBuilder pb) throws IOException {
        int n = runs.incrementAndGet();
        Path out = work.resolve("run-" + n + ".out");
        Path err = work.resolve("run-" + n + ".err");
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        started.add(p);
        return new Launched(p, List.copyOf(pb.command()), out, err, t0);
    }

    /** The result of a run: exit status, output and how long it took. */
    private record Ran(List<String> command, int rc, String out, String err, long ms) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> " + rc + " in " + ms + " ms\n" + out + err;
        }
    }

    private static Ran await(Launched l) throws Exception {
        return await(l, TimeUnit.SECONDS.toMillis(RUN_TIMEOUT_S));
    }

    private static Ran await(Launched l, long boundMs) throws Exception {
        long left = boundMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - l.t0);
        if (!l.process.waitFor(Math.max(left, 0), TimeUnit.MILLISECONDS)) {
            l.process.destroyForcibly();
            fail("no answer within " + boundMs + " ms from " + String.join(" ", l.command) + ":\n" + l.output());
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - l.t0);
        return new Ran(l.command, l.process.exitValue(), Files.readString(l.out, StandardCharsets.UTF_8),
                Files.readString(l.err, StandardCharsets.UTF_8), ms);
    }

    /** Runs jvirsh and requires success. */
    private Ran ok(String... args) throws Exception {
        Ran r = await(launch(virsh(args)));
        assertEquals(0, r.rc, r::toString);
        return r;
    }

    private static void exec(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> pb.command() + ": " + out);
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(RUN_TIMEOUT_S);
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out after " + RUN_TIMEOUT_S + " s waiting for " + what);
            }
            Await.sleep(20);
        }
    }

    // ---- helpers: processes ----------------------------------------------------------------------------

    private static void require(boolean ok, String why) {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(ok, why);
        }
        assumeTrue(ok, why);
    }

    /** Processes whose command line contains {@code text}. */
    private static List<Long> pidsMentioning(String text) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String n = p.getFileName().toString();
                if (n.chars().allMatch(Character::isDigit) && cmdline(Long.parseLong(n)).contains(text)) {
                    out.add(Long.parseLong(n));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        out.remove(ProcessHandle.current().pid());
        return out;
    }

    /** A process's command line, arguments separated by NULs ("" once it is gone). */
    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills (SIGKILL) every process whose command line names {@code text}; returns their command lines. */
    private static List<String> killAll(String text) {
        List<String> killed = new ArrayList<>();
        for (long pid : pidsMentioning(text)) {
            String cmd = cmdline(pid).replace('\0', ' ');
            ProcessHandle.of(pid).ifPresent(OneOwnerIT::kill);
            if (!cmd.isEmpty()) {
                killed.add(pid + ": " + (cmd.length() > 200 ? cmd.substring(0, 200) + "..." : cmd));
            }
        }
        return killed;
    }

    private static void kill(ProcessHandle h) {
        if (!h.isAlive()) {
            return;
        }
        h.destroyForcibly();
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("process " + h.pid() + " did not exit on SIGKILL", e);
        }
    }
}
