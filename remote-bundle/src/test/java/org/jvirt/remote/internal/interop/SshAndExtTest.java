package org.jvirt.remote.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.core.internal.FrontEndImpl;

/**
 * The ssh transport against a real sshd on loopback (stock virsh to jvirtd, jvirt to jvirtd and to stock
 * libvirtd), and the ext transport (any program carrying the protocol).
 */
class SshAndExtTest {
    @TempDir
    static Path dir;
    private static LoopbackSshd sshd;
    private static JvirtdTestNode jvirtd;

    @BeforeAll
    static void start() throws Exception {
        sshd = LoopbackSshd.start(dir.resolve("ssh"));
        jvirtd = new JvirtdTestNode(dir.resolve("jvirtd"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (jvirtd != null) {
            jvirtd.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private static String sshUri(Path socket, String extra) {
        return "test+ssh://" + LoopbackSshd.user() + "@127.0.0.1:" + sshd.port + "/default?socket=" + socket
                + "&keyfile=" + sshd.userKey + extra;
    }

    @Test
    void stockVirshOverSshReachesJvirtd() throws Exception {
        String uri = sshUri(jvirtd.socket(), "&no_verify=1&command=" + sshd.sshWrapper);
        for (String cmd : List.of("list --all", "dominfo test", "net-list --all")) {
            List<String> args = List.of(cmd.split(" "));
            assertEquals(virsh("test:///default", args), virsh(uri, args), cmd);
        }
    }

    @Test
    void jvirtOverSshReachesJvirtd() {
        try (Connect c = new FrontEndImpl().open(sshUri(jvirtd.socket(), "&no_verify=1&known_hosts="
                + sshd.knownHosts), null, Set.of())) {
            assertEquals(1, c.listAllDomains().size());
            assertTrue(c.isEncrypted());
        }
    }

    @Test
    void jvirtOverSshReachesStockLibvirtd() throws Exception {
        try (StockLibvirtd libvirtd = StockLibvirtd.start(dir.resolve("libvirtd"))) {
            try (Connect c = new FrontEndImpl().open(sshUri(libvirtd.socket(), "&no_verify=1&known_hosts="
                    + sshd.knownHosts), null, Set.of())) {
                assertEquals("test", c.lookupByName("test").getName());
                c.lookupByName("test").suspend();
                c.lookupByName("test").resume();
            }
        }
    }

    @Test
    void sshFailuresSayWhatSshSaid() {
        String uri = "test+ssh://" + LoopbackSshd.user() + "@127.0.0.1:1/default?socket=/nonexistent&no_verify=1"
                + "&no_tty=1&keyfile=" + sshd.userKey;
        VirtException e = assertThrows(VirtException.class, () -> new FrontEndImpl().open(uri, null, Set.of()));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("Cannot recv data: ssh: connect to host 127.0.0.1 port 1: "
                + "Connection refused"), e.getMessage());
    }

    @Test
    void extRunsTheCommandGivenInTheUri() throws Exception {
        Path script = dir.resolve("to-jvirtd");
        Files.writeString(script, "#!/bin/sh\nexec nc -U " + jvirtd.socket() + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        String uri = "test+ext:///default?command=" + script;
        try (Connect c = new FrontEndImpl().open(uri, null, Set.of())) {
            assertEquals(1, c.listAllDomains().size());
            assertFalse(c.isSecure(), "an ext transport is not known to be secure");
        }
        assertEquals(virsh("test:///default", List.of("list", "--all")), virsh(uri, List.of("list", "--all")));
        VirtException none = assertThrows(VirtException.class,
                () -> new FrontEndImpl().open("test+ext:///default", null, Set.of()));
        assertEquals("invalid argument: remote_open: for 'ext' transport, command is required", none.getMessage());
    }

    private static String virsh(String uri, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/virsh", "-c", uri));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.replaceAll("(CPU time:\\s+)[0-9.]+s", "$1#s") + (err.isEmpty() ? "" : "\nstderr: " + err)
                + "\nrc " + p.exitValue();
    }
}
