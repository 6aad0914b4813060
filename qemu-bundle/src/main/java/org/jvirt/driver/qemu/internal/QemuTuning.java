package org.jvirt.driver.qemu.internal;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.SchedulerType;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;

/**
 * Resources a domain is given, live and in its config: memory (the balloon), vCPU count and pinning, and
 * scheduler parameters (the cgroup cpu controller, see {@link QemuScheduler}).
 */
final class QemuTuning {
    private static final int MODIFY_FLAGS = ModifyFlag.LIVE.bit() | ModifyFlag.CONFIG.bit();
    private static final int MEMORY_FLAGS = MemoryFlag.LIVE.bit() | MemoryFlag.CONFIG.bit() | MemoryFlag.MAXIMUM.bit();
    /** HOTPLUGGABLE is what a live change does anyway; GUEST would need a guest agent. */
    private static final int VCPU_FLAGS = VcpuFlag.LIVE.bit() | VcpuFlag.CONFIG.bit() | VcpuFlag.MAXIMUM.bit()
            | VcpuFlag.HOTPLUGGABLE.bit();

    private final QemuHost host;

    QemuTuning(QemuHost host) {
        this.host = host;
    }

    // ---- memory ----------------------------------------------------------------------------------------

    void domainSetMaxMemory(DomainRef dom, long kib) {
        setMemory(dom, kib, MemoryFlag.MAXIMUM.bit(), "qemuDomainSetMaxMemory");
    }

    void domainSetMemoryFlags(DomainRef dom, long kib, int flags) {
        setMemory(dom, kib, flags, "qemuDomainSetMemoryFlags");
    }

