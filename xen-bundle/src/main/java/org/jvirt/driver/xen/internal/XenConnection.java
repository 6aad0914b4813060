package org.jvirt.driver.xen.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.driver.xen.internal.libxl.XlDomain;
import org.jvirt.driver.xen.internal.xl.XlConverter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainList;
import org.jvirt.spi.support.LocalConnection;
import org.jvirt.spi.support.LocalHost;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * One connection to the Xen driver: node information and capabilities from {@code xl info}, persistent
 * definitions, native config conversion, and lifecycle through the xl toolstack, whose own errors are
 * reported unchanged.
 */
final class XenConnection implements LocalConnection {
    private static final int DEFINE_FLAGS = 1;
    private static final int XML_FLAGS = XmlFlag.SECURE.bit() | XmlFlag.INACTIVE.bit() | XmlFlag.UPDATE_CPU.bit()
            | XmlFlag.MIGRATABLE.bit();

    private final XenDriver driver;
    private final XenHost host;
    private final DomainEvents events;
    private final XenLifecycle lifecycle;
    private boolean closed;

    XenConnection(XenDriver driver, XenHost host, EventSink sink) {
        this.driver = driver;
        this.host = host;
        this.lifecycle = new XenLifecycle(host);
        this.events = new DomainEvents(sink, ErrorDomain.LIBXL);
        host.eventHub.add(events);
    }

    // ---- the connection and the node ------------------------------------------------------------------

    @Override
    public String connectGetType() {
        return "Xen";
    }

    @Override
    public String connectGetURI() {
        return "xen:///system";
    }

    @Override
    public String connectGetHostname() {
        return LocalHost.hostname();
    }

    /** Xen's version, as libvirt numbers it: major * 1000000 + minor * 1000. */
    @Override
    public long connectGetVersion() {
        Map<String, String> info = host.xl.info();
        return Long.parseLong(info.getOrDefault("xen_major", "0")) * 1_000_000
                + Long.parseLong(info.getOrDefault("xen_minor", "0")) * 1000;
    }

    @Override
    public NodeInfo nodeGetInfo() {
        Map<String, String> i = host.xl.info();
        int cpus = Integer.parseInt(i.getOrDefault("nr_cpus", "0"));
        int nodes = Math.max(1, Integer.parseInt(i.getOrDefault("nr_nodes", "1")));
        int cores = Math.max(1, Integer.parseInt(i.getOrDefault("cores_per_socket", "1")));
        int threads = Math.max(1, Integer.parseInt(i.getOrDefault("threads_per_core", "1")));
        int sockets = Math.max(1, cpus / (nodes * cores * threads));
        int mhz = (int) Double.parseDouble(i.getOrDefault("cpu_mhz", "0"));
        long memKiB = Long.parseLong(i.getOrDefault("total_memory", "0")) * 1024;
        return new NodeInfo(i.getOrDefault("machine", "x86_64"), memKiB, cpus, mhz, nodes, sockets, cores, threads);
    }

    /** The host and the guests Xen offers (from {@code xl info}'s xen_caps), in libvirt's layout. */
    @Override
    public String connectGetCapabilities() {
        Map<String, String> i = host.xl.info();
        String arch = i.getOrDefault("machine", "x86_64");
        NodeInfo n = nodeGetInfo();
        StringBuilder sb = new StringBuilder("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>").append(arch)
                .append("</arch>\n      <topology sockets='").append(n.sockets()).append("' dies='1' cores='")
                .append(n.cores()).append("' threads='").append(n.threads()).append("'/>\n    </cpu>\n")
                .append("    <power_management/>\n    <iommu support='no'/>\n  </host>\n");
        String caps = " " + i.getOrDefault("xen_caps", "") + " ";
        boolean hvm = caps.contains(" hvm-3.0-x86_64 ") || caps.contains(" hvm-3.0-x86_32 ");
        if (caps.contains(" xen-3.0-x86_64 ")) {
            guest(sb, "xen", "x86_64", "xenpv", List.of());
            guest(sb, "xenpvh", "x86_64", "xenpvh", List.of());
        }
        if (hvm) {
            guest(sb, "hvm", "x86_64", "xenfv", List.of("acpi", "apic", "pae", "hap"));
        }
        return sb.append("\n</capabilities>\n").toString();
    }

    private static void guest(StringBuilder sb, String os, String arch, String machine, List<String> features) {
        sb.append("\n  <guest>\n    <os_type>").append(os).append("</os_type>\n    <arch name='").append(arch)
                .append("'>\n      <wordsize>64</wordsize>\n      <emulator>/usr/lib/xen-4.17/bin/qemu-system-i386")
                .append("</emulator>\n");
        if (os.equals("hvm")) {
            sb.append("      <loader>").append(XlConverter.HVMLOADER).append("</loader>\n");
        }
        sb.append("      <machine>").append(machine).append("</machine>\n      <domain type='xen'/>\n    </arch>\n");
        if (!features.isEmpty()) {
            sb.append("    <features>\n");
            for (String f : features) {
                sb.append("      <").append(f).append(" default='on' toggle='").append(f.equals("hap") ? "yes" : "no")
                        .append("'/>\n");
            }
            sb.append("    </features>\n");
        }
        sb.append("  </guest>\n");
    }

