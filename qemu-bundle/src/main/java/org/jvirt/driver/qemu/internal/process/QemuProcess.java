package org.jvirt.driver.qemu.internal.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;

/**
 * One QEMU process: our direct child (so that its exit is seen at once), or one found again after a
 * driver restart (then its monitor's end of file tells us it exited).
 */
public final class QemuProcess {
    private final long pid;
    private final Process child;
    private final ProcessHandle handle;
    private final Path logFile;
    private final long logOffset;
    private volatile QemuMonitor monitor;

    private QemuProcess(long pid, Process child, ProcessHandle handle, Path logFile, long logOffset) {
        this.pid = pid;
        this.child = child;
        this.handle = handle;
        this.logFile = logFile;
        this.logOffset = logOffset;
    }

    /** Starts QEMU with stdin from /dev/null and stdout and stderr appended to the log file. */
    public static QemuProcess launch(List<String> argv, Path logFile, Path workDir) {
        try {
            Files.createDirectories(logFile.getParent());
            StringBuilder header = new StringBuilder(512);
            header.append(Instant.now()).append(": starting up\n");
            for (String a : argv) {
                header.append(shellQuote(a)).append(' ');
            }
            header.setLength(header.length() - 1);
            header.append('\n');
            Files.writeString(logFile, header, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            long offset = Files.size(logFile);
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            return new QemuProcess(p.pid(), p, p.toHandle(), logFile, offset);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "cannot execute " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** A process found again from a status file, or null when it no longer runs. */
    public static QemuProcess adopt(long pid, Path logFile) {
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h == null || !alive(pid, h)) {
            return null;
        }
        long off = 0;
        try {
            off = Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException ignored) {
            // the log only feeds error messages
        }
        return new QemuProcess(pid, null, h, logFile, off);
    }

    public long pid() {
        return pid;
    }

    public boolean isChild() {
        return child != null;
    }

    public QemuMonitor monitor() {
        return monitor;
    }

    public void setMonitor(QemuMonitor m) {
        this.monitor = m;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return child != null ? child.isAlive() : alive(pid, handle);
    }

    /** Alive and not a zombie waiting for a slow reaper. */
    private static boolean alive(long pid, ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** Completes when the process exits (at once for a child; for an adopted one by polling). */
    public CompletableFuture<?> onExit() {
        return child != null ? child.onExit() : handle.onExit();
    }

    /** Waits for exit, up to a time; returns whether it exited. */
    public boolean waitFor(long millis) {
        if (child != null) {
            try {
                return child.waitFor(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !child.isAlive();
            }
        }
        long end = System.nanoTime() + millis * 1_000_000L;
        long sleep = 1;
        while (alive(pid, handle)) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive(pid, handle);
            }
            sleep = Math.min(sleep * 2, 20);
        }
        return true;
    }

    /** SIGTERM, then SIGKILL after the grace time; returns once it is gone. */
    public void terminate(long graceMillis) {
        if (!isAlive()) {
            return;
        }
        handle.destroy();
        if (!waitFor(graceMillis)) {
            kill();
        }
    }

    /** SIGTERM only (libvirt's graceful destroy); returns whether it is gone within the grace time. */
    public boolean terminateGracefully(long graceMillis) {
        if (!isAlive()) {
            return true;
        }
        handle.destroy();
        return waitFor(graceMillis);
    }

    /** SIGKILL and wait. */
    public void kill() {
        handle.destroyForcibly();
        waitFor(10_000);
    }

    /** What QEMU wrote to its log since this start, for error messages. */
    public String logSinceStart() {
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(logOffset, len - 8192);
            if (from >= len) {
                return "";
            }
            byte[] b = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(b);
            List<String> keep = new ArrayList<>();
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                // drop -msg timestamp=on prefixes: "2024-01-01T00:00:00.000000Z qemu-system-x86_64: ..."
                if (l.length() > 28 && l.charAt(4) == '-' && l.charAt(10) == 'T' && l.indexOf(' ') > 0) {
                    l = l.substring(l.indexOf(' ') + 1);
                }
                if (!l.isEmpty() && !l.startsWith("char device redirected")) {
                    keep.add(l);
                }
            }
            return String.join("\n", keep);
        } catch (IOException e) {
            return "";
        }
    }

    public static String shellQuote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_=./,:@+%".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