    private void setMemory(DomainRef dom, long kib, int flags, String function) {
        Procedure.checkFlags(flags, MEMORY_FLAGS, ErrorDomain.QEMU, function);
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            boolean max = (flags & MemoryFlag.MAXIMUM.bit()) != 0;
            DomainList.Impact where = DomainList.modificationImpact(d, flags);
            if (max && where.live()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "cannot resize the maximum memory on an active domain");
            }
            if (where.live()) {
                if (kib > d.live.getMemoryKiB()) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                            "cannot set memory higher than max memory");
                }
                if (d.live.getMemballoon() == null || !"virtio".equals(d.live.getMemballoon().getModel())) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                            "Unable to change memory of active domain without the balloon device");
                }
                d.proc.monitor().balloon(kib * 1024);
                d.live.setCurrentMemoryKiB(kib);
                host.writeStatus(d);
            }
            if (where.config()) {
                DomainDef def = d.persistent.copy();
                if (max) {
                    def.setMemoryKiB(kib);
                    if (def.getCurrentMemoryKiB() > kib) {
                        def.setCurrentMemoryKiB(kib);
                    }
                } else {
                    if (kib > def.getMemoryKiB()) {
                        throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                                "cannot set memory higher than max memory");
                    }
                    def.setCurrentMemoryKiB(kib);
                }
                host.writeConfig(def);
                d.persistent = def;
            }
        }
    }

    // ---- vCPUs -----------------------------------------------------------------------------------------

    void domainSetVcpusFlags(DomainRef dom, int nvcpus, int flags) {
        Procedure.checkFlags(flags, VCPU_FLAGS, ErrorDomain.QEMU, "qemuDomainSetVcpusFlags");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            if (nvcpus < 1) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "vcpu count must be at least 1");
            }
            boolean max = (flags & VcpuFlag.MAXIMUM.bit()) != 0;
            DomainList.Impact where = DomainList.modificationImpact(d, flags);
            if (where.live()) {
                if (max) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                            "cannot change the maximum vcpu count of a running domain");
                }
                QemuVcpus.setLive(d, nvcpus);
                if (d.cgroup != null) {
                    d.cgroup.placeVcpus(QemuVcpus.threads(d.proc.monitor()));
                }
                host.writeStatus(d);
            }
            if (where.config()) {
                DomainDef def = d.persistent.copy();
                if (max) {
                    def.setVcpus(nvcpus);
                    if (def.getCurrentVcpus() > nvcpus) {
                        def.setCurrentVcpus(0);
                    }
                } else {
                    if (nvcpus > def.getVcpus()) {
                        throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                                "requested vcpus is greater than max allowable vcpus for the persistent domain: "
                                        + nvcpus + " > " + def.getVcpus());
                    }
                    def.setCurrentVcpus(nvcpus == def.getVcpus() ? 0 : nvcpus);
                }
                host.hooks.validate(def);
                host.writeConfig(def);
                d.persistent = def;
            }
        }
    }

    /** Pins a running vCPU's thread (LIVE, or the current state when running); the config keeps no pinning. */
    void domainPinVcpuFlags(DomainRef dom, int vcpu, BitSet cpumap, int flags) {
        Procedure.checkFlags(flags, ModifyFlag.LIVE.bit(), ErrorDomain.QEMU, "qemuDomainPinVcpuFlags");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            QemuVcpus.pin(d, vcpu, cpumap);
        }
    }

    // ---- scheduler parameters (cgroup cpu controller) -------------------------------------------------

    private void requireCgroups() {
        if (!host.cgroups.usable()) {
            throw host.cgroups.noSupport();
        }
    }

    /** The running domain's cgroup, its vCPU threads placed (vCPUs may have been hot-plugged). */
    private static QemuCgroup cgroupOf(QemuDomain d) {
        if (d.cgroup == null || !d.cgroup.exists()) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "domain '" + d.name() + "' has no cpu cgroup (it was started without one)");
        }
        d.cgroup.placeVcpus(QemuVcpus.threads(d.proc.monitor()));
        return d.cgroup;
    }

    SchedulerType domainGetSchedulerType(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        requireCgroups();
        synchronized (d) {
            host.requireListed(d);
            return new SchedulerType("posix", QemuScheduler.count());
        }
    }

    /** The live values (cgroup files) or the persistent {@code <cputune>}, as the flags select; at most nparams. */
    List<TypedParameter> domainGetSchedulerParametersFlags(DomainRef dom, int nparams, int flags) {
        Procedure.checkFlags(flags, MODIFY_FLAGS, ErrorDomain.QEMU, "qemuDomainGetSchedulerParametersFlags");
        if (flags == MODIFY_FLAGS) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        QemuDomain d = host.domains.get(dom);
        requireCgroups();
        List<TypedParameter> all;
        synchronized (d) {
            host.requireListed(d);
            DomainList.Impact where = DomainList.modificationImpact(d, flags);
            all = where.live() ? QemuScheduler.live(cgroupOf(d)) : QemuScheduler.config(d.persistent);
        }
        return all.subList(0, Math.min(all.size(), Math.max(0, nparams)));
    }

    /** Live (and recorded in the live XML's cputune) and/or in the persistent {@code <cputune>}. */
    void domainSetSchedulerParametersFlags(DomainRef dom, List<TypedParameter> params, int flags) {
        Procedure.checkFlags(flags, MODIFY_FLAGS, ErrorDomain.QEMU, "qemuDomainSetSchedulerParametersFlags");
        QemuDomain d = host.domains.get(dom);
        requireCgroups();
        Map<String, Long> values = QemuScheduler.validate(params);
        synchronized (d) {
            host.requireListed(d);
            DomainList.Impact where = DomainList.modificationImpact(d, flags);
            if (where.live()) {
                QemuScheduler.applyLive(cgroupOf(d), values);
                QemuScheduler.store(d.live, values);
                host.writeStatus(d);
            }
            if (where.config()) {
                DomainDef def = d.persistent.copy();
                QemuScheduler.store(def, values);
                host.writeConfig(def);
                d.persistent = def;
            }
        }
    }
}
