package org.jvirt.driver.xen.internal;

import java.util.BitSet;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.xen.internal.xl.XlConverter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.InterfaceDef;

/**
 * The lifecycle of Xen domains through the xl toolstack. Each operation is the xl command that does it; when
 * xl or libxl refuses, the error carries libvirt's libxl driver's words for the failure, then xl's and
 * libxl's own lines unchanged. The checks libvirt's libxl driver makes first (Domain-0 cannot be paused,
 * saved, shut down, rebooted or destroyed; memory above the maximum; ...) are made with its words.
 */
final class XenLifecycle {
    static final int MEM_LIVE = 1;
    static final int MEM_CONFIG = 2;
    static final int MEM_MAXIMUM = 4;
    static final int VCPU_LIVE = 1;
    static final int VCPU_CONFIG = 2;
    static final int VCPU_MAXIMUM = 4;
    static final int DEVICE_LIVE = 1;
    static final int DEVICE_CONFIG = 2;

    private final XenHost host;

    XenLifecycle(XenHost host) {
        this.host = host;
    }

    /** The domain, after bringing the list up to date with the hypervisor's. */
    XenDomain get(DomainRef dom) {
        host.running.sync();
        return host.domains.get(dom);
    }

    private XenDomain active(DomainRef dom) {
        return DomainList.checkActive(get(dom));
    }

