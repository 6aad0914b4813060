package org.jvirt.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The terminal of jvirsh's own standard input, set with stty(1) (which acts on its inherited standard
 * input, as virsh's termios calls act on STDIN_FILENO). Input is polled, so that no thread stays blocked
 * in a terminal read once the console has ended.
 */
final class SttyTerminal implements ConsoleTerminal {
    /** cfmakeraw's changes, as stty words. */
    private static final List<String> RAW = List.of("-ignbrk", "-brkint", "-parmrk", "-istrip", "-inlcr", "-igncr",
            "-icrnl", "-ixon", "-opost", "-echo", "-echonl", "-icanon", "-isig", "-iexten", "-parenb", "cs8",
            "min", "1", "time", "0");
    private static final long POLL_MS = 10;

    private final InputStream in;
    private final PrintStream out;
    private final String saved;
    private Thread restoreOnExit;

    private SttyTerminal(InputStream in, PrintStream out, String saved) {
        this.in = in;
        this.out = out;
        this.saved = saved;
    }

    /** The terminal of standard input, or null when standard input is no terminal. */
    static SttyTerminal ofStdin(InputStream in, PrintStream out) {
        try {
            String settings = stty(List.of("-g")).strip();
            return settings.isEmpty() ? null : new SttyTerminal(in, out, settings);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void makeRaw() throws IOException {
        stty(RAW);
        // a signal that ends the JVM (SIGTERM, SIGHUP) still puts the terminal back
        Thread hook = new Thread(this::sttyRestore, "jvirsh-console-restore");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            restoreOnExit = hook;
        } catch (IllegalStateException shuttingDown) {
            // exiting anyway
        }
    }

    @Override
    public void restore() {
        sttyRestore();
        Thread hook = restoreOnExit;
        restoreOnExit = null;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private void sttyRestore() {
        try {
            stty(List.of(saved));
        } catch (IOException e) {
            // nothing better to do: the terminal stays as it is
        }
    }

    @Override
    public int read(byte[] buf, long millis) throws IOException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            int avail = in.available();
            if (avail > 0) {
                return in.read(buf, 0, Math.min(avail, buf.length));
            }
            if (System.nanoTime() >= end) {
                return 0;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the terminal");
            }
        }
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        out.write(data, offset, length);
        out.flush();
    }

    /** Runs stty on jvirsh's standard input; returns what it printed, or fails with what it said. */
    private static String stty(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("stty");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectInput(Redirect.INHERIT).start();
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("stty did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running stty");
        }
        if (p.exitValue() != 0) {
            throw new IOException(err.strip());
        }
        return said;
    }
}
