package org.jvirt.driver.qemu.internal;

import java.util.BitSet;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.BlockStats;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.caps.QemuCaps;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.MigrationFinish;
import org.jvirt.spi.MigrationStep;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.SchedulerType;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainJobs;
import org.jvirt.spi.support.LocalHost;
import org.jvirt.spi.support.DomainList;
import org.jvirt.spi.support.LocalConnection;

/**
 * One connection to a QEMU driver root: the driver's entry table. Each entry is answered here when it is
 * about the connection or the node, and otherwise handed to the class of its concern; all state lives in
 * the shared {@link QemuHost}.
 */
final class QemuConnection implements LocalConnection {
    private final QemuDriver driver;
    private final QemuHost host;
    private final DomainEvents events;
    private final QemuDefinitions definitions;
    private final QemuLifecycle lifecycle;
    private final QemuSaveRestore saves;
    private final QemuAttachDetach devices;
    private final QemuStats stats;
    private final QemuTuning tuning;
    private final QemuMigration migration;
    private boolean closed;

    QemuConnection(QemuDriver driver, QemuHost host, EventSink sink) {
        this.driver = driver;
        this.host = host;
        this.events = new DomainEvents(sink, ErrorDomain.QEMU);
        this.definitions = new QemuDefinitions(host);
        this.saves = new QemuSaveRestore(host);
        this.lifecycle = new QemuLifecycle(host, saves);
        this.devices = new QemuAttachDetach(host);
        this.stats = new QemuStats(host);
        this.tuning = new QemuTuning(host);
        this.migration = new QemuMigration(host);
        host.eventHub.add(events);
    }

    // ---- the connection and the node ---------------------------------------------------------------

    @Override
    public String connectGetType() {
        return "QEMU";
    }

    @Override
    public String connectGetURI() {
        return host.config.uri();
    }

