package org.jvirt.bench;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainState;

/**
 * The QEMU driver's speed, side by side in one run with bare QEMU and with Debian's libvirt 9.0
 * (through libvirt-java, on {@code qemu:///system}), on the same no-disk TCG guest (64 MiB, 1 vCPU).
 * A plain main, not JMH: each operation starts or kills a process, so there is nothing to JIT
 * away, and medians of N whole operations are what the targets speak of.
 *
 * <ul>
 * <li><b>start → running</b>: jvirt {@code createXML} on a {@code qemu:///embed} root (returns once
 * QEMU runs: launch, QMP negotiated, {@code cont} answered); bare QEMU with the very command line
 * jvirt uses ({@code domxml-to-native qemu-argv}), launch → QMP greeting + {@code qmp_capabilities}
 * answered ("QMP ready") and → {@code cont} answered; libvirt {@code virDomainCreateXML}.</li>
 * <li><b>destroy → shut off</b>: jvirt {@code destroy} (SIGTERM, reaped); bare QEMU SIGTERM →
 * exit seen; libvirt {@code virDomainDestroy}.</li>
 * <li><b>warm open</b>: open + close of {@code qemu:///system} while another connection to it is open
 * (capabilities cached): jvirt in process, libvirt to libvirtd's socket.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp bench.jar org.jvirt.bench.QemuSideBySide [runs] [openRuns]} (defaults 20
 * and 200). Sides run interleaved, one operation each per round, so that load drift hits all alike.
 * The libvirt side is left out, with the reason printed, when libvirtd cannot run the guest;
 * {@code -Dqemu.bench.libvirt=false} leaves it out on purpose.
 */
