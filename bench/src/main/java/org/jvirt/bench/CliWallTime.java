package org.jvirt.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole-process wall time of {@code jvirsh -c test:///default list --all} vs {@code virsh -c test:///default list --all}:
 * start to exit, output discarded. Target: jvirsh median at most 120 ms.
 *
 * <p>Usage: {@code java -cp bench.jar org.jvirt.bench.CliWallTime [runs] [projectRoot]}
 * (defaults 20 and the current directory). Each command first runs once to show its output
 * (this run may build jvirsh and write its class-data-sharing archive), then twice more
 * unmeasured (page cache); then the two commands alternate so that drift in machine load hits
 * both alike. Commands can be replaced with the system
 * properties {@code jvirsh.cmd} and {@code virsh.cmd} (space-separated).
 */
public final class CliWallTime {

    private static final int WARMUP = 2;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        File root = new File(args.length > 1 ? args[1] : ".").getCanonicalFile();
        List<String> jvirsh = command("jvirsh.cmd", new File(root, "jvirsh").getPath() + " -c test:///default list --all");
        List<String> virsh = command("virsh.cmd", "virsh -c test:///default list --all");

        System.out.println("jvirsh: " + String.join(" ", jvirsh));
        System.out.println(firstOutput(jvirsh, root));
        System.out.println("virsh:  " + String.join(" ", virsh));
        System.out.println(firstOutput(virsh, root));

        for (int i = 0; i < WARMUP; i++) {
            time(jvirsh, root);
            time(virsh, root);
        }
        long[] j = new long[runs];
        long[] v = new long[runs];
        for (int i = 0; i < runs; i++) {
            j[i] = time(jvirsh, root);
            v[i] = time(virsh, root);
        }
        report("jvirsh list --all", j);
        report("virsh list --all ", v);
    }

    private static List<String> command(String property, String dflt) {
        return Arrays.asList(System.getProperty(property, dflt).trim().split("\\s+"));
    }

    private static String firstOutput(List<String> cmd, File root) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(root).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(cmd + " exited " + rc + ":\n" + out);
        }
        return out.stripTrailing();
    }

    private static long time(List<String> cmd, File root) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long t0 = System.nanoTime();
        Process p = pb.start();
        int rc = p.waitFor();
        long t = System.nanoTime() - t0;
        if (rc != 0) {
            throw new IllegalStateException(cmd + " exited " + rc);
        }
        return t;
    }

    private static void report(String label, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "median %7.1f ms", median / 1e6));
        parts.add(String.format(Locale.ROOT, "min %7.1f ms", s[0] / 1e6));
        parts.add(String.format(Locale.ROOT, "max %7.1f ms", s[s.length - 1] / 1e6));
        parts.add("n=" + s.length);
        System.out.println(label + "  " + String.join("  ", parts));
    }
}
