package org.jvirt.driver.test.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.BlockStats;
import org.jvirt.api.CpuMap;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.MigrateFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.SecurityLabel;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.MigrationFinish;
import org.jvirt.spi.MigrationStep;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.SchedulerType;
import org.jvirt.spi.support.DomainDevices;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainJobs;
import org.jvirt.spi.support.DomainList;
import org.jvirt.spi.support.LocalHost;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.InterfaceDef;

import static org.jvirt.spi.Procedure.checkFlags;

/**
 * One connection to a test host. All state lives in the shared {@link TestHost}, guarded by its lock. Each
 * entry refuses the flag bits libvirt 9.0's test driver refuses, naming the same function.
 */
final class TestConnection implements DriverConnection {
    static final int MAX_VCPUS = 32;
    static final long VERSION = 2; // libvirt's test driver reports hypervisor version 0.0.2

    // the flags libvirt 9.0's test driver takes (virCheckFlags in src/test/test_driver.c)
    private static final int DEFINE_VALIDATE = 1;
    private static final int START_VALIDATE = 16;
    private static final int DESTROY_GRACEFUL = 1;
    private static final int REBOOT_FLAGS = 0x1f; // DEFAULT, ACPI_POWER_BTN, GUEST_AGENT, INITCTL, SIGNAL, PARAVIRT
    private static final int DUMP_CRASH = 1;
    private static final int UNDEFINE_FLAGS = 0x3; // MANAGED_SAVE, SNAPSHOTS_METADATA: neither exists here
    private static final int XML_FLAGS = XmlFlag.SECURE.bit() | XmlFlag.INACTIVE.bit() | XmlFlag.MIGRATABLE.bit();
    private static final int MODIFY_FLAGS = ModifyFlag.LIVE.bit() | ModifyFlag.CONFIG.bit();
    private static final int MEMORY_FLAGS = MemoryFlag.LIVE.bit() | MemoryFlag.CONFIG.bit() | MemoryFlag.MAXIMUM.bit();
    private static final int VCPU_FLAGS = VcpuFlag.LIVE.bit() | VcpuFlag.CONFIG.bit() | VcpuFlag.MAXIMUM.bit();
    private static final int MIGRATE_FLAGS = migrateFlags();

    private final TestDriver driver;
    private final TestHost host;
    private final String uri;
    private final DomainEvents events;
    private final TestNetworks networks;
    private final TestDomainRuntime runtime;
    private final TestHostQueries hostQueries;
    private final TestDomainPinning pinning;
    private final TestManagedSaveAndRename managedSaveAndRename;
    private final TestDomainMetadata metadata;
    private boolean closed;

    TestConnection(TestDriver driver, TestHost host, String uri, EventSink sink) {
        this.driver = driver;
        this.host = host;
        this.uri = uri;
        this.events = new DomainEvents(sink, ErrorDomain.TEST);
        this.networks = new TestNetworks(host);
        this.runtime = new TestDomainRuntime(host);
        this.hostQueries = new TestHostQueries(host);
        this.pinning = new TestDomainPinning(host);
        this.managedSaveAndRename = new TestManagedSaveAndRename(host);
        this.metadata = new TestDomainMetadata(host);
        host.events.add(events);
    }

    private static int migrateFlags() {
        int m = 0;
        for (MigrateFlag f : MigrateFlag.values()) {
            m |= f.bit();
        }
        return m;
    }

    // ---- the connection --------------------------------------------------------------------------

    @Override
    public String connectGetType() {
        return "TEST";
    }

    @Override
    public String connectGetURI() {
        return uri;
    }

    @Override
    public long connectGetVersion() {
        return VERSION;
    }

    @Override
    public String connectGetHostname() {
        return LocalHost.hostname(); // libvirt's test driver answers with this machine's name
    }

    @Override
    public int connectGetMaxVcpus(String type) {
        return MAX_VCPUS;
    }

    @Override
    public String connectGetCapabilities() {
        synchronized (host) {
            return TestCapabilities.format(host.node);
        }
    }

    @Override
    public NodeInfo nodeGetInfo() {
        return host.node;
    }

    @Override
    public long nodeGetFreeMemory() {
        synchronized (host) {
            long free = 0; // libvirt's test driver: the sum of its cells' fixed free memory, whatever runs
            for (long cell : host.cellFreeBytes) {
                free += cell;
            }
            return free;
        }
    }

    @Override
    public CpuMap nodeGetCPUMap(int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testNodeGetCPUMap");
        BitSet online = new BitSet(8);
        online.set(0);
        online.set(2);
        online.set(4);
        return new CpuMap(8, online); // libvirt's test host: 8 CPUs, mask 0x15
    }

