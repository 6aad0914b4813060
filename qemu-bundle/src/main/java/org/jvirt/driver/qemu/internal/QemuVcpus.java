package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpCpu;
import org.jvirt.driver.qemu.internal.monitor.QmpHotpluggableCpu;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;

/** vCPU threads: their times and placement from /proc, pinning (sched_setaffinity), live vCPU hotplug. */
final class QemuVcpus {
    private QemuVcpus() {
    }

    /** Thread ids of the vCPUs, by index (query-cpus-fast). */
    static List<long[]> threads(QemuMonitor m) {
        List<long[]> out = new ArrayList<>();
        for (QmpCpu c : m.queryCpusFast()) {
            out.add(new long[] {c.cpuIndex(), c.threadId()});
        }
        out.sort((a, b) -> Long.compare(a[0], b[0]));
        return out;
    }

    static List<VcpuInfo> info(QemuDomain d) {
        List<VcpuInfo> out = new ArrayList<>();
        long pid = d.proc.pid();
        for (long[] t : threads(d.proc.monitor())) {
            Path task = Path.of("/proc/" + pid + "/task/" + t[1]);
            out.add(new VcpuInfo((int) t[0], 1, QemuHostInfo.statCpuNs(task.resolve("stat")),
                    QemuHostInfo.statProcessor(task.resolve("stat")), affinity(task.resolve("status"))));
        }
        return out;
    }

    private static BitSet affinity(Path status) {
        BitSet b = new BitSet();
        try {
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith("Cpus_allowed_list:")) {
                    for (String part : l.substring(l.indexOf(':') + 1).trim().split(",")) {
                        if (part.isEmpty()) {
                            continue;
                        }
                        String[] r = part.split("-");
                        int from = Integer.parseInt(r[0]);
                        int to = r.length > 1 ? Integer.parseInt(r[1]) : from;
                        b.set(from, to + 1);
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // thread gone
        }
        return b;
    }

    static void pin(QemuDomain d, int vcpu, BitSet cpus) {
        List<long[]> t = threads(d.proc.monitor());
        if (vcpu < 0 || vcpu >= t.size()) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "requested vcpu '" + vcpu + "' is not present in the domain");
        }
        int host = Runtime.getRuntime().availableProcessors();
        if (cpus.isEmpty() || cpus.length() > host) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "cpumap must name CPUs of this host (0-" + (host - 1) + ")");
        }
        Affinity.set(t.get(vcpu)[1], cpus);
    }

    /** Changes the number of online vCPUs of a running domain: device_add of hotpluggable CPUs, or device_del. */
    static void setLive(QemuDomain d, int count) {
        if (count > d.live.getVcpus()) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "requested vcpus is greater than max "
                    + "allowable vcpus for the live domain: " + count + " > " + d.live.getVcpus());
        }
        QemuMonitor m = d.proc.monitor();
        int current = threads(m).size();
        if (count == current) {
            return;
        }
        List<QmpHotpluggableCpu> free = new ArrayList<>();
        List<String> plugged = new ArrayList<>();
        for (QmpHotpluggableCpu cpu : m.queryHotpluggableCpus()) {
            if (!cpu.plugged()) {
                free.add(cpu);
            } else {
                String qom = cpu.qomPath();
                if (qom.startsWith("/machine/peripheral/")) {
                    plugged.add(qom.substring("/machine/peripheral/".length()));
                }
            }
        }
        if (count > current) {
            free.sort((a, b) -> Long.compare(a.props().path("socket-id").asLong(0),
                    b.props().path("socket-id").asLong(0)));
            for (int i = 0; i < count - current && i < free.size(); i++) {
                QmpHotpluggableCpu cpu = free.get(i);
                ObjectNode args = QmpJson.obj("driver", cpu.type(),
                        "id", "vcpu" + cpu.props().path("socket-id").asLong(i));
                args.setAll(cpu.props());
                m.deviceAdd(args);
            }
        } else {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                    "removing vCPUs from a running domain needs guest cooperation and is not supported; "
                            + "use --config");
        }
        d.live.setCurrentVcpus(count == d.live.getVcpus() ? 0 : count);
    }
}
