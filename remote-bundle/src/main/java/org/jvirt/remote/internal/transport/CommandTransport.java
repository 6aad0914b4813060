package org.jvirt.remote.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * The transports that run a program whose standard input and output carry the protocol: libvirt's
 * {@code ssh} (the ssh binary running netcat, or virt-ssh-helper, on the far side) and {@code ext} (any
 * program, the {@code command} param). The program's standard error is kept for error messages.
 */
public final class CommandTransport {
    private CommandTransport() {
    }

    /** What an ssh URI asks for (libvirt's params: command, netcat, socket, keyfile, known_hosts, no_verify, no_tty). */
    public record Ssh(String host, int port, String user, String binary, String keyfile, String knownHosts,
            boolean noVerify, boolean noTty, String netcat, String socket, String driverUri, boolean readOnly) {
    }

    /** libvirt's ssh command line: {@code ssh [-p P] [-l U] [-i K] -T -e none [...] -- host 'sh -c ...'}. */
    public static List<String> sshArgv(Ssh s) {
        List<String> argv = new ArrayList<>();
        argv.add(s.binary() != null ? s.binary() : "ssh");
        if (s.port() > 0) {
            argv.add("-p");
            argv.add(String.valueOf(s.port()));
        }
        if (s.user() != null) {
            argv.add("-l");
            argv.add(s.user());
        }
        if (s.keyfile() != null) {
            argv.add("-i");
            argv.add(s.keyfile());
        }
        argv.add("-T");
        argv.add("-e");
        argv.add("none");
        if (s.noTty()) {
            argv.addAll(List.of("-o", "BatchMode=yes"));
        }
        if (s.noVerify()) {
            argv.addAll(List.of("-o", "StrictHostKeyChecking=no"));
        }
        if (s.knownHosts() != null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + s.knownHosts()));
        }
        argv.add("--");
        argv.add(s.host());
        argv.add(remoteCommand(s));
        return argv;
    }

    /** On the far side: netcat to the socket when one is named (or netcat is), else virt-ssh-helper if present. */
    static String remoteCommand(Ssh s) {
        String nc = quote(s.netcat() != null ? s.netcat() : "nc");
        String socket = s.socket() != null ? s.socket()
                : s.readOnly() ? "/var/run/libvirt/libvirt-sock-ro" : "/var/run/libvirt/libvirt-sock";
        String nccmd = "if " + nc + " -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;"
                + nc + " $ARG -U " + socket;
        if (s.socket() != null || s.netcat() != null) {
            return "sh -c '" + nccmd + "'";
        }
        String helper = "virt-ssh-helper" + (s.readOnly() ? " -r " : " ") + quote(s.driverUri());
        return "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then    " + helper + "; else    "
                + nccmd + "; fi'";
    }

    /** libvirt's double escaping for a word inside sh -c '...'. */
    private static String quote(String word) {
        return "'\\''" + word.replace("'", "'\\''") + "'\\''";
    }

    /** Runs a program and makes its standard input and output the connection. */
    public static ClientTransport start(List<String> argv, String kind) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Cannot run " + argv.get(0) + ": " + e.getMessage());
        }
        StringBuilder stderr = new StringBuilder();
        Thread t = new Thread(() -> collect(p.getErrorStream(), stderr), "jvirt-" + kind + "-stderr");
        t.setDaemon(true);
        t.start();
        return ClientTransport.of(p, kind, () -> {
            // asked after a failure: let the program finish saying why (bounded)
            try {
                if (p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                    t.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (stderr) {
                return stderr.toString().strip();
            }
        });
    }

    private static void collect(InputStream err, StringBuilder into) {
        byte[] buf = new byte[1024];
        try {
            for (int n; (n = err.read(buf)) >= 0;) {
                synchronized (into) {
                    if (into.length() < 8192) {
                        into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException ignored) {
            // the program ended
        }
    }
}