    // ---- host queries: TestHostQueries ------------------------------------------------------------

    @Override
    public String connectGetSysinfo(int flags) {
        return hostQueries.getSysinfo(flags);
    }

    @Override
    public long[] nodeGetCellsFreeMemory(int startCell, int maxCells) {
        return hostQueries.cellsFreeMemory(startCell, maxCells);
    }

    @Override
    public org.jvirt.spi.NodeStats nodeGetCPUStats(int cpuNum, int nparams, int flags) {
        return hostQueries.cpuStats(cpuNum, nparams, flags);
    }

    @Override
    public List<String> connectGetCPUModelNames(String arch, int flags) {
        return hostQueries.cpuModelNames(arch, flags);
    }

    @Override
    public SecurityModel nodeGetSecurityModel() {
        return new SecurityModel("testSecurity", "");
    }

    @Override
    public boolean connectIsSecure() {
        return true;
    }

    @Override
    public boolean connectIsEncrypted() {
        return false;
    }

    @Override
    public boolean connectIsAlive() {
        return true;
    }

    @Override
    public SecurityLabel domainGetSecurityLabel(DomainRef dom) {
        synchronized (host) {
            return find(dom).isActive() ? new SecurityLabel("libvirt-test", true) : new SecurityLabel("", false);
        }
    }

    @Override
    public NetworkConnection networks() {
        return networks;
    }

