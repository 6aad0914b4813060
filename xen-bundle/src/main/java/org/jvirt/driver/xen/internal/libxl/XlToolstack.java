package org.jvirt.driver.xen.internal.libxl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libxl through Xen's own toolstack: runs {@code xl} (by default {@code /usr/lib/xen-4.17/bin/xl}, the
 * binary behind Debian's /usr/sbin wrapper) with a configurable environment. A failing command is
 * reported with xl's and libxl's own messages, unchanged; so is a command that prints a libxl error line
 * and still exits 0 (as {@code xl pause} does).
 */
public final class XlToolstack {
    public static final Path DEFAULT_XL = Path.of("/usr/lib/xen-4.17/bin/xl");
    private static final long TIMEOUT_SECONDS = 120;
    /** How libxl's logger starts an error line on xl's standard error. */
    public static final String LIBXL_ERROR = "libxl: error:";

    private final Path xl;
    private final Map<String, String> env;

    public XlToolstack(Path xl, Map<String, String> env) {
        this.xl = xl;
        this.env = Map.copyOf(env);
    }

    /** Runs {@code xl ARGS}; returns its standard output; a non-zero exit throws with xl's messages. */
    public String run(String what, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(xl.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[][] err = new byte[1][];
            Thread t = new Thread(() -> {
                try {
                    err[0] = p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    err[0] = new byte[0];
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.LIBXL,
                        what + ": xl " + args[0] + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            t.join();
            String msg = new String(err[0], StandardCharsets.UTF_8).strip();
            // some xl commands (pause, unpause) print libxl's error and still exit 0: an error is an error
            if (p.exitValue() != 0 || msg.contains(LIBXL_ERROR)) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL,
                        what + ": " + (msg.isEmpty() ? "xl " + args[0] + " exited with " + p.exitValue() : msg));
            }
            return out;
        } catch (IOException e) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.LIBXL,
                    "cannot run the Xen toolstack " + xl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.LIBXL, what + " interrupted");
        }
    }

    /** The domains the hypervisor runs, Domain-0 first: {@code xl list -v}. */
    public List<XlDomain> list() {
        return XlDomain.parseList(run("cannot list the Xen domains", "list", "-v"));
    }

    /** {@code xl info}: its {@code key : value} lines. */
    public Map<String, String> info() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : run("cannot get the Xen host's information", "info").split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return m;
    }
}
