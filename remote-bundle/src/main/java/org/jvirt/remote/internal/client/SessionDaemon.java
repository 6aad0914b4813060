package org.jvirt.remote.internal.client;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * Starts the per-user session daemon on first use, as libvirt's client does for {@code qemu:///session}:
 * {@code jvirtd --timeout 120} with its socket in the session directory. Concurrent clients start one
 * daemon between them (a lock file), and a client never waits more than {@link #START_TIMEOUT_S} seconds.
 */
final class SessionDaemon {
    /** The jvirtd command: system property, then environment (set by the jvirsh launchers). */
    static final String COMMAND_PROPERTY = "jvirt.daemon.command";
    static final String COMMAND_ENV = "JVIRT_JVIRTD";
    /** libvirt's autostarted session daemon exits after 120 s without clients. */
    static final int IDLE_TIMEOUT_S = 120;
    static final int START_TIMEOUT_S = 60;

    private SessionDaemon() {
    }

    /** Makes sure a daemon answers on {@code socket}, starting one when none does. */
    static void ensureRunning(Path socket) {
        if (accepting(socket)) {
            return;
        }
        String command = System.getProperty(COMMAND_PROPERTY, System.getenv(COMMAND_ENV));
        if (command == null || command.isEmpty()) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Failed to connect socket to '"
                    + socket + "': No such file or directory (no session daemon runs, and none can be started: "
                    + "set " + COMMAND_ENV + " to jvirtd)");
        }
        Path dir = socket.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve("jvirtd-start.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockWithin(lockFile, START_TIMEOUT_S)) {
                if (!accepting(socket)) {
                    start(command, socket, dir);
                }
            }
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "cannot start the session daemon in " + dir + ": " + e.getMessage());
        }
    }

    private static FileLock lockWithin(FileChannel ch, int seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            FileLock l = ch.tryLock();
            if (l != null) {
                return l;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("another client is still starting the session daemon");
            }
            sleep(50);
        }
    }

    private static void start(String command, Path socket, Path dir) throws IOException {
        Path conf = dir.resolve("jvirtd-session.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + dir + "\"\n", StandardCharsets.UTF_8);
        Path state = sessionStateDir();
        Path log = dir.resolve("jvirtd.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(command, "--timeout", String.valueOf(IDLE_TIMEOUT_S),
                "-f", conf.toString(), "--pid-file", dir.resolve("jvirtd.pid").toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("JVIRTD_CDS", "0");
        env.put("JVIRTD_JAVA_OPTS", (env.getOrDefault("JVIRTD_JAVA_OPTS", "") + " -Dorg.osgi.framework.storage="
                + state.resolve("cache") + " -Djvirt.state.dir=" + state.resolve("var")).trim());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (!accepting(socket)) {
            if (!p.isAlive()) {
                throw new IOException("jvirtd exited with status " + p.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                p.destroy();
                throw new IOException("jvirtd did not listen on " + socket + " within " + START_TIMEOUT_S + " s; see " + log);
            }
            sleep(50);
        }
    }

    /** Where the session daemon keeps its bundle cache and driver state: $XDG_CACHE_HOME/jvirt/session. */
    private static Path sessionStateDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jvirt/session");
    }

    static boolean accepting(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "interrupted while starting the session daemon");
        }
    }
}
