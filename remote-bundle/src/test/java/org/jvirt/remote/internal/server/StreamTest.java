package org.jvirt.remote.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Stream;
import org.jvirt.core.internal.FrontEndImpl;

/** virStream over RPC: data both ways, end of stream, abort, and stock virsh console with its escape. */
class StreamTest {
    @TempDir
    Path dir;
    private RpcServer server;
    private FakeNodeDriver node;

    @BeforeEach
    void start() throws IOException {
        node = new FakeNodeDriver();
        server = new RpcServer(FrontEndImpl.of(node), ServerSettings.from(
                DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\n", "t"), false, dir), m -> { });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String uri() {
        return "fake+unix:///node?socket=" + dir.resolve("libvirt-sock");
    }

    @Test
    void consoleDataFlowsBothWaysAndEnds() throws Exception {
        try (Connect c = new FrontEndImpl().open(uri(), null, Set.of())) {
            Stream s = c.lookupByName("alpha").openConsole(null, 0);
            assertEquals("open alpha", node.consoleEvents.poll(5, TimeUnit.SECONDS));
            InputStream in = s.input();
            assertEquals("console of alpha\r\n", readAtLeast(in, 18));
            s.output().write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("HELLO\n", readAtLeast(in, 6));
            s.output().write("bye".getBytes(StandardCharsets.UTF_8));
            assertEquals(-1, in.read(), "end of stream after the driver finished");
            s.abort();
        }
    }

    @Test
    void abortReachesTheDriver() throws Exception {
        try (Connect c = new FrontEndImpl().open(uri(), null, Set.of())) {
            Stream s = c.lookupByName("alpha").openConsole(null, 0);
            node.consoleEvents.poll(5, TimeUnit.SECONDS);
            readAtLeast(s.input(), 18);
            s.abort();
            assertEquals("aborted", node.consoleEvents.poll(5, TimeUnit.SECONDS));
            // the connection goes on after the stream
            assertEquals("Fake", c.getType());
        }
    }

    @Test
    void aClientThatVanishesMidStreamLeavesTheDaemonServing() throws Exception {
        try (Connect warm = new FrontEndImpl().open(uri(), null, Set.of())) {
            warm.getType(); // the server's threads for clients exist from here on
        }
        Thread.sleep(300);
        long threadsBefore = threads();
        long fdsBefore = fds();
        Connect c = new FrontEndImpl().open(uri(), null, Set.of());
        Stream s = c.lookupByName("alpha").openConsole(null, 0);
        node.consoleEvents.poll(5, TimeUnit.SECONDS);
        readAtLeast(s.input(), 18);
        c.close(); // gone without finishing or aborting the stream
        assertEquals("aborted", node.consoleEvents.poll(5, TimeUnit.SECONDS));
        try (Connect other = new FrontEndImpl().open(uri(), null, Set.of())) {
            assertEquals("Fake", other.getType());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((threads() > threadsBefore || fds() > fdsBefore) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(threads() <= threadsBefore, "threads: " + threads() + " vs " + threadsBefore);
        assertTrue(fds() <= fdsBefore, "file descriptors: " + fds() + " vs " + fdsBefore);
    }

    /** Live threads, less the daemon's worker pool (bounded by max_workers, its threads are reused). */
    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().equals("jvirtd-worker")).count();
    }

    private static long fds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Stock virsh console (on a pty made by script(1)): the banner, an answer, and Ctrl+] to leave. */
    @Test
    void stockVirshConsoleWithItsEscape() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/virsh")) && Files.isExecutable(Path.of("/usr/bin/script"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("virsh or script is missing, and CI=true requires them");
        }
        Assumptions.assumeTrue(present);
        Process p = new ProcessBuilder("/usr/bin/script", "-q", "-c", "/usr/bin/virsh -c '" + uri() + "' console alpha",
                "/dev/null").redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[4096];
                for (int n; (n = in.read(b)) >= 0;) {
                    synchronized (out) {
                        out.append(new String(b, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException ignored) {
                // ended
            }
        });
        reader.start();
        waitFor(out, "console of alpha");
        p.getOutputStream().write("typed\r".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        waitFor(out, "TYPED");
        p.getOutputStream().write(0x1d); // Ctrl+]
        p.getOutputStream().flush();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "virsh console did not leave on Ctrl+]: " + out);
        reader.join(5000);
        String text;
        synchronized (out) {
            text = out.toString();
        }
        assertTrue(text.contains("Connected to domain 'alpha'"), text);
        assertTrue(text.contains("Escape character is ^] (Ctrl + ])"), text);
        assertEquals(0, p.exitValue(), text);
        assertEquals("open alpha", node.consoleEvents.poll(5, TimeUnit.SECONDS));
        String end = node.consoleEvents.poll(5, TimeUnit.SECONDS);
        assertTrue("finished".equals(end) || "aborted".equals(end), "virsh closed its end: " + end);
    }

    private static void waitFor(StringBuilder out, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            synchronized (out) {
                if (out.indexOf(what) >= 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        synchronized (out) {
            throw new AssertionError("no '" + what + "' in: " + out);
        }
    }

    private static String readAtLeast(InputStream in, int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(buf, got, n - got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return new String(buf, 0, got, StandardCharsets.UTF_8);
    }
}
