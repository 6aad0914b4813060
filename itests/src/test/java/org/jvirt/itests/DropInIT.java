package org.jvirt.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * jvirtd as a drop-in for libvirtd: with libvirtd's socket directory (/var/run/libvirt, jvirtd's default for
 * root), plain {@code virsh -c qemu:///system} talks to jvirtd. The QEMU driver's system roots are moved
 * into the test's folder (system.prefix), so only the socket is at libvirt's place, and only for the test.
 */
class DropInIT {
    private static final Path SOCKET = Path.of("/var/run/libvirt/libvirt-sock");

    @Test
    void plainVirshOnQemuSystemReachesJvirtd() throws Exception {
        Path dist = Paths.get(System.getProperty("itest.distribution.dir", "missing"));
        boolean ci = "true".equals(System.getenv("CI"));
        boolean ready = Files.isRegularFile(dist.resolve("bin/jvirtd")) && Files.isExecutable(Path.of("/usr/bin/virsh"));
        if (ci) {
            assertTrue(ready, "the distribution and virsh are needed");
        }
        assumeTrue(ready, "the distribution or virsh is missing");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (ci) {
            assertTrue(root, "CI runs as root, which libvirt's system socket directory needs");
        }
        assumeTrue(root, "libvirt's system socket directory needs root");
        assumeTrue(!live(SOCKET), "a daemon (libvirtd?) already serves " + SOCKET + ": jvirtd never takes it over");
        Path home = ItestConfig.workDir("dropin").resolve("jvirt");
        Process cp = new ProcessBuilder("cp", "-a", dist.toString(), home.toString()).start();
        assertTrue(cp.waitFor(60, TimeUnit.SECONDS));
        new ProcessBuilder("sh", "-c", "rm -rf deploy/*.jar var data").directory(home.toFile()).start().waitFor();
        Files.writeString(home.resolve("etc/org.jvirt.remote.server.cfg"), "# libvirtd's default directory\n");
        Files.writeString(home.resolve("etc/org.jvirt.driver.qemu.cfg"), "system.prefix = " + home.resolve("qemu-root") + "\n");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/jvirtd").toString()).redirectErrorStream(true)
                .redirectOutput(home.resolve("jvirtd.log").toFile());
        pb.environment().put("JVIRTD_CDS", "0");
        Process jvirtd = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!live(SOCKET) && jvirtd.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(live(SOCKET), "jvirtd did not listen on " + SOCKET + ": " + Files.readString(home.resolve("jvirtd.log")));
            assertEquals("qemu:///system\n\n", virsh("uri"));
            assertEquals(" Id   Name   State\n--------------------\n\n", virsh("list", "--all"));
            assertTrue(Files.isDirectory(home.resolve("qemu-root/etc/jvirt/qemu")), "the system roots are the test's");
        } finally {
            jvirtd.destroy();
            assertTrue(jvirtd.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(SOCKET), "jvirtd removes its socket when it stops");
    }

    private static String virsh(String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "/usr/bin/virsh";
        cmd[1] = "-c";
        cmd[2] = "qemu:///system";
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    private static boolean live(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
