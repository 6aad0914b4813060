package org.jvirt.remote.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.driver.test.internal.TestDriver;
import org.jvirt.remote.internal.server.DaemonConfig;
import org.jvirt.remote.internal.server.RpcServer;
import org.jvirt.remote.internal.server.ServerSettings;
import org.jvirt.remote.internal.transport.Listener;

/**
 * TLS with libvirt's x509 files, certificates made at test time: jvirt's client and Debian's virsh against
 * jvirtd, and every refusal with its reason (foreign CA, revoked certificate, wrong host name, DN and IP
 * allowlists); a client that stalls mid-handshake leaves the daemon serving others, with nothing leaked.
 */
class TlsTest {
    @TempDir
    static Path pki;
    static TestPki ca;
    static TestPki otherCa;
    static TestPki.Issued client;
    static TestPki.Issued revokedClient;
    static TestPki.Issued foreignClient;
    static TestPki.Issued localhostServer;
    static TestPki.Issued otherHostServer;

    @TempDir
    Path dir;
    private RpcServer server;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = new TestPki("jvirt test CA");
        otherCa = new TestPki("some other CA");
        client = ca.client("C=GB,ST=London,L=London,O=Red Hat,CN=client1");
        revokedClient = ca.client("C=GB,O=Red Hat,CN=revoked");
        foreignClient = otherCa.client("C=GB,O=Red Hat,CN=stranger");
        localhostServer = ca.server("localhost", "localhost", "127.0.0.1");
        otherHostServer = ca.server("elsewhere.example", "elsewhere.example");
        ca.revoke(revokedClient.cert());
        TestPki.writeCert(pki.resolve("cacert.pem"), ca.caCert());
        TestPki.writeCrl(pki.resolve("cacrl.pem"), ca.crl());
        ca.clientDir(pki.resolve("good"), client, ca.caCert());
        ca.clientDir(pki.resolve("revoked"), revokedClient, ca.caCert());
        otherCa.clientDir(pki.resolve("foreign"), foreignClient, ca.caCert());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** jvirtd on tls (port chosen by the system) with the given server certificate and extra settings. */
    private int start(TestPki.Issued serverCert, String extra) throws Exception {
        Path s = Files.createDirectories(dir.resolve("server"));
        TestPki.writeCert(s.resolve("servercert.pem"), serverCert.cert());
        TestPki.writeKey(s.resolve("serverkey.pem"), serverCert.key());
        String conf = "unix_sock_dir = \"" + dir.resolve("run") + "\"\nlisten_tls = 1\nlisten_addr = \"127.0.0.1\"\n"
                + "tls_port = \"0\"\nca_file = \"" + pki.resolve("cacert.pem") + "\"\ncrl_file = \""
                + pki.resolve("cacrl.pem") + "\"\ncert_file = \"" + s.resolve("servercert.pem") + "\"\nkey_file = \""
                + s.resolve("serverkey.pem") + "\"\n" + extra;
        server = new RpcServer(FrontEndImpl.of(new TestDriver()),
                ServerSettings.from(DaemonConfig.parse(conf, "tls.conf"), true, dir.resolve("run")), log::add);
        server.start();
        return server.listeners().stream().filter(l -> l.toString().startsWith("tls")).mapToInt(Listener::port)
                .findFirst().orElseThrow();
    }

    private static String uri(int port, String clientDir) {
        return "test+tls://localhost:" + port + "/default?pkipath=" + pki.resolve(clientDir);
    }

    @Test
    void jvirtsClientOverTls() throws Exception {
        int port = start(localhostServer, "tls_allowed_dn_list = [\"C=GB,ST=London,L=London,O=Red Hat,CN=*\"]\n");
        // GnuTLS and the JDK word a DN with the last RDN first
        log.clear();
        server.close();
        port = start(localhostServer, "tls_allowed_dn_list = [\"CN=client1,O=Red Hat,*\"]\n");
        try (Connect c = new FrontEndImpl().open(uri(port, "good"), null, Set.of())) {
            assertEquals(1, c.listAllDomains().size());
            assertTrue(c.isEncrypted());
            assertTrue(c.isSecure());
        }
    }

