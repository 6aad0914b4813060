package org.example.driver.exe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's /proc tells about a process: state, CPU time, start time, resident memory. */
final class ProcFs {

    /** One reading of /proc/PID/stat. */
    record Stat(char state, long utimeTicks, long stimeTicks, long startTicks) {
        boolean stopped() {
            return state == 'T' || state == 't';
        }

        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    private static volatile long clockTicks;

    private ProcFs() {
    }

    /** /proc/PID/stat, or null when the process is gone. */
    static Stat stat(long pid) {
        String s;
        try {
            s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        // the command name is in parentheses and may hold spaces; fields are counted after it
        int close = s.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = s.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14, stime 15, starttime 22
        return new Stat(f[0].charAt(0), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[19]));
    }

    /** CPU time used, in nanoseconds. */
    static long cpuTimeNs(Stat st) {
        return (st.utimeTicks() + st.stimeTicks()) * (1_000_000_000L / clockTicks());
    }

    /** VmRSS from /proc/PID/status, in KiB, or 0. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or a kernel thread without VmRSS
        }
        return 0;
    }

    /** The kernel's USER_HZ (getconf CLK_TCK), 100 on every common Linux. */
    static long clockTicks() {
        long t = clockTicks;
        if (t == 0) {
            t = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor() == 0) {
                    t = Long.parseLong(out);
                }
            } catch (IOException | RuntimeException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clockTicks = t;
        }
        return t;
    }

    /** Sends a signal with kill(1): Java has no API for SIGSTOP and SIGCONT. */
    static void signal(long pid, String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw ExeErrors.system("kill -s " + signal + " " + pid + " failed: " + out, null);
            }
        } catch (IOException e) {
            throw ExeErrors.system("cannot run kill(1) to send SIG" + signal + " to " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ExeErrors.system("interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }
}
