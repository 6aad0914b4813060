package org.jvirt.remote.internal.interop;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's sshd on 127.0.0.1 with a host key and a user key made by the test, for the current user only;
 * it never touches the machine's ssh configuration. {@link #sshWrapper} is an ssh that keeps its known hosts in
 * the test's folder, for clients (virsh) that cannot be told where.
 */
final class LoopbackSshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    final Path dir;
    final int port;
    final Path userKey;
    final Path knownHosts;
    final Path sshWrapper;
    private final Process process;

    private LoopbackSshd(Path dir, int port, Path userKey, Process process) throws IOException {
        this.dir = dir;
        this.port = port;
        this.userKey = userKey;
        this.process = process;
        this.knownHosts = dir.resolve("known_hosts");
        this.sshWrapper = dir.resolve("ssh");
        Files.writeString(sshWrapper, "#!/bin/sh\nexec /usr/bin/ssh -o UserKnownHostsFile=" + knownHosts
                + " -o StrictHostKeyChecking=no -o LogLevel=ERROR \"$@\"\n");
        Files.setPosixFilePermissions(sshWrapper, PosixFilePermissions.fromString("rwx------"));
    }

    static void require() {
        boolean present = Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh"))
                && Files.isExecutable(Path.of("/usr/bin/nc"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("sshd, ssh or nc is missing (openssh-server, openssh-client, netcat-openbsd), "
                    + "and CI=true requires them");
        }
        Assumptions.assumeTrue(present, "sshd is not installed");
    }

    static LoopbackSshd start(Path dir) throws Exception {
        require();
        Files.createDirectories(dir);
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("user_key").toString());
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, "Port " + port + "\nListenAddress 127.0.0.1\nHostKey " + dir.resolve("host_key")
                + "\nAuthorizedKeysFile " + dir.resolve("authorized_keys") + "\nPidFile " + dir.resolve("sshd.pid")
                + "\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                + "UsePAM no\nStrictModes no\nPrintMotd no\n", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(20);
            }
        }
        return new LoopbackSshd(dir, port, dir.resolve("user_key"), p);
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** The current user's name, for user@host. */
    static String user() {
        return System.getProperty("user.name");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
