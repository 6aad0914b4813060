package org.jvirt.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A black-box test of the distribution: runs {@code bin/jvirtd --console} from a copy of
 * distribution/target/jvirt, drops the example vendor driver into {@code deploy/}, and uses its scheme
 * through the Gogo console; removes the jar (the scheme is gone), puts it back (it works again), and
 * stops jvirtd with SIGTERM.
 */
class DistributionIT {

    private static final long WAIT_MS = 20_000;

    private Process jvirtd;
    private final StringBuffer output = new StringBuffer();
    private Writer console;
    private int marker;
    private String token;

    @Test
    void hotDeployedVendorDriverThroughTheConsole() throws Exception {
        Path dist = Paths.get(System.getProperty("itest.distribution.dir", "missing"));
        String why = dist + " is not built: run `mvn verify` (or package the distribution module first)";
        if ("true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(dist.resolve("bin/jvirtd")), why);
        }
        assumeTrue(Files.isRegularFile(dist.resolve("bin/jvirtd")), why);
        Path home = ItestConfig.workDir("dist").resolve("jvirt");
        run(new ProcessBuilder("cp", "-a", dist.toString(), home.toString()));
        // a fresh instance: nothing deployed or kept from an earlier manual run of the built layout
        run(new ProcessBuilder("sh", "-c", "rm -rf deploy/*.jar var data", "sh").directory(home.toFile()));
        // the RPC server's sockets stay inside this instance, away from any host daemon's
        Files.writeString(home.resolve("etc/org.jvirt.remote.server.cfg"), "unix_sock_dir = " + home.resolve("run") + "\n");

        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/jvirtd").toString(), "--console");
        pb.environment().put("JVIRTD_CDS", "0");
        pb.redirectErrorStream(true);
        jvirtd = pb.start();
        console = new java.io.OutputStreamWriter(jvirtd.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(jvirtd.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "jvirtd-output");
        reader.setDaemon(true);
        reader.start();
        awaitOutput("jvirtd ready", s -> s.contains("jvirtd: ready in"));
        // every driver the distribution ships is found by its scheme, and every bundle started
        String ready = output.toString().lines().filter(l -> l.contains("jvirtd: ready in")).findFirst().orElseThrow();
        assertTrue(ready.matches(".*: drivers kvm,qemu,remote,test,xen$"), ready); // remote: jvirtd ships the remote driver (daemon issue)
        assertTrue(cmd("jvirt:drivers").contains("Test"), output::toString);
        assertFalse(cmd("jvirt:drivers").contains(" exe "), output::toString);

        // hot deploy the vendor driver
        Path deploy = home.resolve("deploy");
        Path jar = home.resolve("examples/exe-driver.jar");
        long t0 = System.nanoTime();
        drop(jar, deploy.resolve("exe-driver.jar"));
        awaitCommand("jvirt:drivers", s -> s.contains(" exe "));
        System.out.println("DistributionIT: exe scheme usable " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                + " ms after the jar was dropped into deploy/");

        token = ExeDomains.uniqueSleep();
        Path xml = home.resolve("bb.xml");
        Files.writeString(xml, ExeDomains.xml("bb", "/bin/sleep", token));
        cmd("jvirt:connect exe:///session");
        assertTrue(cmd("jvirt:define " + xml).contains("Domain 'bb' defined"), output::toString);
        assertTrue(cmd("jvirt:start bb").contains("Domain 'bb' started"), output::toString);
        ProcessHandle proc = ExeDomains.process(token).orElseThrow(() -> new AssertionError("no process for bb"));
        assertTrue(cmd("jvirt:list --all").matches("(?s).*\\bbb\\s+running.*"), output::toString);
        cmd("jvirt:suspend bb");
        assertEquals('T', ExeDomains.procState(proc.pid()));
        assertTrue(cmd("jvirt:domstate bb").contains("paused"), output::toString);
        cmd("jvirt:destroy bb");
        assertTrue(proc.onExit().get(5, TimeUnit.SECONDS) != null);
        assertTrue(Files.isRegularFile(home.resolve("var/exe/bb.xml")), "definition kept under var/exe");

        // remove the jar: the scheme is gone, with a clear error
        Files.delete(deploy.resolve("exe-driver.jar"));
        awaitCommand("jvirt:drivers", s -> !s.contains(" exe "));
        String err = cmd("jvirt:list -c exe:///session --all");
        assertTrue(err.contains("no connection driver available for exe:///session"), output::toString);

        // put it back: it works again, and the definition is still there
        drop(jar, deploy.resolve("exe-driver.jar"));
        awaitCommand("jvirt:list -c exe:///session --all", s -> s.matches("(?s).*\\bbb\\s+shut off.*"));

        // SIGTERM: a clean stop (through the handle: Process.destroy would also close our end of its output)
        jvirtd.toHandle().destroy();
        assertTrue(jvirtd.waitFor(20, TimeUnit.SECONDS), "jvirtd did not stop on SIGTERM");
        int rc = jvirtd.exitValue();
        assertTrue(rc == 0 || rc == 143, "exit status " + rc);
        reader.join(5000);
        assertTrue(output.toString().contains("jvirtd: stopped"), () -> "rc " + rc + ", reader alive "
                + reader.isAlive() + ":\n" + output);
    }

    @AfterEach
    void stop() throws Exception {
        if (jvirtd != null && jvirtd.isAlive()) {
            jvirtd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (token != null) {
            ExeDomains.process(token).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Copies under a name FileInstall ignores, then renames: it never sees half a jar. */
    private static void drop(Path jar, Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs a console command and returns what it printed. */
    private String cmd(String line) throws IOException {
        String end = "__end_" + (++marker) + "__";
        int from = output.length();
        console.write(line + "\necho " + end + "\n");
        console.flush();
        awaitOutput(end, s -> s.substring(from).lines().anyMatch(l -> l.endsWith(end) && !l.contains("echo")));
        String out = output.substring(from);
        return out.substring(0, out.indexOf(end));
    }

    private void awaitCommand(String line, Predicate<String> done) throws IOException {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (!done.test(cmd(line))) {
            if (System.currentTimeMillis() > end) {
                fail("timed out waiting on " + line + ":\n" + output);
            }
            Await.sleep(20);
        }
    }

    private void awaitOutput(String what, Predicate<String> done) {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (!done.test(output.toString())) {
            if (System.currentTimeMillis() > end || !jvirtd.isAlive()) {
                fail("no " + what + " (alive=" + jvirtd.isAlive() + "):\n" + output);
            }
            Await.sleep(5);
        }
    }

    private static void run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> pb.command() + ": " + out);
    }
}
