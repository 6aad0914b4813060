package org.jvirt.remote.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt's client over TLS against Debian's libvirtd with the same kind of certificates. libvirtd runs in a
 * network namespace of its own (loopback only), and the client is run inside that namespace (nsenter).
 */
class LibvirtdTlsTest {
    /** virsh's comparison command list (the read-only part, so that each run starts from the same state). */
    private static final List<String> COMMANDS = List.of("list", "list --all", "list --name --all",
            "list --uuid", "dominfo test", "dominfo 1", "domstate test --reason", "domuuid test", "domid test",
            "domname 1", "nodeinfo", "net-list --all", "net-info default", "net-uuid default", "schedinfo test",
            "dumpxml test", "net-dumpxml default", "version", "hostname", "dominfo nope", "domname test");

    /** stdout, stderr and exit code, with the clock-based CPU time masked. */
    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.replaceAll("(CPU time:\\s+)[0-9.]+s", "$1#s") + "\nstderr: " + err + "\nrc " + p.exitValue();
    }

    @TempDir
    Path dir;

    @Test
    void jvirtsClientReachesStockLibvirtdOverTls() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/libvirtd")) && Files.isExecutable(Path.of("/usr/bin/nsenter"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("libvirtd or nsenter is missing, and CI=true requires them");
        }
        Assumptions.assumeTrue(present, "libvirtd is not installed");
        TestPki ca = new TestPki("libvirtd test CA");
        TestPki.Issued server = ca.server("localhost", "localhost", "127.0.0.1");
        TestPki.Issued client = ca.client("C=GB,O=Red Hat,CN=client1");
        Path s = Files.createDirectories(dir.resolve("server"));
        TestPki.writeCert(s.resolve("cacert.pem"), ca.caCert());
        TestPki.writeCert(s.resolve("servercert.pem"), server.cert());
        TestPki.writeKey(s.resolve("serverkey.pem"), server.key());
        Path clientDir = ca.clientDir(dir.resolve("client"), client, ca.caCert());
        Path run = Files.createDirectories(dir.resolve("run"));
        Path conf = dir.resolve("libvirtd.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + run + "\"\nlisten_tls = 1\nlisten_tcp = 0\ntls_port = \"16514\"\n"
                + "listen_addr = \"127.0.0.1\"\nauth_tls = \"none\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n"
                + "ca_file = \"" + s.resolve("cacert.pem") + "\"\ncert_file = \"" + s.resolve("servercert.pem")
                + "\"\nkey_file = \"" + s.resolve("serverkey.pem") + "\"\n", StandardCharsets.UTF_8);
        Path log = dir.resolve("libvirtd.log");
        // a private /run/libvirt too (a mount namespace): another libvirtd on the machine holds its drivers' pid files
        Process libvirtd = new ProcessBuilder("unshare", "-n", "-m", "--propagation", "private", "sh", "-c",
                "mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt && ip link set lo up"
                        + " && exec /usr/sbin/libvirtd --listen -f " + conf + " --pid-file " + dir.resolve("pid"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(run.resolve("libvirt-sock")) && System.nanoTime() < deadline && libvirtd.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(run.resolve("libvirt-sock")), "libvirtd did not start: " + Files.readString(log));
            // unshare and sh exec into libvirtd: the started process is libvirtd (its children come and go)
            long pid = libvirtd.pid();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process probe = new ProcessBuilder("nsenter", "-t", String.valueOf(pid), "-n", java, "-cp", cp,
                    RemoteProbe.class.getName(), "test+tls://localhost/default?pkipath=" + clientDir)
                    .redirectErrorStream(true).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, probe.exitValue(), out + "\nlibvirtd: " + Files.readString(log));
            assertTrue(out.contains("type TEST") || out.contains("type Test"), out);
            assertTrue(out.contains("encrypted true"), out);
            assertTrue(out.contains("domain test RUNNING"), out);
            assertTrue(out.contains("suspended PAUSED"), out);

            // jvirsh over TLS to libvirtd prints what virsh prints on its own test:///default
            String uri = "test+tls://localhost/default?pkipath=" + clientDir;
            for (String cmd : COMMANDS) {
                List<String> args = List.of(cmd.split(" "));
                List<String> jvirsh = new ArrayList<>(List.of("nsenter", "-t",
                        String.valueOf(pid), "-n", java, "-cp", cp, "org.jvirt.shell.Jvirsh", "-c", uri));
                jvirsh.addAll(args);
                List<String> virsh = new ArrayList<>(List.of("/usr/bin/virsh", "-c",
                        "test:///default"));
                virsh.addAll(args);
                assertEquals(run(virsh), run(jvirsh), cmd);
            }
        } finally {
            libvirtd.descendants().forEach(ProcessHandle::destroy);
            libvirtd.destroy();
            libvirtd.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
