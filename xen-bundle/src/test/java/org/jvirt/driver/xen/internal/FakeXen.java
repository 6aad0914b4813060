package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A faked Xen host for tests: the real C xenstored of Debian's xen-utils-4.17 on a private socket, and
 * the real {@code xl} toolstack, both run under LD_PRELOAD shims built here with gcc from
 * {@code src/test/c} (they stand in for /dev/xen, /proc/xen and a few hypercalls; no guest can run).
 * {@code libfakeproc.so} is for libvirt's own libxl driver (see {@link LibvirtLibxlDaemon}).
 * Skips when a prerequisite is missing, and fails instead under CI=true.
 */
public final class FakeXen implements AutoCloseable {
    public static final Path XEN_BIN = Path.of("/usr/lib/xen-4.17/bin");
    public static final Path XL = XEN_BIN.resolve("xl");
    public static final Path XENSTORED = XEN_BIN.resolve("xenstored");
    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private final Path dir;
    private final Process xenstored;

    private FakeXen(Path dir, Process xenstored) {
        this.dir = dir;
        this.xenstored = xenstored;
    }

    /** Skips, or under CI=true fails, when the Xen packages or gcc are missing. */
    public static void requirePackages() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(XL) || !Files.isExecutable(XENSTORED)) {
            missing.add("xen-utils-4.17 (" + XL + ", " + XENSTORED + ")");
        }
        if (!Files.exists(Path.of("/usr/include/xenctrl.h"))) {
            missing.add("libxen-dev (/usr/include/xenctrl.h)");
        }
        if (!onPath("gcc")) {
            missing.add("gcc");
        }
        if (!missing.isEmpty()) {
            String what = "the faked Xen host needs " + String.join(", ", missing);
            if (CI) {
                fail("CI=true but " + what + " is missing (see run-tests' packages)");
            }
            Assumptions.assumeTrue(false, what);
        }
    }

    private static boolean onPath(String prog) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, prog))) {
                return true;
            }
        }
        return false;
    }

    /** Builds the shims into dir and starts xenstored there. */
    public static FakeXen start(Path dir) throws IOException, InterruptedException {
        requirePackages();
        Path src = Path.of("src/test/c").toAbsolutePath();
        for (String shim : List.of("fakexen", "fakedev", "fakehcall", "fakeproc")) {
            run(List.of("gcc", "-shared", "-fPIC", "-O2", "-o", dir.resolve("lib" + shim + ".so").toString(),
                    src.resolve(shim + ".c").toString(), "-ldl"), Map.of());
        }
        Path fake = Files.createDirectories(dir.resolve("fake"));
        Files.writeString(fake.resolve("xsd_port"), "1\n");
        Files.write(fake.resolve("xsd_kva"), new byte[4096]);
        Files.writeString(fake.resolve("proc_capabilities"), "control_d\n");
        for (String f : List.of("privcmd", "evtchn", "gntdev", "xenbus", "xenbus_backend")) {
            Files.write(fake.resolve("dev_" + f), new byte[0]);
        }
        Path run = Files.createDirectories(dir.resolve("run"));
        ProcessBuilder pb = new ProcessBuilder(XENSTORED.toString(), "-N", "-T", dir.resolve("xenstored.trace")
                .toString());
        pb.environment().put("XENSTORED_RUNDIR", run.toString());
        pb.environment().put("FAKEXEN_DIR", fake.toString());
        pb.environment().put("LD_PRELOAD", dir.resolve("libfakexen.so").toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("xenstored.log").toFile());
        Process p = pb.start();
        FakeXen x = new FakeXen(dir, p);
        for (int i = 0; i < 100 && !Files.exists(x.socket()); i++) {
            if (!p.isAlive()) {
                throw new IOException("xenstored exited: " + Files.readString(dir.resolve("xenstored.log")));
            }
            Thread.sleep(50);
        }
        if (!Files.exists(x.socket())) {
            x.close();
            throw new IOException("xenstored made no socket in " + run);
        }
        x.initDom0();
        return x;
    }

    /**
     * What xencommons does at boot: Xen's own {@code xen-init-dom0} writes Domain-0's name and id to
     * xenstore (and libxl's stub config for it under /var/lib/xen, which here is a private tmpfs of a mount
     * namespace, so the machine's own /var/lib/xen is not touched).
     */
    private void initDom0() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m"));
        if (!"root".equals(System.getProperty("user.name"))) {
            cmd.add("-r");
        }
        cmd.addAll(List.of("/bin/sh", "-c", "mount -t tmpfs jvirt-test /var/lib/xen && exec "
                + XEN_BIN.resolve("xen-init-dom0")));
        run(cmd, toolEnv());
    }

    /**
     * Makes the faked hypervisor run these domains: {@code $FAKEXEN_DIR/domains}, one a line, in domid order
     * (see fakehcall.c): {@code DOMID STATE TOT_PAGES MAX_PAGES ONLINE_VCPUS MAX_VCPU_ID CPU_TIME_NS UUID [hvm]}.
     */
    public void hypervisorDomains(String... lines) throws IOException {
        Files.writeString(dir.resolve("fake/domains"), String.join("\n", lines) + "\n");
    }

    /**
     * What libxl writes to xenstore for a domain it builds (libxl__domain_make and the build step): its
     * directory under /local/domain with name, domid, vm, memory and vCPU availability, /vm/UUID, and
     * /libxl/ID/type. The C {@code xenstore-write} writes them, not jvirt's client.
     */
    public void xenstoreGuest(int domid, String name, String uuid, long maxKiB, long targetKiB, int vcpus,
            int online, String type) throws IOException, InterruptedException {
        String base = "/local/domain/" + domid;
        List<String> kv = new ArrayList<>(List.of(base + "/name", name, base + "/domid", Integer.toString(domid),
                base + "/vm", "/vm/" + uuid, base + "/memory/static-max", Long.toString(maxKiB),
                base + "/memory/target", Long.toString(targetKiB), "/vm/" + uuid + "/uuid", uuid,
                "/vm/" + uuid + "/name", name, "/libxl/" + domid + "/type", type));
        for (int i = 0; i < vcpus; i++) {
            kv.add(base + "/cpu/" + i + "/availability");
            kv.add(i < online ? "online" : "offline");
        }
        xenstore("xenstore-write", kv.toArray(String[]::new));
    }

    /** Runs one of xenstore-utils' commands against this xenstored; returns its output. */
    public String xenstore(String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of("XENSTORED_PATH", socket().toString()));
    }

    /** xenstored's socket. */
    public Path socket() {
        return dir.resolve("run/socket");
    }

    /** The environment {@code xl} runs in on this faked host. */
    public Map<String, String> toolEnv() {
        return Map.of("LD_PRELOAD", dir.resolve("libfakedev.so") + " " + dir.resolve("libfakehcall.so"),
                "FAKEXEN_DIR", dir.resolve("fake").toString(),
                "XENSTORED_PATH", socket().toString());
    }

    public Path dir() {
        return dir;
    }

    /** Runs a command to its end; returns its output, fails on a non-zero exit. */
    public static String run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        xenstored.destroy();
        try {
            xenstored.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