    @Override
    public void connectClose() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        host.eventHub.remove(events);
        events.close();
        driver.release(host);
    }

    @Override
    public DomainList<?> domainList() {
        host.running.sync();
        return host.domains;
    }

    /** The domain a handle names, after bringing the list up to date with the hypervisor's. */
    private XenDomain domain(DomainRef dom) {
        return lifecycle.get(dom);
    }

    // ---- listing, lookup, definitions --------------------------------------------------------------------

    @Override
    public List<DomainRef> connectListAllDomains(int flags) {
        Procedure.checkFlags(flags, DomainList.LIST_FILTERS_ALL, ErrorDomain.LIBXL, "libxlConnectListAllDomains");
        return domainList().listAll(flags);
    }

    @Override
    public DomainRef domainLookupByID(int id) {
        host.running.sync();
        return host.domains.lookupByID(id).ref();
    }

    @Override
    public DomainRef domainLookupByName(String name) {
        host.running.sync();
        return host.domains.lookupByName(name).ref();
    }

    @Override
    public DomainRef domainLookupByUUID(UUID uuid) {
        host.running.sync();
        return host.domains.lookupByUUID(uuid).ref();
    }

    @Override
    public DomainRef domainDefineXMLFlags(String xml, int flags) {
        Procedure.checkFlags(flags, DEFINE_FLAGS, ErrorDomain.LIBXL, "libxlDomainDefineXMLFlags");
        DomainDef def = DomainXml.parse(xml, host.hooks);
        XlConverter.toXl(def); // refuses what xl cannot express, before anything is written
        synchronized (host.registration) {
            XenDomain d = host.domains.checkUnique(def, false);
            host.writeConfig(def);
            if (d == null) {
                d = new XenDomain(def);
                host.domains.add(d);
                host.eventHub.lifecycle(d.ref(), DomainEventType.DEFINED, DomainEventType.DEFINED_ADDED);
            } else {
                d.persistent = def;
                host.eventHub.lifecycle(d.ref(), DomainEventType.DEFINED, DomainEventType.DEFINED_UPDATED);
            }
            return d.ref();
        }
    }

    @Override
    public void domainUndefineFlags(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainUndefineFlags");
        XenDomain d = domain(dom);
        synchronized (host.registration) {
            if (d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
                        "cannot undefine a running Xen domain here");
            }
            XenHost.delete(host.configFile(d.name()));
            XenHost.delete(host.autostartLink(d.name()));
            host.domains.remove(d);
            host.eventHub.lifecycle(d.ref(), DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
        }
    }

    @Override
    public String domainGetXMLDesc(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, XML_FLAGS, ErrorDomain.LIBXL, "libxlDomainGetXMLDesc");
        XenDomain d = domain(dom);
        boolean inactive = !d.isActive() || (flags & XmlFlag.INACTIVE.bit()) != 0 && d.isPersistent();
        return DomainXml.format(inactive ? d.persistent : d.def(), new DomainXml.Format(inactive ? -1 : d.id,
                (flags & XmlFlag.SECURE.bit()) != 0, inactive));
    }

    @Override
    public String domainGetOSType(DomainRef dom) {
        String type = domain(dom).def().getOs().getType();
        return "linux".equals(type) ? "xen" : type; // libvirt's XML says linux for a PV guest, its API says xen
    }

    @Override
    public boolean domainIsPersistent(DomainRef dom) {
        return domain(dom).isPersistent();
    }

    @Override
    public boolean domainIsActive(DomainRef dom) {
        return domain(dom).isActive();
    }

    @Override
    public DomainStatus domainGetState(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainGetState");
        XenDomain d = domain(dom);
        return new DomainStatus(d.state, d.reason);
    }

    /** State, memory and CPU time: the hypervisor's ({@code xl list}) while running, the definition's else. */
    @Override
    public DomainInfo domainGetInfo(DomainRef dom) {
        XenDomain d = domain(dom);
        DomainDef def = d.def();
        XlDomain x = d.info;
        if (d.isActive() && x != null) {
            return new DomainInfo(d.state, def.getMemoryKiB(), x.memKiB(), def.effectiveCurrentVcpus(), x.cpuTimeNs());
        }
        return new DomainInfo(d.state, def.getMemoryKiB(), def.getCurrentMemoryKiB() > 0 ? def.getCurrentMemoryKiB()
                : def.getMemoryKiB(), def.effectiveCurrentVcpus(), 0);
    }

    /** The driver makes no managed save images (virDomainManagedSave is not supported), so none exists. */
    @Override
    public boolean domainHasManagedSaveImage(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainHasManagedSaveImage");
        domain(dom);
        return false;
    }

    @Override
    public long domainGetMaxMemory(DomainRef dom) {
        return domain(dom).def().getMemoryKiB();
    }

    @Override
    public int domainGetMaxVcpus(DomainRef dom) {
        return domain(dom).def().getVcpus();
    }

    @Override
    public boolean domainGetAutostart(DomainRef dom) {
        return domain(dom).autostart;
    }

    @Override
    public void domainSetAutostart(DomainRef dom, boolean autostart) {
        XenDomain d = domain(dom);
        if (!d.isPersistent() || d.isDom0()) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
                    "cannot set autostart for transient domain");
        }
        synchronized (d) {
            Path link = host.autostartLink(d.name());
            if (autostart) {
                XenHost.writeAtomically(link, host.configFile(d.name()) + "\n");
            } else {
                XenHost.delete(link);
            }
            d.autostart = autostart;
        }
    }

    @Override
    public String connectDomainXMLToNative(String nativeFormat, String xml, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlConnectDomainXMLToNative");
        return XenNative.toNative(nativeFormat, xml, host.hooks);
    }

    @Override
    public String connectDomainXMLFromNative(String nativeFormat, String nativeConfig, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlConnectDomainXMLFromNative");
        return XenNative.fromNative(nativeFormat, nativeConfig, host.hooks);
    }

    // ---- lifecycle through xl -----------------------------------------------------------------------------

    /** Starts a defined domain with {@code xl create}; Xen's refusal is reported as xl and libxl word it. */
    @Override
    public DomainRef domainCreateWithFlags(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainCreateWithFlags");
        XenDomain d = domain(dom);
        synchronized (d) {
            if (d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL, "Domain is already running");
            }
            Path cfg;
            try {
                cfg = Files.createTempFile("jvirt-xen-" + d.name(), ".cfg");
                Files.writeString(cfg, XlConverter.toXl(d.persistent).format());
            } catch (IOException e) {
                throw new VirtException(ErrorCode.WRITE_FAILED, ErrorDomain.LIBXL, e.getMessage(), e);
            }
            try {
                host.xl.run("libxenlight failed to create new domain '" + d.name() + "'", "create", cfg.toString());
            } finally {
                XenHost.delete(cfg);
            }
            String id = host.xl.run("cannot find the new domain '" + d.name() + "'", "domid", d.name()).trim();
            boolean seen = d.isActive(); // the @introduceDomain watch found it first, and told the listeners
            if (!seen) {
                d.live = d.persistent.copy();
                d.id = Integer.parseInt(id);
            }
            d.state = DomainState.RUNNING;
            d.reason = DomainStatus.RUNNING_BOOTED;
            if (!seen) {
                host.eventHub.lifecycle(d.ref(), DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
            }
            return d.ref();
        }
    }

    @Override
    public void domainDestroyFlags(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainDestroyFlags");
        lifecycle.destroy(dom);
    }

    @Override
    public void domainSuspend(DomainRef dom) {
        lifecycle.suspend(dom);
    }

    @Override
    public void domainResume(DomainRef dom) {
        lifecycle.resume(dom);
    }

    @Override
    public void domainShutdownFlags(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainShutdownFlags");
        lifecycle.shutdown(dom);
    }

    @Override
    public void domainReboot(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.LIBXL, "libxlDomainReboot");
        lifecycle.reboot(dom);
    }

    @Override
    public void domainSaveFlags(DomainRef dom, String to, String dxml, int flags) {
        lifecycle.save(dom, to, dxml, flags);
    }

    @Override
    public void domainRestoreFlags(String from, String dxml, int flags) {
        lifecycle.restore(from, dxml, flags);
    }

    @Override
    public void domainSetMemoryFlags(DomainRef dom, long kib, int flags) {
        lifecycle.setMemory(dom, kib, flags);
    }

    @Override
    public void domainSetMaxMemory(DomainRef dom, long kib) {
        lifecycle.setMemory(dom, kib, XenLifecycle.MEM_MAXIMUM);
    }

    @Override
    public void domainSetVcpusFlags(DomainRef dom, int nvcpus, int flags) {
        lifecycle.setVcpus(dom, nvcpus, flags);
    }

    @Override
    public void domainPinVcpuFlags(DomainRef dom, int vcpu, BitSet cpumap, int flags) {
        lifecycle.pinVcpu(dom, vcpu, cpumap, flags);
    }

    @Override
    public void domainAttachDeviceFlags(DomainRef dom, String xml, int flags) {
        lifecycle.attach(dom, xml, flags);
    }

    @Override
    public void domainDetachDeviceFlags(DomainRef dom, String xml, int flags) {
        lifecycle.detach(dom, xml, flags);
    }

    // ---- events -----------------------------------------------------------------------------------------

    @Override
    public int connectDomainEventCallbackRegisterAny(int eventId, DomainRef dom) {
        if (dom != null) {
            host.domains.get(dom);
        }
        return events.register(eventId, dom);
    }

    @Override
    public void connectDomainEventCallbackDeregisterAny(int callbackId) {
        events.deregister(callbackId);
    }
}