    private QemuCaps defaultCaps() {
        String emu = QemuXmlHooks.defaultEmulator(QemuXmlHooks.hostArch());
        if (emu == null) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.QEMU, "no QEMU binary found on this host");
        }
        return host.caps.get(emu);
    }

    @Override
    public long connectGetVersion() {
        return defaultCaps().version();
    }

    @Override
    public String connectGetHostname() {
        return LocalHost.hostname();
    }

    @Override
    public int connectGetMaxVcpus(String type) {
        QemuCaps c = defaultCaps();
        QemuCaps.Machine m = c.machine(c.defaultMachine());
        return m == null ? 1 : m.maxCpus();
    }

    @Override
    public String connectGetCapabilities() {
        return QemuHostInfo.capabilities(host);
    }

    @Override
    public NodeInfo nodeGetInfo() {
        return QemuHostInfo.nodeInfo();
    }

    @Override
    public long nodeGetFreeMemory() {
        return QemuHostInfo.meminfo("MemFree") * 1024;
    }

    /** No security driver confines the guests: model and DOI are empty, as libvirt's "none" driver says. */
    @Override
    public SecurityModel nodeGetSecurityModel() {
        return new SecurityModel("", "");
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
        return host.domains;
    }

    // ---- listing, lookup and creation ----------------------------------------------------------------

    @Override
    public List<DomainRef> connectListAllDomains(int flags) {
        Procedure.checkFlags(flags, DomainList.LIST_FILTERS_ALL, ErrorDomain.QEMU, "qemuConnectListAllDomains");
        return host.domains.listAll(flags);
    }

    @Override
    public DomainRef domainLookupByID(int id) {
        return host.domains.lookupByID(id).ref();
    }

    @Override
    public DomainRef domainLookupByName(String name) {
        return host.domains.lookupByName(name).ref();
    }

    @Override
    public DomainRef domainLookupByUUID(UUID uuid) {
        return host.domains.lookupByUUID(uuid).ref();
    }

    @Override
    public DomainRef domainDefineXMLFlags(String xml, int flags) {
        return definitions.domainDefineXMLFlags(xml, flags);
    }

    @Override
    public DomainRef domainCreateXML(String xml, int flags) {
        return lifecycle.domainCreateXML(xml, flags);
    }

    @Override
    public void domainRestoreFlags(String from, String dxml, int flags) {
        saves.domainRestoreFlags(from, dxml, flags);
    }

    @Override
    public String connectDomainXMLToNative(String nativeFormat, String xml, int flags) {
        return definitions.connectDomainXMLToNative(nativeFormat, xml, flags);
    }

    // ---- one domain: definition ------------------------------------------------------------------------

    @Override
    public String domainGetOSType(DomainRef dom) {
        return definitions.domainGetOSType(dom);
    }

    @Override
    public String domainGetXMLDesc(DomainRef dom, int flags) {
        return definitions.domainGetXMLDesc(dom, flags);
    }

    @Override
    public boolean domainIsPersistent(DomainRef dom) {
        return definitions.domainIsPersistent(dom);
    }

    @Override
    public void domainOpenConsole(DomainRef dom, String devName, org.jvirt.spi.StreamPeer stream, int flags) {
        host.consoles.open(dom, devName, stream, flags);
    }

    @Override
    public boolean domainHasManagedSaveImage(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.QEMU, "qemuDomainHasManagedSaveImage");
        return lifecycle.domainHasManagedSaveImage(dom);
    }

    @Override
    public void domainUndefineFlags(DomainRef dom, int flags) {
        definitions.domainUndefineFlags(dom, flags);
    }

    @Override
    public boolean domainGetAutostart(DomainRef dom) {
        return definitions.domainGetAutostart(dom);
    }

    @Override
    public void domainSetAutostart(DomainRef dom, boolean autostart) {
        definitions.domainSetAutostart(dom, autostart);
    }

    // ---- one domain: lifecycle ---------------------------------------------------------------------------

    @Override
    public DomainStatus domainGetState(DomainRef dom, int flags) {
        return lifecycle.domainGetState(dom, flags);
    }

    @Override
    public boolean domainIsActive(DomainRef dom) {
        return lifecycle.domainIsActive(dom);
    }

    @Override
    public DomainRef domainCreateWithFlags(DomainRef dom, int flags) {
        return lifecycle.domainCreateWithFlags(dom, flags);
    }

    @Override
    public void domainDestroyFlags(DomainRef dom, int flags) {
        lifecycle.domainDestroyFlags(dom, flags);
    }

    @Override
    public void domainShutdownFlags(DomainRef dom, int flags) {
        lifecycle.domainShutdownFlags(dom, flags);
    }

    @Override
    public void domainReboot(DomainRef dom, int flags) {
        lifecycle.domainReboot(dom, flags);
    }

    @Override
    public void domainSuspend(DomainRef dom) {
        lifecycle.domainSuspend(dom);
    }

    @Override
    public void domainResume(DomainRef dom) {
        lifecycle.domainResume(dom);
    }

    // ---- one domain: save, dump, jobs ----------------------------------------------------------------------

    @Override
    public void domainSaveFlags(DomainRef dom, String to, String dxml, int flags) {
        saves.domainSaveFlags(dom, to, dxml, flags);
    }

    @Override
    public void domainCoreDump(DomainRef dom, String to, int flags) {
        saves.domainCoreDump(dom, to, flags);
    }

    /** Save, dump, restore and outgoing migration run as jobs (see {@link DomainJobs}); QEMU's are unbounded. */
    @Override
    public JobInfo domainGetJobInfo(DomainRef dom) {
        return host.jobs.info(host.domains.get(dom).ref());
    }

    @Override
    public JobStats domainGetJobStats(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, DomainJobs.STATS_FLAGS, ErrorDomain.QEMU, "qemuDomainGetJobStats");
        return host.jobs.stats(host.domains.get(dom).ref(), flags);
    }

    @Override
    public void domainAbortJob(DomainRef dom) {
        host.jobs.abort(host.domains.get(dom).ref());
    }

    // ---- one domain: figures ---------------------------------------------------------------------------

    @Override
    public DomainInfo domainGetInfo(DomainRef dom) {
        return stats.domainGetInfo(dom);
    }

    @Override
    public long domainGetMaxMemory(DomainRef dom) {
        return stats.domainGetMaxMemory(dom);
    }

    @Override
    public int domainGetMaxVcpus(DomainRef dom) {
        return stats.domainGetMaxVcpus(dom);
    }

    @Override
    public List<VcpuInfo> domainGetVcpus(DomainRef dom, int maxinfo, int maplen) {
        return stats.domainGetVcpus(dom, maxinfo, maplen);
    }

    @Override
    public BlockStats domainBlockStats(DomainRef dom, String path) {
        return stats.domainBlockStats(dom, path);
    }

    @Override
    public InterfaceStats domainInterfaceStats(DomainRef dom, String device) {
        return stats.domainInterfaceStats(dom, device);
    }

    // ---- one domain: resources -----------------------------------------------------------------------------

    @Override
    public void domainSetMaxMemory(DomainRef dom, long kib) {
        tuning.domainSetMaxMemory(dom, kib);
    }

    @Override
    public void domainSetMemoryFlags(DomainRef dom, long kib, int flags) {
        tuning.domainSetMemoryFlags(dom, kib, flags);
    }

    @Override
    public void domainSetVcpusFlags(DomainRef dom, int nvcpus, int flags) {
        tuning.domainSetVcpusFlags(dom, nvcpus, flags);
    }

    @Override
    public void domainPinVcpuFlags(DomainRef dom, int vcpu, BitSet cpumap, int flags) {
        tuning.domainPinVcpuFlags(dom, vcpu, cpumap, flags);
    }

    @Override
    public SchedulerType domainGetSchedulerType(DomainRef dom) {
        return tuning.domainGetSchedulerType(dom);
    }

    @Override
    public List<TypedParameter> domainGetSchedulerParametersFlags(DomainRef dom, int nparams, int flags) {
        return tuning.domainGetSchedulerParametersFlags(dom, nparams, flags);
    }

    @Override
    public void domainSetSchedulerParametersFlags(DomainRef dom, List<TypedParameter> params, int flags) {
        tuning.domainSetSchedulerParametersFlags(dom, params, flags);
    }

    // ---- one domain: devices -------------------------------------------------------------------------------

    @Override
    public void domainAttachDeviceFlags(DomainRef dom, String xml, int flags) {
        devices.domainAttachDeviceFlags(dom, xml, flags);
    }

    @Override
    public void domainDetachDeviceFlags(DomainRef dom, String xml, int flags) {
        devices.domainDetachDeviceFlags(dom, xml, flags);
    }

    // ---- migration -----------------------------------------------------------------------------------------

    @Override
    public MigrationStep domainMigrateBegin3(DomainRef dom, String xmlin, int flags, String dname, long bandwidth) {
        return migration.domainMigrateBegin3(dom, xmlin, flags, dname, bandwidth);
    }

    @Override
    public MigrationStep domainMigratePrepare3(byte[] cookieIn, String uriIn, int flags, String dname,
            long bandwidth, String domXml) {
        return migration.domainMigratePrepare3(cookieIn, uriIn, flags, dname, bandwidth, domXml);
    }

    @Override
    public byte[] domainMigratePerform3(DomainRef dom, String xmlin, byte[] cookieIn, String dconnuri, String uri,
            int flags, String dname, long bandwidth) {
        return migration.domainMigratePerform3(dom, xmlin, cookieIn, dconnuri, uri, flags, dname, bandwidth);
    }

    @Override
    public MigrationFinish domainMigrateFinish3(String dname, byte[] cookieIn, String dconnuri, String uri,
            int flags, boolean cancelled) {
        return migration.domainMigrateFinish3(dname, cookieIn, dconnuri, uri, flags, cancelled);
    }

    @Override
    public void domainMigrateConfirm3(DomainRef dom, byte[] cookieIn, int flags, boolean cancelled) {
        migration.domainMigrateConfirm3(dom, cookieIn, flags, cancelled);
    }

    // ---- events --------------------------------------------------------------------------------------------

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

    // ---- for tests -----------------------------------------------------------------------------------------

    /** The monitor of a running domain, for tests that check QEMU's own view. */
    QemuMonitor monitorFor(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            return d.proc.monitor();
        }
    }

    /** The QEMU pid of a running domain, or -1. */
    long pidOf(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.proc == null ? -1 : d.proc.pid();
        }
    }
}