    private static void notDom0(XenDomain d) {
        if (XenHostDomains.DOM0_NAME.equals(d.name())) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
                    "Domain-0 does not support requested operation");
        }
    }

    private String xl(String what, String... args) {
        return host.xl.run(what, args);
    }

    private void event(XenDomain d, DomainEventType type, int detail) {
        host.eventHub.lifecycle(d.ref(), type, detail);
    }

    void destroy(DomainRef dom) {
        XenDomain d = active(dom);
        notDom0(d);
        synchronized (d) {
            d.ending = true;
            try {
                xl("Failed to destroy domain '" + d.id + "'", "destroy", Integer.toString(d.id));
                DomainRef ref = d.ref();
                synchronized (host.registration) {
                    host.running.gone(d, DomainStatus.SHUTOFF_DESTROYED);
                }
                host.eventHub.lifecycle(ref, DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED);
            } finally {
                d.ending = false;
            }
        }
    }

    void suspend(DomainRef dom) {
        XenDomain d = active(dom);
        notDom0(d);
        synchronized (d) {
            if (d.state != DomainState.PAUSED) {
                xl("Failed to suspend domain '" + d.id + "' with libxenlight", "pause", Integer.toString(d.id));
                d.state = DomainState.PAUSED;
                d.reason = DomainStatus.PAUSED_USER;
                event(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
            }
        }
    }

    void resume(DomainRef dom) {
        XenDomain d = active(dom);
        notDom0(d);
        synchronized (d) {
            if (d.state == DomainState.PAUSED) {
                xl("Failed to resume domain '" + d.id + "' with libxenlight", "unpause", Integer.toString(d.id));
                d.state = DomainState.RUNNING;
                d.reason = DomainStatus.RUNNING_UNPAUSED;
                event(d, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
            }
        }
    }

    /** {@code xl shutdown}: asks the guest through xenstore's control/shutdown; xl waits for its answer. */
    void shutdown(DomainRef dom) {
        XenDomain d = active(dom);
        notDom0(d);
        xl("Failed to shutdown domain '" + d.id + "' with libxenlight", "shutdown", Integer.toString(d.id));
    }

    void reboot(DomainRef dom) {
        XenDomain d = active(dom);
        notDom0(d);
        xl("Failed to reboot domain '" + d.id + "' with libxenlight", "reboot", Integer.toString(d.id));
    }

    /** {@code xl save ID FILE}: xl's own save image (its header and config), which {@code xl restore} reads. */
    void save(DomainRef dom, String to, String dxml, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainSaveFlags");
        if (dxml != null) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.LIBXL, "xml modification unsupported");
        }
        XenDomain d = active(dom);
        notDom0(d);
        synchronized (d) {
            if (d.state == DomainState.PAUSED) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
                        "Domain '" + d.id + "' has to be running because libxenlight will suspend it");
            }
            d.ending = true;
            try {
                xl("Failed to save domain '" + d.id + "' with libxenlight", "save", Integer.toString(d.id), to);
                DomainRef ref = d.ref();
                synchronized (host.registration) {
                    host.running.gone(d, DomainStatus.SHUTOFF_SAVED);
                }
                host.eventHub.lifecycle(ref, DomainEventType.STOPPED, DomainEventType.STOPPED_SAVED);
            } finally {
                d.ending = false;
            }
        }
    }

    /** {@code xl restore FILE}; the restored domain is then found in the hypervisor's list. */
    void restore(String from, String dxml, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainRestoreFlags");
        if (dxml != null) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.LIBXL, "xml modification unsupported");
        }
        xl("libxenlight failed to restore domain from '" + from + "'", "restore", from);
        host.running.sync();
    }

    void setMemory(DomainRef dom, long kib, int flags) {
        Procedure.checkFlags(flags, MEM_LIVE | MEM_CONFIG | MEM_MAXIMUM, ErrorDomain.LIBXL,
                "libxlDomainSetMemoryFlags");
        XenDomain d = get(dom);
        synchronized (d) {
            DomainList.Impact impact = DomainList.modificationImpact(d, flags);
            if (impact.config() && d.isDom0()) {
                notDom0(d); // Domain-0's definition is the hypervisor's, not a file of the driver
            }
            if ((flags & MEM_MAXIMUM) != 0) {
                if (impact.live()) {
                    xl("Failed to set maximum memory for domain '" + d.id + "' with libxenlight", "mem-max",
                            Integer.toString(d.id), kib + "k");
                    d.live.setMemoryKiB(kib);
                    d.live.setCurrentMemoryKiB(Math.min(kib, d.live.getCurrentMemoryKiB()));
                }
                if (impact.config()) {
                    DomainDef p = d.persistent;
                    p.setMemoryKiB(kib);
                    p.setCurrentMemoryKiB(Math.min(kib, p.getCurrentMemoryKiB()));
                    host.writeConfig(p);
                }
                return;
            }
            DomainDef def = impact.live() ? d.live : d.persistent;
            if (kib > def.getMemoryKiB()) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL,
                        "cannot set memory higher than max memory");
            }
            if (impact.live()) {
                xl("Failed to set memory for domain '" + d.id + "' with libxenlight", "mem-set", Integer.toString(d.id),
                        kib + "k");
                d.live.setCurrentMemoryKiB(kib);
            }
            if (impact.config()) {
                d.persistent.setCurrentMemoryKiB(kib);
                host.writeConfig(d.persistent);
            }
        }
    }

    void setVcpus(DomainRef dom, int nvcpus, int flags) {
        Procedure.checkFlags(flags, VCPU_LIVE | VCPU_CONFIG | VCPU_MAXIMUM, ErrorDomain.LIBXL,
                "libxlDomainSetVcpusFlags");
        if (nvcpus == 0) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "nvcpus is zero");
        }
        XenDomain d = get(dom);
        synchronized (d) {
            if (flags == 0) {
                flags = d.isActive() ? VCPU_LIVE : VCPU_CONFIG;
            }
            if (!d.isActive() && (flags & VCPU_LIVE) != 0) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
                        "cannot set vcpus on an inactive domain");
            }
            if (!d.isPersistent() && (flags & VCPU_CONFIG) != 0) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
                        "cannot change persistent config of a transient domain");
            }
            if ((flags & VCPU_CONFIG) != 0 && d.isDom0()) {
                notDom0(d);
            }
            int max = Integer.parseInt(host.xl.info().getOrDefault("nr_cpus", "1"));
            DomainDef cur = d.def();
            if ((flags & VCPU_MAXIMUM) == 0 && cur.getVcpus() < max) {
                max = cur.getVcpus();
            }
            if (nvcpus > max) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL,
                        "requested vcpus is greater than max allowable vcpus for the domain: " + nvcpus + " > " + max);
            }
            if ((flags & VCPU_MAXIMUM) != 0) {
                if ((flags & VCPU_LIVE) != 0) {
                    throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.LIBXL,
                            "a running Xen domain's maximum vcpus cannot change");
                }
                DomainDef p = d.persistent;
                p.setVcpus(nvcpus);
                p.setCurrentVcpus(p.getCurrentVcpus() > nvcpus ? nvcpus : p.getCurrentVcpus());
                host.writeConfig(p);
                return;
            }
            if ((flags & VCPU_LIVE) != 0) {
                xl("Failed to set vcpus for domain '" + d.id + "' with libxenlight", "vcpu-set", Integer.toString(d.id),
                        Integer.toString(nvcpus));
                d.live.setCurrentVcpus(nvcpus == d.live.getVcpus() ? 0 : nvcpus);
            }
            if ((flags & VCPU_CONFIG) != 0) {
                d.persistent.setCurrentVcpus(nvcpus == d.persistent.getVcpus() ? 0 : nvcpus);
                host.writeConfig(d.persistent);
            }
        }
    }

    void pinVcpu(DomainRef dom, int vcpu, BitSet cpumap, int flags) {
        Procedure.checkFlags(flags, DomainList.AFFECT_LIVE | DomainList.AFFECT_CONFIG, ErrorDomain.LIBXL,
                "libxlDomainPinVcpuFlags");
        XenDomain d = get(dom);
        DomainList.Impact impact = DomainList.modificationImpact(d, flags);
        if (impact.config()) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.LIBXL,
                    "the Xen driver cannot keep vCPU pinning in a persistent definition (<cputune> is not supported)");
        }
        StringBuilder cpus = new StringBuilder();
        for (int c = cpumap.nextSetBit(0); c >= 0; c = cpumap.nextSetBit(c + 1)) {
            cpus.append(cpus.length() == 0 ? "" : ",").append(c);
        }
        if (cpus.length() == 0) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "Empty cpu list for pinning");
        }
        xl("Failed to pin vcpu '" + vcpu + "' with libxenlight", "vcpu-pin", Integer.toString(d.id),
                Integer.toString(vcpu), cpus.toString());
    }

    /** Hot-plugs a disk ({@code xl block-attach}) or an interface ({@code xl network-attach}). */
    void attach(DomainRef dom, String xml, int flags) {
        Procedure.checkFlags(flags, DEVICE_LIVE | DEVICE_CONFIG, ErrorDomain.LIBXL, "libxlDomainAttachDeviceFlags");
        XenDomain d = get(dom);
        liveOnly(d, flags, "attach");
        DeviceDef dev = DomainXml.parseDevice(xml);
        boolean hvm = "hvm".equals(d.def().getOs().getType());
        String id = Integer.toString(d.id);
        if (dev instanceof DiskDef disk) {
            xl("libxenlight failed to attach disk '" + disk.getTargetDev() + "'", "block-attach", id,
                    XlConverter.disk(disk).spec());
            d.live.getDisks().add(disk);
        } else if (dev instanceof InterfaceDef nic) {
            xl("libxenlight failed to attach network device", "network-attach", id, XlConverter.vifSpec(nic, hvm));
            d.live.getInterfaces().add(nic);
        } else {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.LIBXL,
                    "device type '" + kind(dev) + "' cannot be attached");
        }
    }

    /** Unplugs a disk ({@code xl block-detach}, by target) or an interface ({@code xl network-detach}, by MAC). */
    void detach(DomainRef dom, String xml, int flags) {
        Procedure.checkFlags(flags, DEVICE_LIVE | DEVICE_CONFIG, ErrorDomain.LIBXL, "libxlDomainDetachDeviceFlags");
        XenDomain d = get(dom);
        liveOnly(d, flags, "detach");
        DeviceDef dev = DomainXml.parsePartialDevice(xml);
        String id = Integer.toString(d.id);
        if (dev instanceof DiskDef disk && disk.getTargetDev() != null) {
            xl("libxenlight failed to detach disk '" + disk.getTargetDev() + "'", "block-detach", id,
                    disk.getTargetDev());
        } else if (dev instanceof InterfaceDef nic && nic.getMac() != null) {
            xl("libxenlight failed to detach network device", "network-detach", id, nic.getMac());
        } else {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.LIBXL,
                    "device type '" + kind(dev) + "' cannot be detached");
        }
        DeviceDef found = DomainXml.findDevice(d.live, dev);
        if (found instanceof DiskDef) {
            d.live.getDisks().remove(found);
        } else if (found instanceof InterfaceDef) {
            d.live.getInterfaces().remove(found);
        }
    }

    private static void liveOnly(XenDomain d, int flags, String what) {
        DomainList.Impact impact = DomainList.modificationImpact(d, flags);
        if (impact.config()) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.LIBXL,
                    "the Xen driver cannot " + what + " a device in a persistent definition yet");
        }
    }

    private static String kind(DeviceDef dev) {
        String n = dev.getClass().getSimpleName();
        return (n.endsWith("Def") ? n.substring(0, n.length() - 3) : n).toLowerCase();
    }
}
