package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * The cgroup {@code cpu} controller of one running domain.
 *
 * <p>Layout, under the hierarchy that has the cpu controller (cgroup v1 {@code /sys/fs/cgroup/cpu} or
 * {@code cpu,cpuacct}; cgroup v2 wherever {@code cgroup.controllers} lists {@code cpu}):
 * {@code <mount>/jvirt/<root id>/qemu-<name>/}, where the root id is 8 hex digits of a hash of the driver
 * root (so two driver roots, e.g. embed roots of tests, never share a directory), with sub-cgroups
 * {@code emulator} (every QEMU thread but the vCPUs) and {@code vcpuN} (vCPU N's thread). On cgroup v2
 * the sub-cgroups are threaded. qemu.conf {@code cgroup_root} names the hierarchy to use ({@code none}
 * turns cgroups off); {@code cgroup_controllers}, if set, must list {@code cpu}.
 */
final class QemuCgroup {
    /** libvirt's limits (vircgroup.h). */
    static final long SHARES_MIN = 2;
    static final long SHARES_MAX = 262144;
    static final long PERIOD_MIN = 1000;
    static final long PERIOD_MAX = 1000000;
    static final long QUOTA_MIN = 1000;
    static final long QUOTA_MAX = 17592186044415L;

    /** Where the cpu controller is on this host, or why it is not usable ({@code problem} non-null). */
    record Host(boolean v2, Path mount, String problem) {
        boolean usable() {
            return problem == null;
        }

        VirtException noSupport() {
            return new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.QEMU,
                    "CPU scheduler tuning is not available: " + problem);
        }
    }

    static Host detect(QemuConfig config) {
        String controllers = config.setting("cgroup_controllers", null);
        if (controllers != null && !List.of(controllers.replaceAll("[\\[\\]\"',]", " ").trim().split("\\s+"))
                .contains("cpu")) {
            return new Host(false, null, "qemu.conf cgroup_controllers does not list \"cpu\"");
        }
        String root = config.setting("cgroup_root", null);
        Host h;
        if (root != null) {
            if (root.isEmpty() || root.equals("none")) {
                return new Host(false, null, "cgroups are turned off in qemu.conf (cgroup_root = none)");
            }
            h = probe(Path.of(root));
            if (h == null) {
                return new Host(false, null, "qemu.conf cgroup_root " + root
                        + " is not a cgroup hierarchy with the cpu controller");
            }
        } else {
            h = fromMounts();
            if (h == null) {
                return new Host(false, null, "no cgroup hierarchy with the cpu controller is mounted");
            }
        }
        if (!Files.isWritable(h.mount())) {
            return new Host(h.v2(), h.mount(), "the cgroup cpu controller at " + h.mount()
                    + " is not writable by this process (it needs root)");
        }
        return h;
    }

    private static Host probe(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        if (Files.exists(dir.resolve("cpu.shares"))) {
            return new Host(false, dir, null);
        }
        try {
            Path c = dir.resolve("cgroup.controllers");
            if (Files.exists(c) && List.of(Files.readString(c).trim().split("\\s+")).contains("cpu")) {
                return new Host(true, dir, null);
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static Host fromMounts() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException e) {
            return null;
        }
        Host v2 = null;
        for (String l : lines) {
            String[] f = l.split(" ");
            if (f.length < 4) {
                continue;
            }
            Path mp = Path.of(f[1].replace("\\040", " "));
            if (f[2].equals("cgroup") && List.of(f[3].split(",")).contains("cpu")) {
                Host h = probe(mp);
                if (h != null) {
                    return h;
                }
            } else if (f[2].equals("cgroup2") && v2 == null) {
                Host h = probe(mp);
                if (h != null && h.v2()) {
                    v2 = h;
                }
            }
        }
        return v2;
    }

    // ---- one domain's cgroup ------------------------------------------------------------------------

    final Host host;
    final Path dir;

    private QemuCgroup(Host host, Path dir) {
        this.host = host;
        this.dir = dir;
    }

    /** The directory a domain's cgroup has under a driver root (whether or not it exists). */
    static QemuCgroup of(Host host, QemuConfig config, String domainName) {
        String id = String.format("%08x", config.key().hashCode());
        String name = "qemu-" + domainName.replaceAll("[^A-Za-z0-9_.-]", "_");
        return new QemuCgroup(host, host.mount().resolve("jvirt").resolve(id).resolve(name));
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    /** Creates the cgroup and its emulator group and moves the whole QEMU process there. */
    void create(long pid) {
        if (exists()) {
            remove();
        }
        mkdirs(dir);
        if (host.v2()) {
            // cpu on along the path; the sub-groups are threaded, so dir becomes a threaded domain
            Path p = host.mount();
            for (Path part : host.mount().relativize(dir)) {
                enableCpu(p);
                p = p.resolve(part);
            }
            sub("emulator");
            enableCpu(dir);
            write(dir.resolve("cgroup.procs"), Long.toString(pid));
        }
        Path emu = sub("emulator");
        write(emu.resolve(host.v2() ? "cgroup.procs" : "tasks"), Long.toString(pid));
    }

    private void enableCpu(Path p) {
        try {
            String on = Files.readString(p.resolve("cgroup.subtree_control"));
            if (!List.of(on.trim().split("\\s+")).contains("cpu")) {
                write(p.resolve("cgroup.subtree_control"), "+cpu");
            }
        } catch (IOException e) {
            throw io("read", p.resolve("cgroup.subtree_control"), e);
        }
    }

    /** A sub-cgroup (emulator, vcpuN), created if missing. */
    private Path sub(String name) {
        Path p = dir.resolve(name);
        if (!Files.isDirectory(p)) {
            mkdirs(p);
            if (host.v2()) {
                write(p.resolve("cgroup.type"), "threaded");
            }
        }
        return p;
    }

    /** Moves each vCPU thread ({index, tid}) into vcpuN; new vcpuN groups get vcpu0's bandwidth. */
    void placeVcpus(List<long[]> vcpus) {
        for (long[] v : vcpus) {
            String name = "vcpu" + v[0];
            boolean fresh = !Files.isDirectory(dir.resolve(name));
            Path p = sub(name);
            if (fresh && v[0] != 0 && Files.isDirectory(dir.resolve("vcpu0"))) {
                setPeriod("vcpu" + v[0], period("vcpu0"));
                setQuota("vcpu" + v[0], quota("vcpu0"));
            }
            if (v[1] > 0 && !contains(p, v[1])) {
                write(p.resolve(host.v2() ? "cgroup.threads" : "tasks"), Long.toString(v[1]));
            }
        }
    }

    private boolean contains(Path group, long tid) {
        try {
            for (String l : Files.readAllLines(group.resolve(host.v2() ? "cgroup.threads" : "tasks"))) {
                if (l.trim().equals(Long.toString(tid))) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The vcpuN sub-groups, by name. */
    List<String> vcpuGroups() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "vcpu*")) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    out.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw io("list", dir, e);
        }
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(4)), Integer.parseInt(b.substring(4))));
        return out;
    }

    // ---- values (group null: the domain's own cgroup) ----------------------------------------------------

    private Path group(String group) {
        return group == null ? dir : dir.resolve(group);
    }

    long shares() {
        return Long.parseLong(read(dir.resolve(host.v2() ? "cpu.weight" : "cpu.shares")));
    }

    /** On cgroup v2 the value goes to cpu.weight unconverted, as libvirt 9.0 does (the kernel allows 1..10000). */
    void setShares(long shares) {
        write(dir.resolve(host.v2() ? "cpu.weight" : "cpu.shares"), Long.toString(shares));
    }

    long period(String group) {
        if (host.v2()) {
            return Long.parseLong(read(group(group).resolve("cpu.max")).split("\\s+")[1]);
        }
        return Long.parseLong(read(group(group).resolve("cpu.cfs_period_us")));
    }

    /** The quota; -1 (v1) or, as libvirt reports cgroup v2's "max", 17592186044415 when unlimited. */
    long quota(String group) {
        if (host.v2()) {
            String q = read(group(group).resolve("cpu.max")).split("\\s+")[0];
            return q.equals("max") ? QUOTA_MAX : Long.parseLong(q);
        }
        return Long.parseLong(read(group(group).resolve("cpu.cfs_quota_us")));
    }

    void setPeriod(String group, long period) {
        if (host.v2()) {
            String q = read(group(group).resolve("cpu.max")).split("\\s+")[0];
            write(group(group).resolve("cpu.max"), q + " " + period);
        } else {
            write(group(group).resolve("cpu.cfs_period_us"), Long.toString(period));
        }
    }

    void setQuota(String group, long quota) {
        if (host.v2()) {
            write(group(group).resolve("cpu.max"), quota < 0 || quota == QUOTA_MAX ? "max" : Long.toString(quota));
        } else {
            write(group(group).resolve("cpu.cfs_quota_us"), Long.toString(quota < 0 ? -1 : quota));
        }
    }

    // ---- removal -------------------------------------------------------------------------------------

    /**
     * Removes the sub-groups, the domain's group, then the driver root's and jvirt's groups if empty. Call
     * after QEMU has exited; a group whose last task is still exiting is retried for up to a second.
     */
    void remove() {
        if (!exists()) {
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    children.add(p);
                }
            }
        } catch (IOException ignored) {
            // gone
        }
        for (Path c : children) {
            rmdir(c, 1000);
        }
        rmdir(dir, 1000);
        rmdir(dir.getParent(), 0);
        rmdir(dir.getParent().getParent(), 0);
    }

    private static void rmdir(Path p, long patienceMs) {
        long end = System.nanoTime() + patienceMs * 1_000_000L;
        while (true) {
            try {
                Files.deleteIfExists(p);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---- file access ---------------------------------------------------------------------------------

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw io("create", p, e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw io("read", f, e);
        }
    }

    private static void write(Path f, String value) {
        try {
            Files.writeString(f, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw io("write to", f, e);
        }
    }

    private static VirtException io(String what, Path f, IOException e) {
        String why = e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
        return new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                "Unable to " + what + " '" + f + "': " + why, e);
    }
}