    @Test
    void stockVirshOverTls() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/virsh"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("virsh is not installed (libvirt-clients), and CI=true requires it");
        }
        Assumptions.assumeTrue(present, "virsh is not installed");
        int port = start(localhostServer, "");
        for (String cmd : List.of("list --all", "dominfo test", "domstate test --reason", "net-list --all")) {
            List<String> args = List.of(cmd.split(" "));
            assertEquals(virsh("test:///default", args), virsh(uri(port, "good"), args), cmd);
        }
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        int port = start(localhostServer, "");
        refused(() -> uri(port, "foreign"), "Certificate failed validation: The certificate hasn't got a known issuer.");
    }

    @Test
    void aRevokedClientCertificateIsRefused() throws Exception {
        int port = start(localhostServer, "");
        refused(() -> uri(port, "revoked"), "Certificate failed validation: The certificate has been revoked.");
    }

    @Test
    void aDnTheAllowlistDoesNotMatchIsRefused() throws Exception {
        int port = start(localhostServer, "tls_allowed_dn_list = [\"CN=someone-else,*\"]\n");
        refused(() -> uri(port, "good"), "Client's Distinguished Name is not on the list of allowed clients");
    }

    @Test
    void anIpTheAllowlistDoesNotMatchIsRefused() throws Exception {
        int port = start(localhostServer, "tls_allowed_ip_list = [\"192.0.2.*\"]\n");
        refused(() -> uri(port, "good"), "Client's IP address 127.0.0.1 is not on the list of allowed clients");
    }

    @Test
    void aServerCertificateForAnotherHostIsRefusedByTheClient() throws Exception {
        int port = start(otherHostServer, "");
        VirtException e = assertThrows(VirtException.class,
                () -> new FrontEndImpl().open(uri(port, "good"), null, Set.of()));
        assertEquals("Certificate [session] owner does not match the hostname localhost", e.getMessage());
        // no_verify=1 skips the check, as libvirt's
        try (Connect c = new FrontEndImpl().open(uri(port, "good") + "&no_verify=1", null, Set.of())) {
            assertEquals(1, c.listAllDomains().size());
        }
    }

    @Test
    void aMissingCaFileSaysWhichFileAndWhatElseToDo() {
        VirtException e = assertThrows(VirtException.class, () -> new FrontEndImpl().open(
                "test+tls://localhost:1/default?pkipath=" + dir.resolve("nothing-here"), null, Set.of()));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("Cannot read CA certificate '" + dir.resolve("nothing-here/cacert.pem")
                + "': No such file or directory\nTo use TLS"), e.getMessage());
        assertTrue(e.getMessage().contains("test+ssh://localhost/default"), e.getMessage());
    }

    @Test
    void aClientThatStallsMidHandshakeLeavesTheDaemonServing() throws Exception {
        int port = start(localhostServer, "");
        try (Connect warm = new FrontEndImpl().open(uri(port, "good"), null, Set.of())) {
            warm.listAllDomains(); // the server's workers exist from here on
        }
        Thread.sleep(500);
        int threadsBefore = threads();
        long fdsBefore = openFds();
        try (Socket stalled = new Socket()) {
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // half a ClientHello
            try (Connect c = new FrontEndImpl().open(uri(port, "good"), null, Set.of())) {
                assertEquals(1, c.listAllDomains().size(), "others are served meanwhile");
            }
            stalled.setSoTimeout(20_000);
            long t0 = System.nanoTime();
            int got;
            try {
                got = stalled.getInputStream().read();
                while (got >= 0) {
                    got = stalled.getInputStream().read();
                }
            } catch (IOException reset) {
                got = -1;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertEquals(-1, got);
            assertTrue(seconds <= 15, "dropped after " + seconds + " s");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((server.clientCount() > 0 || threads() > threadsBefore) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, server.clientCount());
        assertTrue(threads() <= threadsBefore, "threads: " + threads() + " vs " + threadsBefore + ": "
                + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
        assertTrue(openFds() <= fdsBefore + 2, "file descriptors: " + openFds() + " vs " + fdsBefore);
    }

    private void refused(Supplier<String> uri, String reason) throws InterruptedException {
        VirtException e = assertThrows(VirtException.class, () -> new FrontEndImpl().open(uri.get(), null, Set.of()));
        assertTrue(e.getMessage().contains("server verification (of our certificate or IP address) failed")
                || e.getMessage().startsWith("TLS handshake failed"), e.getMessage());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (log.stream().noneMatch(l -> l.contains(reason)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains(reason)), "the daemon names the reason: " + log);
    }

    /** Live threads, less the daemon's worker pool (bounded by max_workers, its threads are reused). */
    private static int threads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().equals("jvirtd-worker")).count();
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static String virsh(String uri, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/virsh", "-c", uri));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.replaceAll("(CPU time:\\s+)[0-9.]+s", "$1#s");
    }
}
