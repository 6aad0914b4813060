package org.jvirt.remote.internal.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's libvirtd, started by a test with a private configuration: its sockets in a temporary directory,
 * no tcp or tls, in a network namespace of its own, so that nothing it does reaches the host's network, and
 * a mount namespace of its own (a private /run/libvirt), so that it starts beside another libvirtd.
 */
final class StockLibvirtd implements AutoCloseable {
    static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");

    private final Path dir;
    private final Process process;

    private StockLibvirtd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Skips (fails under CI=true) when libvirtd is not installed. */
    static void require() {
        boolean present = Files.isExecutable(LIBVIRTD) && Files.isExecutable(Path.of("/usr/bin/unshare"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("libvirtd is not installed (libvirt-daemon), and CI=true requires it");
        }
        Assumptions.assumeTrue(present, "libvirtd is not installed");
    }

    static StockLibvirtd start(Path dir) throws IOException, InterruptedException {
        require();
        Path run = Files.createDirectories(dir.resolve("run"));
        Path conf = dir.resolve("libvirtd.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + run + "\"\nlisten_tls = 0\nlisten_tcp = 0\n"
                + "auth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n", StandardCharsets.UTF_8);
        // its own mount namespace too, with a private /run/libvirt: another libvirtd on the machine holds the
        // pid files of its drivers there, and this one would not start
        String command = "mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt && exec " + LIBVIRTD
                + " -f '" + conf + "' --pid-file '" + dir.resolve("libvirtd.pid") + "'";
        Process p = new ProcessBuilder("unshare", "-n", "-m", "--propagation", "private", "sh", "-c", command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(run.resolve("libvirt-sock"))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("libvirtd did not start: " + Files.readString(dir.resolve("libvirtd.log")));
            }
            Thread.sleep(20);
        }
        return new StockLibvirtd(dir, p);
    }

    Path socket() {
        return dir.resolve("run/libvirt-sock");
    }

    Path readOnlySocket() {
        return dir.resolve("run/libvirt-sock-ro");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