    @Override
    public void connectClose() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        host.events.remove(events);
        events.close();
        driver.release(host, uri.substring("test://".length()));
    }

    // ---- events ------------------------------------------------------------------------------------

    @Override
    public int connectDomainEventCallbackRegisterAny(int eventId, DomainRef dom) {
        return events.register(eventId, dom);
    }

    @Override
    public void connectDomainEventCallbackDeregisterAny(int callbackId) {
        events.deregister(callbackId);
    }

    // ---- listing and lookup ------------------------------------------------------------------------

    @Override
    public int[] connectListDomains(int maxids) {
        synchronized (host) {
            return host.domains.activeIds(maxids);
        }
    }

    @Override
    public int connectNumOfDomains() {
        synchronized (host) {
            return host.domains.numActive();
        }
    }

    @Override
    public List<String> connectListDefinedDomains(int maxnames) {
        synchronized (host) {
            return host.domains.inactiveNames(maxnames);
        }
    }

    @Override
    public int connectNumOfDefinedDomains() {
        synchronized (host) {
            return host.domains.numInactive();
        }
    }

    @Override
    public List<DomainRef> connectListAllDomains(int flags) {
        checkFlags(flags, DomainList.LIST_FILTERS_ALL, ErrorDomain.TEST, "testConnectListAllDomains");
        synchronized (host) {
            return host.domains.listAll(flags);
        }
    }

    @Override
    public DomainRef domainLookupByID(int id) {
        return lookup(() -> host.domains.lookupByID(id));
    }

    @Override
    public DomainRef domainLookupByName(String name) {
        return lookup(() -> host.domains.lookupByName(name));
    }

    @Override
    public DomainRef domainLookupByUUID(UUID uuid) {
        return lookup(() -> host.domains.lookupByUUID(uuid));
    }

    /** A lookup; libvirt's test driver reports a miss as a bare "Domain not found" (no detail). */
    private DomainRef lookup(java.util.function.Supplier<TestDomain> find) {
        synchronized (host) {
            try {
                return find.get().ref();
            } catch (VirtException e) {
                if (e.code() == ErrorCode.NO_DOMAIN) {
                    throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, null);
                }
                throw e;
            }
        }
    }

    /** The domain a ref names; callers hold the host's lock. */
    private TestDomain find(DomainRef ref) {
        return host.domains.get(ref);
    }

    // ---- creation ----------------------------------------------------------------------------------

    @Override
    public DomainRef domainDefineXMLFlags(String xml, int flags) {
        checkFlags(flags, DEFINE_VALIDATE, ErrorDomain.TEST, "testDomainDefineXMLFlags");
        DomainDef def = DomainXml.parse(xml, host.hooks, (flags & DEFINE_VALIDATE) != 0);
        synchronized (host) {
            TestDomain d = host.domains.checkUnique(def, false);
            boolean updated = d != null;
            if (d == null) {
                d = new TestDomain(def);
                host.put(d);
            } else {
                d.persistent = def;
            }
            host.emit(d, DomainEventType.DEFINED,
                    updated ? DomainEventType.DEFINED_UPDATED : DomainEventType.DEFINED_ADDED);
            return d.ref();
        }
    }

    @Override
    public DomainRef domainCreateXML(String xml, int flags) {
        checkFlags(flags, START_VALIDATE, ErrorDomain.TEST, "testDomainCreateXML"); // it cannot start paused, as libvirt's
        DomainDef def = DomainXml.parse(xml, host.hooks, (flags & START_VALIDATE) != 0);
        synchronized (host) {
            TestDomain d = host.domains.checkUnique(def, true);
            if (d == null) {
                d = new TestDomain(null);
                d.live = def;
                host.put(d);
            } else {
                d.live = def;
            }
            host.start(d, DomainStatus.RUNNING_BOOTED);
            host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
            return d.ref();
        }
    }

    @Override
    public void domainRestoreFlags(String from, String dxml, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainRestoreFlags");
        refuseXmlChange(dxml);
        SaveImage image = SaveImage.read(Path.of(from));
        DomainDef def = DomainXml.parse(image.xml(), host.hooks);
        synchronized (host) {
            TestDomain d = host.domains.checkUnique(def, true);
            try (DomainJobs.Job job = host.jobs.start(new DomainRef(def.getName(), def.getUuid(), -1),
                    DomainJobs.OPERATION_RESTORE, image.xml().length())) {
                if (d == null) {
                    d = new TestDomain(null);
                    host.put(d);
                }
                d.live = def;
                host.start(d, DomainStatus.RUNNING_RESTORED);
                if (image.paused()) {
                    d.setState(DomainState.PAUSED, DomainStatus.PAUSED_USER);
                }
                host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_RESTORED);
                job.succeed();
            }
        }
    }

    /** libvirt's test driver cannot change the XML of a saved image. */
    private static void refuseXmlChange(String dxml) {
        if (dxml != null) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.TEST, "xml modification unsupported");
        }
    }

    // ---- one domain --------------------------------------------------------------------------------

    @Override
    public String domainGetOSType(DomainRef dom) {
        synchronized (host) {
            find(dom);
            return "linux"; // as libvirt's test driver, whatever the XML says
        }
    }

    @Override
    public DomainInfo domainGetInfo(DomainRef dom) {
        synchronized (host) {
            TestDomain d = find(dom);
            DomainDef def = d.current();
            return new DomainInfo(d.state, def.getMemoryKiB(), currentMemory(def), currentVcpus(def),
                    System.currentTimeMillis() * 1_000_000L);
        }
    }

    private static long currentMemory(DomainDef def) {
        return def.getCurrentMemoryKiB() > 0 ? def.getCurrentMemoryKiB() : def.getMemoryKiB();
    }

    private static int currentVcpus(DomainDef def) {
        return def.getCurrentVcpus() > 0 ? def.getCurrentVcpus() : def.getVcpus();
    }

    @Override
    public DomainStatus domainGetState(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainGetState");
        synchronized (host) {
            TestDomain d = find(dom);
            return new DomainStatus(d.state, d.reason);
        }
    }

    @Override
    public String domainGetXMLDesc(DomainRef dom, int flags) {
        checkFlags(flags, XML_FLAGS, ErrorDomain.TEST, "testDomainGetXMLDesc"); // MIGRATABLE changes nothing for a test domain
        synchronized (host) {
            TestDomain d = find(dom);
            boolean inactive = (flags & XmlFlag.INACTIVE.bit()) != 0 && d.persistent != null;
            DomainDef def = inactive ? d.persistent : d.current();
            int id = inactive ? -1 : d.id;
            return DomainXml.format(def, new DomainXml.Format(id, (flags & XmlFlag.SECURE.bit()) != 0, inactive));
        }
    }

    @Override
    public boolean domainIsActive(DomainRef dom) {
        synchronized (host) {
            return find(dom).isActive();
        }
    }

    @Override
    public boolean domainIsPersistent(DomainRef dom) {
        synchronized (host) {
            return find(dom).persistent != null;
        }
    }

    @Override
    public boolean domainHasManagedSaveImage(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainHasManagedSaveImage");
        synchronized (host) {
            return find(dom).hasManagedSave();
        }
    }

    @Override
    public void domainManagedSave(DomainRef dom, int flags) {
        managedSaveAndRename.managedSave(dom, flags);
    }

    @Override
    public void domainManagedSaveRemove(DomainRef dom, int flags) {
        managedSaveAndRename.managedSaveRemove(dom, flags);
    }

    @Override
    public void domainRename(DomainRef dom, String newName, int flags) {
        managedSaveAndRename.rename(dom, newName, flags);
    }

    /** As libvirt's test driver: never, and without looking the domain up. */
    @Override
    public boolean domainIsUpdated(DomainRef dom) {
        return false;
    }

    @Override
    public DomainRef domainCreateWithFlags(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainCreateWithFlags"); // it cannot start paused, as libvirt's
        synchronized (host) {
            TestDomain d = find(dom);
            if (d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "Domain '" + d.name()
                        + "' is already running");
            }
            host.start(d, DomainStatus.RUNNING_BOOTED);
            host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
            return d.ref();
        }
    }

    @Override
    public void domainDestroyFlags(DomainRef dom, int flags) {
        checkFlags(flags, DESTROY_GRACEFUL, ErrorDomain.TEST, "testDomainDestroyFlags");
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            host.stop(d, DomainStatus.SHUTOFF_DESTROYED);
            host.emit(d, DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED);
        }
    }

    @Override
    public void domainShutdownFlags(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainShutdownFlags");
        synchronized (host) {
            TestDomain d = find(dom);
            if (d.state != DomainState.RUNNING && d.state != DomainState.PAUSED) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "domain '" + d.name()
                        + "' not running");
            }
            lifecycleAction(d, d.current().getOnPoweroff(), DomainStatus.SHUTOFF_SHUTDOWN,
                    DomainEventType.STOPPED_SHUTDOWN);
        }
    }

    @Override
    public void domainReboot(DomainRef dom, int flags) {
        checkFlags(flags, REBOOT_FLAGS, ErrorDomain.TEST, "testDomainReboot");
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            lifecycleAction(d, d.current().getOnReboot(), DomainStatus.SHUTOFF_SHUTDOWN,
                    DomainEventType.STOPPED_SHUTDOWN);
        }
    }

    /** Carries out an on_poweroff / on_reboot action, as libvirt's test driver does. */
    private void lifecycleAction(TestDomain d, String action, int stopReason, int stopDetail) {
        String a = action == null ? "destroy" : action;
        switch (a) {
            case "restart", "rename-restart" -> d.setState(DomainState.RUNNING, DomainStatus.RUNNING_BOOTED);
            case "preserve" -> d.setState(DomainState.SHUTDOWN, DomainStatus.SHUTDOWN_USER);
            default -> {
                host.stop(d, stopReason);
                host.emit(d, DomainEventType.STOPPED, stopDetail);
            }
        }
    }

    @Override
    public void domainSuspend(DomainRef dom) {
        synchronized (host) {
            TestDomain d = find(dom);
            if (d.state == DomainState.SHUTOFF || d.state == DomainState.PAUSED) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "domain '" + d.name()
                        + "' not running");
            }
            d.setState(DomainState.PAUSED, DomainStatus.PAUSED_USER);
            host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
        }
    }

    @Override
    public void domainResume(DomainRef dom) {
        synchronized (host) {
            TestDomain d = find(dom);
            if (d.state != DomainState.PAUSED) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "domain '" + d.name()
                        + "' not paused");
            }
            d.setState(DomainState.RUNNING, DomainStatus.RUNNING_UNPAUSED);
            host.emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
        }
    }

    @Override
    public void domainSaveFlags(DomainRef dom, String to, String dxml, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainSaveFlags");
        refuseXmlChange(dxml);
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            long bytes = currentMemory(d.live) * 1024;
            try (DomainJobs.Job job = host.jobs.start(d.ref(), DomainJobs.OPERATION_SAVE, bytes).countsMemory()) {
                String xml = DomainXml.format(d.live, new DomainXml.Format(-1, true, false));
                SaveImage.write(Path.of(to), new SaveImage(xml, d.state == DomainState.PAUSED), bytes, job::progress);
                host.stop(d, DomainStatus.SHUTOFF_SAVED);
                host.emit(d, DomainEventType.STOPPED, DomainEventType.STOPPED_SAVED);
                job.succeed();
            }
        }
    }

    @Override
    public void domainCoreDump(DomainRef dom, String to, int flags) {
        checkFlags(flags, DUMP_CRASH, ErrorDomain.TEST, "testDomainCoreDumpWithFormat");
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            long bytes = currentMemory(d.live) * 1024;
            try (DomainJobs.Job job = host.jobs.start(d.ref(), DomainJobs.OPERATION_DUMP, bytes)) {
                String xml = DomainXml.format(d.live, new DomainXml.Format(d.id, false, false));
                SaveImage.writeCore(Path.of(to), xml, bytes, job::progress);
                if ((flags & DUMP_CRASH) != 0) {
                    host.stop(d, DomainStatus.SHUTOFF_CRASHED);
                    host.emit(d, DomainEventType.STOPPED, DomainEventType.STOPPED_CRASHED);
                }
                job.succeed();
            }
        }
    }

    @Override
    public void domainUndefineFlags(DomainRef dom, int flags) {
        checkFlags(flags, UNDEFINE_FLAGS, ErrorDomain.TEST, "testDomainUndefineFlags");
        synchronized (host) {
            TestDomain d = find(dom);
            if (d.managedSave && (flags & 1) == 0) { // VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "Refusing to undefine while domain managed save image exists");
            }
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "cannot undefine transient domain");
            }
            host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
            d.managedSave = false;
            if (d.isActive()) {
                d.persistent = null;
                d.autostart = false;
            } else {
                host.remove(d);
            }
        }
    }

    @Override
    public boolean domainGetAutostart(DomainRef dom) {
        synchronized (host) {
            return find(dom).autostart;
        }
    }

    @Override
    public void domainSetAutostart(DomainRef dom, boolean autostart) {
        synchronized (host) {
            TestDomain d = find(dom);
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "cannot set autostart for transient domain");
            }
            d.autostart = autostart;
        }
    }

    @Override
    public long domainGetMaxMemory(DomainRef dom) {
        synchronized (host) {
            return find(dom).current().getMemoryKiB();
        }
    }

    @Override
    public void domainSetMaxMemory(DomainRef dom, long kib) {
        synchronized (host) {
            TestDomain d = find(dom);
            for (DomainDef def : defs(d, d.isActive() ? ModifyFlag.LIVE.bit() : ModifyFlag.CONFIG.bit())) {
                def.setMemoryKiB(kib);
                if (def.getCurrentMemoryKiB() > kib) {
                    def.setCurrentMemoryKiB(kib);
                }
            }
        }
    }

    @Override
    public void domainSetMemoryFlags(DomainRef dom, long kib, int flags) {
        checkFlags(flags, MEMORY_FLAGS, ErrorDomain.TEST, "testDomainSetMemoryFlags");
        synchronized (host) {
            TestDomain d = find(dom);
            boolean max = (flags & MemoryFlag.MAXIMUM.bit()) != 0;
            for (DomainDef def : defs(d, flags)) {
                if (max) {
                    def.setMemoryKiB(kib);
                    if (def.getCurrentMemoryKiB() > kib) {
                        def.setCurrentMemoryKiB(kib);
                    }
                } else {
                    if (kib > def.getMemoryKiB()) {
                        throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                                "cannot set memory higher than max memory");
                    }
                    def.setCurrentMemoryKiB(kib);
                }
            }
        }
    }

    @Override
    public void domainSetVcpusFlags(DomainRef dom, int nvcpus, int flags) {
        checkFlags(flags, VCPU_FLAGS, ErrorDomain.TEST, "testDomainSetVcpusFlags");
        synchronized (host) {
            if (nvcpus > MAX_VCPUS) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "requested cpu amount exceeds maximum supported amount (" + nvcpus + " > " + MAX_VCPUS + ")");
            }
            TestDomain d = find(dom);
            boolean max = (flags & VcpuFlag.MAXIMUM.bit()) != 0;
            int where = flags & (VcpuFlag.LIVE.bit() | VcpuFlag.CONFIG.bit());
            if (max && (where & VcpuFlag.LIVE.bit()) != 0) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "cannot change the maximum vcpu count of a running domain");
            }
            List<DomainDef> targets = defs(d, max && where == 0 ? VcpuFlag.CONFIG.bit() : where);
            for (DomainDef def : targets) {
                if (!max && nvcpus > def.getVcpus()) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                            "requested cpu amount exceeds maximum (" + nvcpus + " > " + def.getVcpus() + ")");
                }
            }
            for (DomainDef def : targets) {
                if (max) {
                    def.setVcpus(nvcpus);
                    if (def.getCurrentVcpus() > nvcpus) {
                        def.setCurrentVcpus(nvcpus);
                    }
                } else {
                    def.setCurrentVcpus(nvcpus == def.getVcpus() ? 0 : nvcpus);
                }
            }
        }
    }

    /** The definitions a LIVE/CONFIG flag pair selects, as virDomainObjUpdateModificationImpact. */
    private static List<DomainDef> defs(TestDomain d, int flags) {
        DomainList.Impact impact = DomainList.modificationImpact(d, flags);
        List<DomainDef> out = new ArrayList<>(2);
        if (impact.live()) {
            out.add(d.live);
        }
        if (impact.config()) {
            out.add(d.persistent);
        }
        return out;
    }

    @Override
    public int domainGetMaxVcpus(DomainRef dom) {
        synchronized (host) {
            return find(dom).current().getVcpus();
        }
    }

    @Override
    public List<VcpuInfo> domainGetVcpus(DomainRef dom, int maxinfo, int maplen) {
        synchronized (host) {
            TestDomain d = find(dom);
            if (!d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "cannot list vcpus for an inactive domain");
            }
            int hostCpus = host.node.maxCpus();
            BitSet all = new BitSet(hostCpus);
            all.set(0, hostCpus);
            long base = System.currentTimeMillis() * 1000L; // libvirt fakes an increasing time from the clock
            int n = currentVcpus(d.live);
            if (maxinfo > 0) {
                n = Math.min(n, maxinfo);
            }
            List<VcpuInfo> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                BitSet pinned = TestDomainPinning.vcpupin(d.live, i);
                BitSet full = pinned != null ? pinned : all;
                BitSet map = (BitSet) full.clone();
                if (maplen > 0 && maplen < Integer.MAX_VALUE / 8) {
                    map.clear(maplen * 8, Math.max(maplen * 8, map.length()));
                }
                // as libvirt's: the CPU is the last one the vCPU may run on, before the map is cut to maplen
                out.add(new VcpuInfo(i, 1, base / 10, full.length() - 1, map));
            }
            return out;
        }
    }

    @Override
    public void domainPinVcpuFlags(DomainRef dom, int vcpu, BitSet cpumap, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainPinVcpuFlags");
        synchronized (host) {
            TestDomain d = find(dom);
            if (!d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "cannot pin vcpus on an inactive domain");
            }
            if (vcpu >= currentVcpus(d.live)) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "requested vcpu '" + vcpu + "' is not present in the domain");
            }
            if (cpumap.length() > host.node.maxCpus()) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "cpu " + (cpumap.length() - 1) + " is not present on the host");
            }
            TestDomainPinning.setVcpupin(d.live, vcpu, cpumap); // in the live definition, as libvirt's
        }
    }

    @Override
    public List<BitSet> domainGetVcpuPinInfo(DomainRef dom, int ncpumaps, int maplen, int flags) {
        return pinning.vcpuPinInfo(dom, ncpumaps, maplen, flags);
    }

    @Override
    public void domainPinEmulator(DomainRef dom, BitSet cpumap, int flags) {
        pinning.pinEmulator(dom, cpumap, flags);
    }

    @Override
    public BitSet domainGetEmulatorPinInfo(DomainRef dom, int maplen, int flags) {
        return pinning.emulatorPinInfo(dom, maplen, flags);
    }

    @Override
    public String domainGetMetadata(DomainRef dom, int type, String uri, int flags) {
        return metadata.get(dom, type, uri, flags);
    }

    @Override
    public void domainSetMetadata(DomainRef dom, int type, String text, String key, String uri, int flags) {
        metadata.set(dom, type, text, key, uri, flags);
    }

    @Override
    public SchedulerType domainGetSchedulerType(DomainRef dom) {
        synchronized (host) {
            find(dom);
            return new SchedulerType("fair", 1);
        }
    }

    @Override
    public List<TypedParameter> domainGetSchedulerParametersFlags(DomainRef dom, int nparams, int flags) {
        // libvirt's takes no flags here, not even the front end's VIR_TYPED_PARAM_STRING_OKAY
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainGetSchedulerParametersFlags");
        synchronized (host) {
            return List.of(TypedParameter.ofUInt("weight", find(dom).schedulerWeight));
        }
    }

    @Override
    public void domainSetSchedulerParametersFlags(DomainRef dom, List<TypedParameter> params, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainSetSchedulerParametersFlags");
        synchronized (host) {
            TestDomain d = find(dom);
            Integer weight = null;
            for (TypedParameter p : params) {
                if (!"weight".equals(p.name())) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                            "parameter '" + p.name() + "' not supported");
                }
                if (!(p.value() instanceof Number num) || num.longValue() < 0 || num.longValue() > 0xffffffffL) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                            "invalid value for weight: " + p.value());
                }
                weight = num.intValue();
            }
            if (weight != null) {
                d.schedulerWeight = weight;
            }
        }
    }

    // ---- devices (libvirt 9.0's test driver has none; jvirt's attaches disks and interfaces) ---------

    @Override
    public void domainAttachDeviceFlags(DomainRef dom, String xml, int flags) {
        checkFlags(flags, MODIFY_FLAGS, ErrorDomain.TEST, "testDomainAttachDeviceFlags");
        DeviceDef dev = DomainXml.parseDevice(xml);
        synchronized (host) {
            TestDomain d = find(dom);
            List<DomainDef> targets = defs(d, flags);
            for (DomainDef def : targets) {
                checkAttachable(def, dev);
            }
            for (DomainDef def : targets) {
                DomainDef work = def.copy();
                addDevice(work, DomainXml.parseDevice(xml));
                host.hooks.postParse(work);
                host.hooks.validate(work);
                replace(d, def, work);
            }
        }
    }

    @Override
    public void domainDetachDeviceFlags(DomainRef dom, String xml, int flags) {
        checkFlags(flags, MODIFY_FLAGS, ErrorDomain.TEST, "testDomainDetachDeviceFlags");
        DeviceDef partial = DomainXml.parsePartialDevice(xml);
        synchronized (host) {
            TestDomain d = find(dom);
            List<DomainDef> targets = defs(d, flags);
            List<DomainDef> results = new ArrayList<>();
            for (DomainDef def : targets) {
                DomainDef work = def.copy();
                if (!removeDevice(work, partial)) {
                    throw new VirtException(ErrorCode.DEVICE_MISSING, ErrorDomain.TEST,
                            "matching device not found: " + DomainXml.formatDevice(partial).trim());
                }
                results.add(work);
            }
            for (int i = 0; i < targets.size(); i++) {
                replace(d, targets.get(i), results.get(i));
            }
        }
    }

    private static void replace(TestDomain d, DomainDef old, DomainDef now) {
        if (d.live == old) {
            d.live = now;
        }
        if (d.persistent == old) {
            d.persistent = now;
        }
    }

    private static void checkAttachable(DomainDef def, DeviceDef dev) {
        if (!(dev instanceof DiskDef) && !(dev instanceof InterfaceDef)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.TEST,
                    "the test driver attaches and detaches disks and interfaces only");
        }
        DomainDevices.checkNoClash(def, dev, ErrorDomain.TEST);
    }

    private static void addDevice(DomainDef def, DeviceDef dev) {
        if (dev instanceof DiskDef disk) {
            def.getDisks().add(disk);
        } else if (dev instanceof InterfaceDef nic) {
            def.getInterfaces().add(nic);
        }
    }

    private static boolean removeDevice(DomainDef def, DeviceDef partial) {
        if (partial instanceof DiskDef) {
            return removeFirst(def.getDisks(), partial);
        }
        if (partial instanceof InterfaceDef) {
            return removeFirst(def.getInterfaces(), partial);
        }
        throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.TEST,
                "the test driver attaches and detaches disks and interfaces only");
    }

    private static <T extends DeviceDef> boolean removeFirst(List<T> list, DeviceDef partial) {
        for (int i = 0; i < list.size(); i++) {
            if (DomainXml.matches(list.get(i), partial)) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    // ---- runtime queries: TestDomainRuntime -------------------------------------------------------

    @Override
    public int domainGetVcpusFlags(DomainRef dom, int flags) {
        return runtime.getVcpusFlags(dom, flags);
    }

    @Override
    public List<org.jvirt.api.MemoryStat> domainMemoryStats(DomainRef dom, int nrStats, int flags) {
        return runtime.memoryStats(dom, nrStats, flags);
    }

    @Override
    public org.jvirt.api.BlockInfo domainGetBlockInfo(DomainRef dom, String path, int flags) {
        return runtime.getBlockInfo(dom, path, flags);
    }

    @Override
    public org.jvirt.api.ControlInfo domainGetControlInfo(DomainRef dom, int flags) {
        return runtime.getControlInfo(dom, flags);
    }

    @Override
    public org.jvirt.api.DomainTime domainGetTime(DomainRef dom, int flags) {
        return runtime.getTime(dom, flags);
    }

    @Override
    public String domainGetHostname(DomainRef dom, int flags) {
        return runtime.getHostname(dom, flags);
    }

    @Override
    public BlockStats domainBlockStats(DomainRef dom, String path) {
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            boolean known = d.live.getDisks().stream().anyMatch(k -> path.equals(k.getTargetDev())
                    || path.equals(k.getSourcePath()));
            if (!known) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST, "invalid path: " + path);
            }
        }
        long base = System.currentTimeMillis() * 1000L;
        return new BlockStats(base / 10, base / 20, base / 30, base / 40, base / 2_000_000L);
    }

    @Override
    public InterfaceStats domainInterfaceStats(DomainRef dom, String device) {
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            boolean known = d.live.getInterfaces().stream().anyMatch(i -> device.equals(i.getTargetDev())
                    || device.equalsIgnoreCase(String.valueOf(i.getMac())));
            if (!known) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "'" + device + "' is not a known interface");
            }
        }
        long base = System.currentTimeMillis() * 1000L;
        return new InterfaceStats(base / 10, base / 100, base / 1_000_000L, base / 2_000_000L, base / 20, base / 110,
                base / 3_000_000L, base / 4_000_000L);
    }

    // ---- jobs (libvirt 9.0's test driver has none; the API's progress listeners are built on them) ----
    // Answered without the host's lock, which a running job holds.

    @Override
    public JobInfo domainGetJobInfo(DomainRef dom) {
        find(dom);
        return host.jobs.info(dom);
    }

    @Override
    public JobStats domainGetJobStats(DomainRef dom, int flags) {
        checkFlags(flags, DomainJobs.STATS_FLAGS, ErrorDomain.TEST, "testDomainGetJobStats");
        find(dom);
        return host.jobs.stats(dom, flags);
    }

    @Override
    public void domainAbortJob(DomainRef dom) {
        find(dom);
        host.jobs.abort(dom);
    }

    // ---- migration between test hosts of this process (libvirt's test driver has none) ----------------

    @Override
    public MigrationStep domainMigrateBegin3(DomainRef dom, String xmlin, int flags, String dname, long bandwidth) {
        checkFlags(flags, MIGRATE_FLAGS, ErrorDomain.TEST, "testDomainMigrateBegin3");
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            String xml = xmlin != null ? xmlin : DomainXml.format(d.live, new DomainXml.Format(-1, true, false));
            return new MigrationStep(xml, stateCookie(d.state == DomainState.PAUSED));
        }
    }

    @Override
    public MigrationStep domainMigratePrepare3(byte[] cookieIn, String uriIn, int flags, String dname,
            long bandwidth, String domXml) {
        checkFlags(flags, MIGRATE_FLAGS, ErrorDomain.TEST, "testDomainMigratePrepare3");
        DomainDef def = DomainXml.parse(domXml, host.hooks);
        if (dname != null) {
            def.setName(dname);
        }
        synchronized (host) {
            host.domains.checkUnique(def, true);
            host.incoming.put(def.getName(), def);
            return new MigrationStep(this.uri, cookieIn);
        }
    }

    @Override
    public byte[] domainMigratePerform3(DomainRef dom, String xmlin, byte[] cookieIn, String dconnuri, String uri,
            int flags, String dname, long bandwidth) {
        checkFlags(flags, MIGRATE_FLAGS, ErrorDomain.TEST, "testDomainMigratePerform3");
        synchronized (host) {
            TestDomain d = DomainList.checkActive(find(dom));
            long total = currentMemory(d.live) * 1024;
            try (DomainJobs.Job job = host.jobs.start(d.ref(), DomainJobs.OPERATION_MIGRATION_OUT, total)
                    .countsMemory()) {
                for (int i = 1; i <= 4; i++) {
                    job.checkAborted();
                    job.progress(total * i / 4);
                }
                boolean paused = d.state == DomainState.PAUSED || (flags & MigrateFlag.PAUSED.bit()) != 0;
                d.setState(DomainState.PAUSED, DomainStatus.PAUSED_MIGRATION);
                job.succeed();
                return stateCookie(paused);
            }
        }
    }

    @Override
    public MigrationFinish domainMigrateFinish3(String dname, byte[] cookieIn, String dconnuri, String uri,
            int flags, boolean cancelled) {
        checkFlags(flags, MIGRATE_FLAGS, ErrorDomain.TEST, "testDomainMigrateFinish3");
        synchronized (host) {
            DomainDef def = host.incoming.remove(dname);
            if (def == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "no incoming migration of domain '" + dname + "'");
            }
            if (cancelled) {
                return new MigrationFinish(null, null);
            }
            TestDomain d = host.domains.checkUnique(def, true);
            if (d == null) {
                d = new TestDomain((flags & MigrateFlag.PERSIST_DEST.bit()) != 0 ? def.copy() : null);
                host.put(d);
            } else if ((flags & MigrateFlag.PERSIST_DEST.bit()) != 0) {
                d.persistent = def.copy();
            }
            d.live = def;
            host.start(d, DomainStatus.RUNNING_MIGRATED);
            host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_MIGRATED);
            if (cookieIn != null && cookieIn.length > 0 && cookieIn[0] == 1) {
                d.setState(DomainState.PAUSED, DomainStatus.PAUSED_MIGRATION);
                host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_MIGRATED);
            }
            return new MigrationFinish(d.ref(), null);
        }
    }

    @Override
    public void domainMigrateConfirm3(DomainRef dom, byte[] cookieIn, int flags, boolean cancelled) {
        checkFlags(flags, MIGRATE_FLAGS, ErrorDomain.TEST, "testDomainMigrateConfirm3");
        synchronized (host) {
            TestDomain d = find(dom);
            if (cancelled) {
                if (d.isActive()) {
                    d.setState(DomainState.RUNNING, DomainStatus.RUNNING_MIGRATED);
                }
                return;
            }
            host.stop(d, DomainStatus.SHUTOFF_MIGRATED);
            host.emit(d, DomainEventType.STOPPED, DomainEventType.STOPPED_MIGRATED);
            if ((flags & MigrateFlag.UNDEFINE_SOURCE.bit()) != 0 && d.persistent != null) {
                host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
                host.remove(d);
            }
        }
    }

    private static byte[] stateCookie(boolean paused) {
        return new byte[] {(byte) (paused ? 1 : 0)};
    }
}
