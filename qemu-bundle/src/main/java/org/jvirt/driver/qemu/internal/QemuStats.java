package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.jvirt.api.BlockStats;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.command.QemuCommandLine;
import org.jvirt.driver.qemu.internal.monitor.QmpBlockStats;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.InterfaceDef;

/** What a domain uses and has done: its info, memory and vCPU figures, disk and interface counters. */
final class QemuStats {
    private final QemuHost host;

    QemuStats(QemuHost host) {
        this.host = host;
    }

    DomainInfo domainGetInfo(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainDef def = d.current();
            long cpu = d.proc != null ? QemuHostInfo.processCpuNs(d.proc.pid()) : 0;
            return new DomainInfo(d.state, def.getMemoryKiB(), def.effectiveCurrentMemoryKiB(),
                    def.effectiveCurrentVcpus(), cpu);
        }
    }

    long domainGetMaxMemory(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.current().getMemoryKiB();
        }
    }

    int domainGetMaxVcpus(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.current().getVcpus();
        }
    }

    /** At most {@code maxinfo} vCPUs, each affinity cut to {@code maplen} bytes of CPU map. */
    List<VcpuInfo> domainGetVcpus(DomainRef dom, int maxinfo, int maplen) {
        QemuDomain d = host.domains.get(dom);
        List<VcpuInfo> all;
        synchronized (d) {
            DomainList.checkActive(d);
            all = QemuVcpus.info(d);
        }
        long bits = (long) Math.max(0, maplen) * 8;
        List<VcpuInfo> out = new ArrayList<>();
        for (VcpuInfo v : all.subList(0, Math.min(all.size(), Math.max(0, maxinfo)))) {
            BitSet map = v.affinity();
            if (bits < map.length()) {
                map.clear((int) bits, map.length());
            }
            out.add(new VcpuInfo(v.number(), v.state(), v.cpuTimeNs(), v.cpu(), map));
        }
        return out;
    }

    BlockStats domainBlockStats(DomainRef dom, String path) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            DiskDef disk = null;
            for (DiskDef k : d.live.getDisks()) {
                if (path.equals(k.getTargetDev()) || path.equals(k.getSourcePath())) {
                    disk = k;
                }
            }
            if (disk == null) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid path: " + path);
            }
            for (QmpBlockStats o : d.proc.monitor().queryBlockstats()) {
                String qdev = o.qdev();
                if (qdev != null && (qdev.equals(disk.getAlias()) || qdev.contains("/" + disk.getAlias() + "/"))
                        || QemuCommandLine.formatNode(disk).equals(o.nodeName())) {
                    return new BlockStats(o.rdOperations(), o.rdBytes(), o.wrOperations(), o.wrBytes(),
                            o.failedRdOperations() + o.failedWrOperations());
                }
            }
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU,
                    "QEMU reports no statistics for disk " + disk.getTargetDev());
        }
    }

    InterfaceStats domainInterfaceStats(DomainRef dom, String device) {
        QemuDomain d = host.domains.get(dom);
        String tap;
        synchronized (d) {
            DomainList.checkActive(d);
            InterfaceDef nic = null;
            for (InterfaceDef i : d.live.getInterfaces()) {
                if (device.equals(i.getTargetDev()) || device.equalsIgnoreCase(String.valueOf(i.getMac()))) {
                    nic = i;
                }
            }
            if (nic == null) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                        "invalid path, '" + device + "' is not a known interface");
            }
            if (nic.getTargetDev() == null || !Files.isDirectory(Path.of("/sys/class/net", nic.getTargetDev()))) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, "interface '" + device
                        + "' (type " + nic.getType() + ") has no host device to read counters from");
            }
            tap = nic.getTargetDev();
        }
        // a tap's receive side is the guest's transmit side, so the counters are swapped (as libvirt does)
        return new InterfaceStats(net(tap, "tx_bytes"), net(tap, "tx_packets"), net(tap, "tx_errors"),
                net(tap, "tx_dropped"), net(tap, "rx_bytes"), net(tap, "rx_packets"), net(tap, "rx_errors"),
                net(tap, "rx_dropped"));
    }

    private static long net(String dev, String counter) {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", dev, "statistics", counter)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
