package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * libvirt's own Xen driver for comparison: a private stock libvirtd on the faked Xen host, with only the
 * libxl module of Debian's libvirt-daemon-driver-xen in its driver directory (LIBVIRT_DRIVER_DIR), its
 * socket in the test's folder, no TCP/TLS listener and no authentication. It runs under
 * {@code unshare -m -n}: in its own mount namespace libvirt's state, log, cache and /etc/libvirt
 * directories are empty tmpfs mounts (so it neither sees nor disturbs another libvirtd of this machine, and
 * reads no libxl.conf), and in its own network namespace only a loopback exists. Stock {@code virsh} reaches it
 * with {@code xen:///system?socket=PATH}.
 */
final class LibvirtLibxlDaemon implements AutoCloseable {
    static final Path LIBXL_MODULE =
            Path.of("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so");
    private static final List<String> PRIVATE_DIRS =
            List.of("/run/libvirt", "/var/lib/libvirt", "/var/log/libvirt", "/var/cache/libvirt", "/etc/libvirt");

    private final Path dir;
    private final Process process;

    private LibvirtLibxlDaemon(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Skips, or under CI=true fails, when stock libvirt's pieces are missing. */
    static void requirePackages() {
        FakeXen.requirePackages();
        List<String> missing = new ArrayList<>();
        for (String prog : List.of("virsh", "libvirtd", "unshare", "ip")) {
            if (which(prog) == null) {
                missing.add(prog);
            }
        }
        if (!Files.exists(LIBXL_MODULE)) {
            missing.add("libvirt's libxl driver " + LIBXL_MODULE + " (libvirt-daemon-driver-xen)");
        }
        if (!missing.isEmpty()) {
            String what = "comparing with libvirt's Xen driver needs " + String.join(", ", missing);
            if (FakeXen.CI) {
                fail("CI=true but " + what + " (see run-tests' packages)");
            }
            Assumptions.assumeTrue(false, what);
        }
    }

    static Path which(String prog) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, prog);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String d : List.of("/usr/sbin", "/sbin")) {
            Path p = Path.of(d, prog);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Starts libvirtd on the faked host xen; its files go to dir. */
    static LibvirtLibxlDaemon start(FakeXen xen, Path dir) throws IOException, InterruptedException {
        requirePackages();
        Path drv = Files.createDirectories(dir.resolve("drv"));
        Files.copy(LIBXL_MODULE, drv.resolve(LIBXL_MODULE.getFileName()));
        Path run = Files.createDirectories(dir.resolve("run"));
        Path conf = dir.resolve("libvirtd.conf");
        Files.writeString(conf, "listen_tls = 0\nlisten_tcp = 0\nunix_sock_dir = \"" + run + "\"\n"
                + "unix_sock_rw_perms = \"0700\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n"
                + "log_outputs = \"3:stderr\"\n");
        StringBuilder script = new StringBuilder("set -e\n");
        for (String d : PRIVATE_DIRS) {
            script.append("if [ -d ").append(d).append(" ]; then mount -t tmpfs jvirt-test ").append(d).append("; fi\n");
        }
        script.append("ip link set lo up\nexec ").append(which("libvirtd")).append(" -f ").append(conf)
                .append(" -p ").append(dir.resolve("libvirtd.pid")).append('\n');
        List<String> cmd = new ArrayList<>(List.of(which("unshare").toString(), "-m", "-n"));
        if (!"root".equals(System.getProperty("user.name"))) {
            cmd.add("-r"); // a user namespace lets an ordinary user mount the private directories
        }
        cmd.addAll(List.of("/bin/sh", "-c", script.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LIBVIRT_DRIVER_DIR", drv.toString());
        Path x = xen.dir();
        pb.environment().put("LD_PRELOAD", x.resolve("libfakedev.so") + " " + x.resolve("libfakehcall.so") + " "
                + x.resolve("libfakeproc.so"));
        pb.environment().put("FAKEXEN_DIR", x.resolve("fake").toString());
        pb.environment().put("XENSTORED_PATH", xen.socket().toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile());
        LibvirtLibxlDaemon d = new LibvirtLibxlDaemon(dir, pb.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!d.process.isAlive()) {
                throw new IOException("libvirtd exited with " + d.process.exitValue() + ": " + d.log());
            }
            if (Files.exists(d.socket())) {
                try {
                    d.virsh("uri");
                    return d;
                } catch (IOException e) {
                    // the libxl driver is not up yet
                }
            }
            if (System.nanoTime() > deadline) {
                d.close();
                throw new IOException("libvirtd did not answer on " + d.socket() + ": " + d.log());
            }
            Thread.sleep(100);
        }
    }

    Path socket() {
        return dir.resolve("run/libvirt-sock");
    }

    String uri() {
        return "xen:///system?socket=" + socket();
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("libvirtd.log"));
    }

    /** Stock virsh against this daemon: its standard output; a failure throws with virsh's error. */
    String virsh(String... args) throws IOException, InterruptedException {
        Result r = virshResult(args);
        if (r.exit() != 0) {
            throw new IOException("virsh " + String.join(" ", args) + " failed: " + r.err());
        }
        return r.out();
    }

    record Result(int exit, String out, String err) {
    }

    Result virshResult(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", uri()));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "virsh", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("virsh " + String.join(" ", args) + " did not finish");
        }
        String e = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, e);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