public final class QemuSideBySide {
    static final String QEMU = System.getProperty("qemu.bench.emulator", "/usr/bin/qemu-system-x86_64");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int openRuns = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        if (!Files.isExecutable(Path.of(QEMU))) {
            System.out.println("skipped: " + QEMU + " not found");
            return;
        }
        Path root = Files.createTempDirectory("jvirt-qemu-bench");
        try {
            run(root, runs, openRuns);
        } finally {
            deleteTree(root);
        }
    }

    static String guestXml(String name) {
        return "<domain type='qemu'><name>" + name + "</name><uuid>" + UUID.randomUUID() + "</uuid>"
                + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                + "<devices><emulator>" + QEMU + "</emulator></devices></domain>";
    }

    private static void run(Path root, int runs, int openRuns) throws Exception {
        Side jvirt = new Side("jvirt");
        Side bareReady = new Side("bare QEMU, launch -> QMP ready");
        Side bareRun = new Side("bare QEMU, launch -> cont answered");
        Side bareKill = new Side("bare QEMU, SIGTERM -> exit");
        Side libvirt = new Side("libvirt 9.0");

        try (Connect j = Connect.open("qemu:///embed?root=" + root)) {
            String xml = guestXml("bench");
            List<String> argv = bareArgv(j.domainXMLToNative("qemu-argv", xml), root);
            Path sock = Path.of(argv.get(argv.indexOf("-chardev") + 1).replaceAll(".*path=([^,]*),.*", "$1"));
            Files.createDirectories(sock.getParent());
            System.out.println("guest: " + xml);
            System.out.println("bare QEMU argv: " + String.join(" ", argv));

            LibvirtSide lv = LibvirtSide.open(guestXml("jvirt-bench-libvirt"));
            if (lv.error != null) {
                System.out.println("libvirt side left out: " + lv.error);
            }
            // warm-up: one of each, unmeasured (page cache, class loading, capability probe)
            j.createXML(xml).destroy();
            bare(argv, sock, root, null, null, null);
            lv.startStop(null, null);

            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Domain d = j.createXML(xml);
                jvirt.start.add(System.nanoTime() - t0);
                if (d.getState().state() != DomainState.RUNNING) {
                    throw new IllegalStateException("jvirt guest not running: " + d.getState());
                }
                t0 = System.nanoTime();
                d.destroy();
                jvirt.stop.add(System.nanoTime() - t0);

                bare(argv, sock, root, bareReady.start, bareRun.start, bareKill.stop);
                lv.startStop(libvirt.start, libvirt.stop);
            }

            // warm qemu:///system open, one connection kept open on each side
            try (Connect keep = Connect.open("qemu:///system")) {
                for (int i = 0; i < openRuns; i++) {
                    long t0 = System.nanoTime();
                    Connect c = Connect.open("qemu:///system");
                    jvirt.open.add(System.nanoTime() - t0);
                    c.close();
                }
                if (!keep.isAlive()) {
                    throw new IllegalStateException("qemu:///system connection closed");
                }
            }
            lv.openLoop(libvirt.open, openRuns);
            lv.close();
            if (lv.error != null && !lv.error.equals(lv.firstError)) {
                System.out.println("libvirt side: " + lv.error);
            }
        }

        System.out.printf(Locale.ROOT, "%nQEMU side by side: %d runs (start/destroy), %d (open); median [min-max] ms%n",
                runs, openRuns);
        row("start -> running (TCG, no disk)", jvirt.start, bareReady.start, bareRun.start, libvirt.start);
        row("destroy -> shut off", jvirt.stop, null, bareKill.stop, libvirt.stop);
        row("warm qemu:///system open", jvirt.open, null, null, libvirt.open);
        System.out.println("columns: jvirt | bare QEMU to QMP ready | bare QEMU to cont answered (destroy: SIGTERM"
                + " to exit) | libvirt 9.0 via libvirt-java");
    }

    /** One side's samples, in nanoseconds. */
    static final class Side {
        final String name;
        final List<Long> start = new ArrayList<>();
        final List<Long> stop = new ArrayList<>();
        final List<Long> open = new ArrayList<>();

        Side(String name) {
            this.name = name;
        }
    }

    static void row(String what, List<Long>... cols) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-34s", what));
        for (List<Long> c : cols) {
            sb.append(" | ").append(String.format(Locale.ROOT, "%-24s", stats(c)));
        }
        System.out.println(sb);
    }

    static String stats(List<Long> ns) {
        if (ns == null || ns.isEmpty()) {
            return "-";
        }
        long[] s = ns.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
        return fmt(med) + " [" + fmt(s[0]) + "-" + fmt(s[s.length - 1]) + "]";
    }

    static String fmt(double ns) {
        double ms = ns / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    // ---- bare QEMU ----------------------------------------------------------------------------------

    /** jvirt's own command line for the guest (domxml-to-native), unquoted, without the LC_ALL=C prefix. */
    static List<String> bareArgv(String nativeArgv, Path root) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        String s = nativeArgv.trim();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                w = w == null ? new StringBuilder() : w;
                w.append(s, i + 1, end);
                i = end;
            } else if (c == '\\' && i + 1 < s.length()) {
                w = w == null ? new StringBuilder() : w;
                w.append(s.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
            } else {
                w = w == null ? new StringBuilder() : w;
                w.append(c);
            }
        }
        if (w != null) {
            words.add(w.toString());
        }
        if (words.get(0).startsWith("LC_ALL=")) {
            words.remove(0);
        }
        return words;
    }

    /** Launches QEMU, waits for QMP, sends cont, then SIGTERMs it; records the three times (if lists given). */
    static void bare(List<String> argv, Path sock, Path root, List<Long> ready, List<Long> running, List<Long> kill)
            throws IOException, InterruptedException {
        Files.deleteIfExists(sock);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("bare.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        try {
            SocketChannel ch = connect(sock, p);
            try (ch) {
                Qmp q = new Qmp(ch);
                String greeting = q.line();
                if (!greeting.contains("\"QMP\"")) {
                    throw new IOException("no QMP greeting: " + greeting);
                }
                q.call("{\"execute\":\"qmp_capabilities\"}");
                long t1 = System.nanoTime();
                q.call("{\"execute\":\"cont\"}");
                long t2 = System.nanoTime();
                if (ready != null) {
                    ready.add(t1 - t0);
                    running.add(t2 - t0);
                }
                long t3 = System.nanoTime();
                p.destroy();
                p.waitFor();
                if (kill != null) {
                    kill.add(System.nanoTime() - t3);
                }
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    static SocketChannel connect(Path sock, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long sleepMicros = 200;
        while (true) {
            try {
                return SocketChannel.open(UnixDomainSocketAddress.of(sock));
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("bare QEMU did not open its monitor (exit " + (p.isAlive() ? "-" : p.exitValue())
                            + ")", e);
                }
                TimeUnit.MICROSECONDS.sleep(sleepMicros);
                sleepMicros = Math.min(sleepMicros * 2, 20_000);
            }
        }
    }

    /** The least QMP client: one line out, lines in until a "return" (events skipped). */
    static final class Qmp {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(65536).flip();

        Qmp(SocketChannel ch) {
            this.ch = ch;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                while (buf.hasRemaining()) {
                    char c = (char) buf.get();
                    if (c == '\n') {
                        return sb.toString();
                    }
                    sb.append(c);
                }
                buf.clear();
                int n = ch.read(buf);
                buf.flip();
                if (n < 0) {
                    throw new IOException("QMP closed");
                }
            }
        }

        void call(String json) throws IOException {
            ByteBuffer out = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            while (true) {
                String l = line();
                if (l.contains("\"return\"")) {
                    return;
                }
                if (l.contains("\"error\"")) {
                    throw new IOException(json + ": " + l);
                }
            }
        }
    }

    // ---- libvirt -------------------------------------------------------------------------------------

    /** Debian's libvirtd through libvirt-java; records why it is left out instead of failing the run. */
    static final class LibvirtSide {
        final String xml;
        org.libvirt.Connect conn;
        String error;
        String firstError;

        private LibvirtSide(String xml) {
            this.xml = xml;
        }

        static LibvirtSide open(String xml) {
            LibvirtSide s = new LibvirtSide(xml);
            if (!Boolean.parseBoolean(System.getProperty("qemu.bench.libvirt", "true"))) {
                s.error = "left out (-Dqemu.bench.libvirt=false)";
            } else {
                try {
                    s.conn = new org.libvirt.Connect("qemu:///system");
                    // a guest of ours left over from an interrupted run
                    for (int id : s.conn.listDomains()) {
                        org.libvirt.Domain d = s.conn.domainLookupByID(id);
                        if ("jvirt-bench-libvirt".equals(d.getName())) {
                            d.destroy();
                        }
                        d.free();
                    }
                } catch (org.libvirt.LibvirtException | LinkageError e) {
                    s.error = "cannot open qemu:///system: " + e.getMessage();
                }
            }
            s.firstError = s.error;
            return s;
        }

        void startStop(List<Long> start, List<Long> stop) {
            if (conn == null) {
                return;
            }
            try {
                long t0 = System.nanoTime();
                org.libvirt.Domain d = conn.domainCreateXML(xml, 0);
                long t1 = System.nanoTime();
                d.destroy();
                long t2 = System.nanoTime();
                d.free();
                if (start != null) {
                    start.add(t1 - t0);
                    stop.add(t2 - t1);
                }
            } catch (org.libvirt.LibvirtException e) {
                error = "cannot run the guest: " + e.getMessage();
                System.out.println("libvirt side left out: " + error);
                close();
            }
        }

        void openLoop(List<Long> samples, int n) {
            if (conn == null) {
                return;
            }
            try {
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    org.libvirt.Connect c = new org.libvirt.Connect("qemu:///system");
                    samples.add(System.nanoTime() - t0);
                    c.close();
                }
            } catch (org.libvirt.LibvirtException e) {
                error = "open failed: " + e.getMessage();
            }
        }

        void close() {
            if (conn != null) {
                try {
                    conn.close();
                } catch (org.libvirt.LibvirtException ignored) {
                    // closing anyway
                }
                conn = null;
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
