package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.caps.QemuCaps;

/** Facts about the host from /proc, and the capabilities XML built from them and the probed binaries. */
final class QemuHostInfo {
    private static final long CLK_TCK = 100;

    private QemuHostInfo() {
    }

    static long meminfo(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith(key + ":")) {
                    return Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot read /proc/meminfo: " + e);
        }
        return 0;
    }

    static NodeInfo nodeInfo() {
        int cpus = 0;
        int mhz = 0;
        Set<String> sockets = new HashSet<>();
        int cores = 0;
        int siblings = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = l.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String k = l.substring(0, colon).trim();
                String v = l.substring(colon + 1).trim();
                switch (k) {
                    case "processor" -> cpus++;
                    case "cpu MHz" -> mhz = (int) Double.parseDouble(v);
                    case "physical id" -> sockets.add(v);
                    case "cpu cores" -> cores = Integer.parseInt(v);
                    case "siblings" -> siblings = Integer.parseInt(v);
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot read /proc/cpuinfo: " + e);
        }
        int s = Math.max(1, sockets.size());
        int c = cores > 0 ? cores : Math.max(1, cpus / s);
        int t = cores > 0 && siblings > 0 ? Math.max(1, siblings / cores) : 1;
        if (s * c * t != cpus) {
            s = 1;
            c = cpus;
            t = 1;
        }
        return new NodeInfo(QemuXmlHooks.hostArch(), meminfo("MemTotal"), cpus, mhz, 1, s, c, t);
    }

    /** CPU time of a process (all threads) in ns. */
    static long processCpuNs(long pid) {
        return statCpuNs(Path.of("/proc/" + pid + "/stat"));
    }

    static long statCpuNs(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLK_TCK);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The CPU a thread last ran on (field 39 of stat). */
    static int statProcessor(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[36]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String capabilities(QemuHost host) {
        NodeInfo n = nodeInfo();
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<capabilities>\n\n  <host>\n");
        try {
            String id = Files.readString(Path.of("/etc/machine-id")).trim();
            if (id.length() == 32) {
                sb.append("    <uuid>").append(id, 0, 8).append('-').append(id, 8, 12).append('-').append(id, 12, 16)
                        .append('-').append(id, 16, 20).append('-').append(id, 20, 32).append("</uuid>\n");
            }
        } catch (IOException ignored) {
            // no machine id: no uuid
        }
        sb.append("    <cpu>\n      <arch>").append(n.model()).append("</arch>\n")
                .append("      <topology sockets='").append(n.sockets()).append("' dies='1' cores='").append(n.cores())
                .append("' threads='").append(n.threads()).append("'/>\n    </cpu>\n")
                .append("    <power_management/>\n    <iommu support='no'/>\n")
                .append("    <migration_features>\n      <live/>\n      <uri_transports>\n")
                .append("        <uri_transport>tcp</uri_transport>\n      </uri_transports>\n")
                .append("    </migration_features>\n    <topology>\n      <cells num='1'>\n")
                .append("        <cell id='0'>\n          <memory unit='KiB'>").append(n.memoryKiB()).append("</memory>\n")
                .append("          <cpus num='").append(n.cpus()).append("'>\n");
        for (int i = 0; i < n.cpus(); i++) {
            sb.append("            <cpu id='").append(i).append("'/>\n");
        }
        sb.append("          </cpus>\n        </cell>\n      </cells>\n    </topology>\n  </host>\n\n");
        boolean kvm = Files.isReadable(host.config.kvmDevice()) && Files.isWritable(host.config.kvmDevice());
        for (String arch : List.of("x86_64", "i686", "aarch64", "riscv64", "ppc64", "s390x")) {
            String emu = QemuXmlHooks.defaultEmulator(arch);
            if (emu == null) {
                continue;
            }
            QemuCaps c;
            try {
                c = host.caps.get(emu);
            } catch (VirtException e) {
                continue;
            }
            if (!c.arch().equals(arch) && !("i686".equals(arch) && "x86_64".equals(c.arch()))) {
                continue;
            }
            sb.append("  <guest>\n    <os_type>hvm</os_type>\n    <arch name='").append(arch).append("'>\n")
                    .append("      <wordsize>").append(arch.equals("i686") ? 32 : 64).append("</wordsize>\n")
                    .append("      <emulator>").append(emu).append("</emulator>\n");
            for (QemuCaps.Machine m : c.machines()) {
                if (m.alias() != null) {
                    sb.append("      <machine maxCpus='").append(m.maxCpus()).append("' canonical='")
                            .append(m.name()).append("'>").append(m.alias()).append("</machine>\n");
                }
                sb.append("      <machine maxCpus='").append(m.maxCpus()).append("'>").append(m.name())
                        .append("</machine>\n");
            }
            if (c.accels().contains("tcg")) {
                sb.append("      <domain type='qemu'/>\n");
            }
            boolean native_ = arch.equals(QemuXmlHooks.hostArch())
                    || "i686".equals(arch) && "x86_64".equals(QemuXmlHooks.hostArch());
            if (kvm && native_ && c.accels().contains("kvm")) {
                sb.append("      <domain type='kvm'/>\n");
            }
            sb.append("    </arch>\n    <features>\n      <acpi default='on' toggle='yes'/>\n")
                    .append("      <apic default='on' toggle='no'/>\n");
            if (arch.equals("i686")) {
                sb.append("      <pae/>\n      <nonpae/>\n");
            }
            sb.append("    </features>\n  </guest>\n\n");
        }
        return sb.append("</capabilities>\n").toString();
    }
}
