package org.jvirt.remote.internal.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's libvirtd, started by a test with a private configuration: its sockets in a temporary directory,
 * no tcp or tls, in network and mount namespaces of its own (see {@link #isolated}).
 */
public final class StockLibvirtd implements AutoCloseable {
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
        Process p = new ProcessBuilder(isolated(LIBVIRTD + " -f " + conf + " --pid-file " + dir.resolve("libvirtd.pid")))
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

    /** libvirt's own state, log, cache and config directories, which a private libvirtd must not share. */
    private static final List<String> PRIVATE_DIRS =
            List.of("/run/libvirt", "/var/lib/libvirt", "/var/log/libvirt", "/var/cache/libvirt", "/etc/libvirt");

    /**
     * The command that runs {@code libvirtdCommandLine} in network and mount namespaces of its own: only
     * loopback, and empty tmpfs mounts over libvirt's system directories, so that it neither sees nor
     * disturbs the machine's libvirtd (its pid files, its network driver) nor the machine's network.
     */
    public static List<String> isolated(String libvirtdCommandLine) {
        StringBuilder script = new StringBuilder("set -e\n");
        for (String d : PRIVATE_DIRS) {
            script.append("if [ -d ").append(d).append(" ]; then mount -t tmpfs jvirt-test ").append(d).append("; fi\n");
        }
        script.append("ip link set lo up\nexec ").append(libvirtdCommandLine).append('\n');
        List<String> cmd = new java.util.ArrayList<>(List.of("unshare", "-m", "-n"));
        if (!"root".equals(System.getProperty("user.name"))) {
            cmd.add("-r"); // a user namespace lets an ordinary user mount the private directories
        }
        cmd.addAll(List.of("/bin/sh", "-c", script.toString()));
        return cmd;
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
