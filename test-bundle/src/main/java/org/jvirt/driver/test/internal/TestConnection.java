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
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.MigrateFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.ProgressListener;
import org.jvirt.api.SecurityLabel;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.spi.DomainFilter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.MigrationStep;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.InterfaceDef;

/** One connection to a test host. All state lives in the shared {@link TestHost}, guarded by its lock. */
final class TestConnection implements DriverConnection {
    static final int MAX_VCPUS = 32;
    static final long VERSION = 2; // libvirt's test driver reports hypervisor version 0.0.2

    private final TestDriver driver;
    private final TestHost host;
    private final String uri;
    private final EventSink sink;
    private final TestNetworks networks;
    private boolean closed;

    TestConnection(TestDriver driver, TestHost host, String uri, EventSink sink) {
        this.driver = driver;
        this.host = host;
        this.uri = uri;
        this.sink = sink;
        this.networks = new TestNetworks(host);
        host.sinks.add(sink);
    }

    // ---- the connection --------------------------------------------------------------------------

    @Override
    public String type() {
        return "TEST";
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public long version() {
        return VERSION;
    }

    @Override
    public int maxVcpus(String type) {
        return MAX_VCPUS;
    }

    @Override
    public String capabilities() {
        synchronized (host) {
            return TestCapabilities.format(host.node);
        }
    }

    @Override
    public NodeInfo nodeInfo() {
        return host.node;
    }

    @Override
    public long freeMemory() {
        synchronized (host) {
            long used = 0;
            for (TestDomain d : host.byName.values()) {
                if (d.isActive()) {
                    used += currentMemory(d.live);
                }
            }
            return Math.max(0, host.node.memoryKiB() - used) * 1024;
        }
    }

    @Override
    public CpuMap cpuMap() {
        BitSet online = new BitSet(8);
        online.set(0);
        online.set(2);
        online.set(4);
        return new CpuMap(8, online); // libvirt's test host: 8 CPUs, mask 0x15
    }

    @Override
    public SecurityModel securityModel() {
        return new SecurityModel("testSecurity", "");
    }

    @Override
    public SecurityLabel securityLabel(DomainRef dom) {
        synchronized (host) {
            return find(dom).isActive() ? new SecurityLabel("libvirt-test", true) : new SecurityLabel("", false);
        }
    }

    @Override
    public NetworkConnection networks() {
        return networks;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        host.sinks.remove(sink);
        driver.release(host, uri.substring("test://".length()));
    }

    // ---- listing and lookup ------------------------------------------------------------------------

    @Override
    public int[] listDomainIds() {
        synchronized (host) {
            return host.byName.values().stream().filter(TestDomain::isActive).mapToInt(d -> d.id).sorted().toArray();
        }
    }

    @Override
    public List<String> listDefinedDomainNames() {
        synchronized (host) {
            return host.byName.values().stream().filter(d -> !d.isActive()).map(TestDomain::name).sorted().toList();
        }
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        synchronized (host) {
            List<DomainRef> out = new ArrayList<>(host.byName.size());
            for (TestDomain d : host.byName.values()) {
                if (flags == 0 || DomainFilter.matches(flags, d.state, d.persistent != null, d.autostart, false, false,
                        false)) {
                    out.add(d.ref());
                }
            }
            return out;
        }
    }

    @Override
    public DomainRef lookupById(int id) {
        synchronized (host) {
            for (TestDomain d : host.byName.values()) {
                if (d.id == id) {
                    return d.ref();
                }
            }
        }
        throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "no domain with matching id " + id);
    }

    @Override
    public DomainRef lookupByName(String name) {
        synchronized (host) {
            TestDomain d = host.byName.get(name);
            if (d != null) {
                return d.ref();
            }
        }
        throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "no domain with matching name '" + name + "'");
    }

    @Override
    public DomainRef lookupByUUID(UUID uuid) {
        synchronized (host) {
            TestDomain d = host.byUuid.get(uuid);
            if (d != null) {
                return d.ref();
            }
        }
        throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "no domain with matching uuid '" + uuid + "'");
    }

    /** The domain a ref names; callers hold the host's lock. */
    private TestDomain find(DomainRef ref) {
        TestDomain d = host.byUuid.get(ref.uuid());
        if (d == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.TEST,
                    "no domain with matching uuid '" + ref.uuid() + "' (" + ref.name() + ")");
        }
        return d;
    }

    private static TestDomain requireActive(TestDomain d) {
        if (!d.isActive()) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "domain is not running");
        }
        return d;
    }

    // ---- creation ----------------------------------------------------------------------------------

    @Override
    public DomainRef defineXML(String xml) {
        DomainDef def = DomainXml.parse(xml, host.hooks);
        synchronized (host) {
            TestDomain d = checkUnique(def, false);
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
    public DomainRef createXML(String xml) {
        DomainDef def = DomainXml.parse(xml, host.hooks);
        synchronized (host) {
            TestDomain d = checkUnique(def, true);
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
    public DomainRef createXML(String xml, int flags) {
        if (flags != 0) {
            throw DriverConnection.unsupportedFlags(flags, "testDomainCreateXML"); // as libvirt's test driver
        }
        return createXML(xml);
    }

    @Override
    public DomainRef create(DomainRef dom, int flags) {
        if (flags != 0) {
            throw DriverConnection.unsupportedFlags(flags, "testDomainCreateWithFlags");
        }
        return create(dom);
    }

    /** The existing domain a new definition replaces, or null; refuses clashes of name or uuid. */
    private TestDomain checkUnique(DomainDef def, boolean mustBeInactive) {
        TestDomain byName = host.byName.get(def.getName());
        TestDomain byUuid = host.byUuid.get(def.getUuid());
        if (byName != null && byName != byUuid) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.TEST, "domain '" + def.getName()
                    + "' already exists with uuid " + byName.current().getUuid());
        }
        if (byUuid != null && byName == null) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.TEST, "domain '" + byUuid.name()
                    + "' is already defined with uuid " + def.getUuid());
        }
        if (mustBeInactive && byName != null && byName.isActive()) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "domain '" + def.getName()
                    + "' is already active");
        }
        return byName;
    }

    @Override
    public DomainRef restore(String file, ProgressListener progress) {
        SaveImage image = SaveImage.read(Path.of(file), progress);
        DomainDef def = DomainXml.parse(image.xml(), host.hooks);
        synchronized (host) {
            TestDomain d = checkUnique(def, true);
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
            return d.ref();
        }
    }

    // ---- one domain --------------------------------------------------------------------------------

    @Override
    public String osType(DomainRef dom) {
        synchronized (host) {
            find(dom);
            return "linux"; // as libvirt's test driver, whatever the XML says
        }
    }

    @Override
    public DomainInfo info(DomainRef dom) {
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
    public DomainStatus state(DomainRef dom) {
        synchronized (host) {
            TestDomain d = find(dom);
            return new DomainStatus(d.state, d.reason);
        }
    }

    @Override
    public String xmlDesc(DomainRef dom, int flags) {
        DomainDef def;
        int id;
        synchronized (host) {
            TestDomain d = find(dom);
            boolean inactive = (flags & XmlFlag.INACTIVE.bit()) != 0 && d.persistent != null;
            def = inactive ? d.persistent : d.current();
            id = inactive ? -1 : d.id;
            return DomainXml.format(def, new DomainXml.Format(id, (flags & XmlFlag.SECURE.bit()) != 0, inactive));
        }
    }

    @Override
    public boolean isActive(DomainRef dom) {
        synchronized (host) {
            return find(dom).isActive();
        }
    }

    @Override
    public boolean isPersistent(DomainRef dom) {
        synchronized (host) {
            return find(dom).persistent != null;
        }
    }

    @Override
    public DomainRef create(DomainRef dom) {
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
    public void destroy(DomainRef dom) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            host.stop(d, DomainStatus.SHUTOFF_DESTROYED);
            host.emit(d, DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED);
        }
    }

    @Override
    public void shutdown(DomainRef dom) {
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
    public void reboot(DomainRef dom) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
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
    public void suspend(DomainRef dom) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            if (d.state != DomainState.RUNNING) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "domain '" + d.name()
                        + "' not running");
            }
            d.setState(DomainState.PAUSED, DomainStatus.PAUSED_USER);
            host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
        }
    }

    @Override
    public void resume(DomainRef dom) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            if (d.state != DomainState.PAUSED) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "domain '" + d.name()
                        + "' not paused");
            }
            d.setState(DomainState.RUNNING, DomainStatus.RUNNING_UNPAUSED);
            host.emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
        }
    }

    @Override
    public void save(DomainRef dom, String file, ProgressListener progress) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            String xml = DomainXml.format(d.live, new DomainXml.Format(-1, true, false));
            SaveImage.write(Path.of(file), new SaveImage(xml, d.state == DomainState.PAUSED),
                    currentMemory(d.live), progress);
            host.stop(d, DomainStatus.SHUTOFF_SAVED);
            host.emit(d, DomainEventType.STOPPED, DomainEventType.STOPPED_SAVED);
        }
    }

    @Override
    public void coreDump(DomainRef dom, String file, ProgressListener progress) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            String xml = DomainXml.format(d.live, new DomainXml.Format(d.id, false, false));
            SaveImage.writeCore(Path.of(file), xml, currentMemory(d.live), progress);
        }
    }

    @Override
    public void undefine(DomainRef dom) {
        synchronized (host) {
            TestDomain d = find(dom);
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "cannot undefine transient domain");
            }
            host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
            if (d.isActive()) {
                d.persistent = null;
                d.autostart = false;
            } else {
                host.remove(d);
            }
        }
    }

    @Override
    public boolean getAutostart(DomainRef dom) {
        synchronized (host) {
            return find(dom).autostart;
        }
    }

    @Override
    public void setAutostart(DomainRef dom, boolean autostart) {
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
    public long maxMemory(DomainRef dom) {
        synchronized (host) {
            return find(dom).current().getMemoryKiB();
        }
    }

    @Override
    public void setMaxMemory(DomainRef dom, long kib) {
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
    public void setMemory(DomainRef dom, long kib, int flags) {
        synchronized (host) {
            TestDomain d = find(dom);
            boolean max = (flags & MemoryFlag.MAXIMUM.bit()) != 0;
            for (DomainDef def : defs(d, flags & (MemoryFlag.LIVE.bit() | MemoryFlag.CONFIG.bit()))) {
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
    public void setVcpus(DomainRef dom, int count, int flags) {
        synchronized (host) {
            if (count > MAX_VCPUS) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "requested cpu amount exceeds maximum supported amount (" + count + " > " + MAX_VCPUS + ")");
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
                if (!max && count > def.getVcpus()) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                            "requested cpu amount exceeds maximum (" + count + " > " + def.getVcpus() + ")");
                }
            }
            for (DomainDef def : targets) {
                if (max) {
                    def.setVcpus(count);
                    if (def.getCurrentVcpus() > count) {
                        def.setCurrentVcpus(count);
                    }
                } else {
                    def.setCurrentVcpus(count == def.getVcpus() ? 0 : count);
                }
            }
        }
    }

    /** The definitions a LIVE/CONFIG flag pair selects (none set: the current state). */
    private List<DomainDef> defs(TestDomain d, int where) {
        boolean live = (where & ModifyFlag.LIVE.bit()) != 0;
        boolean config = (where & ModifyFlag.CONFIG.bit()) != 0;
        if (!live && !config) {
            live = d.isActive();
            config = !live;
        }
        List<DomainDef> out = new ArrayList<>(2);
        if (live) {
            if (!d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "domain is not running");
            }
            out.add(d.live);
        }
        if (config) {
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "transient domains do not have any persistent config");
            }
            out.add(d.persistent);
        }
        return out;
    }

    @Override
    public int maxVcpus(DomainRef dom) {
        synchronized (host) {
            return find(dom).current().getVcpus();
        }
    }

    @Override
    public List<VcpuInfo> vcpus(DomainRef dom) {
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
            List<VcpuInfo> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                BitSet map = d.pinning.getOrDefault(i, all);
                out.add(new VcpuInfo(i, 1, base / 10, map.length() - 1, map));
            }
            return out;
        }
    }

    @Override
    public void pinVcpu(DomainRef dom, int vcpu, BitSet cpus) {
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
            if (cpus.length() > host.node.maxCpus()) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "cpu " + (cpus.length() - 1) + " is not present on the host");
            }
            d.pinning.put(vcpu, cpus);
        }
    }

    @Override
    public String schedulerType(DomainRef dom) {
        synchronized (host) {
            find(dom);
            return "fair";
        }
    }

    @Override
    public List<TypedParameter> schedulerParameters(DomainRef dom) {
        synchronized (host) {
            return List.of(TypedParameter.ofUInt("weight", find(dom).schedulerWeight));
        }
    }

    @Override
    public void setSchedulerParameters(DomainRef dom, List<TypedParameter> params) {
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

    // ---- devices -----------------------------------------------------------------------------------

    @Override
    public void attachDevice(DomainRef dom, String xml, int flags) {
        DeviceDef dev = DomainXml.parseDevice(xml);
        synchronized (host) {
            TestDomain d = find(dom);
            List<DomainDef> targets = defs(d, flags);
            for (DomainDef def : targets) {
                checkNoClash(def, dev);
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
    public void detachDevice(DomainRef dom, String xml, int flags) {
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

    private static void checkNoClash(DomainDef def, DeviceDef dev) {
        if (dev instanceof DiskDef disk) {
            for (DiskDef other : def.getDisks()) {
                if (other.getTargetDev() != null && other.getTargetDev().equals(disk.getTargetDev())) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.TEST,
                            "target " + disk.getTargetDev() + " already exists");
                }
            }
        } else if (dev instanceof InterfaceDef nic && nic.getMac() != null) {
            for (InterfaceDef other : def.getInterfaces()) {
                if (nic.getMac().equalsIgnoreCase(String.valueOf(other.getMac()))) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.TEST,
                            "interface with MAC " + nic.getMac() + " already exists");
                }
            }
        } else if (!(dev instanceof InterfaceDef)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.TEST,
                    "the test driver attaches and detaches disks and interfaces only");
        }
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

    @Override
    public BlockStats blockStats(DomainRef dom, String device) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            boolean known = d.live.getDisks().stream().anyMatch(k -> device.equals(k.getTargetDev())
                    || device.equals(k.getSourcePath()));
            if (!known) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST, "invalid path: " + device);
            }
        }
        long base = System.currentTimeMillis() * 1000L;
        return new BlockStats(base / 10, base / 20, base / 30, base / 40, base / 2_000_000L);
    }

    @Override
    public InterfaceStats interfaceStats(DomainRef dom, String device) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
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

    // ---- migration between test hosts of this process -----------------------------------------------

    @Override
    public MigrationStep migrateBegin(DomainRef dom, int flags) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            String xml = DomainXml.format(d.live, new DomainXml.Format(-1, true, false));
            return new MigrationStep(xml, stateCookie(d.state == DomainState.PAUSED));
        }
    }

    @Override
    public MigrationStep migratePrepare(String xml, byte[] cookie, String uri, int flags, String newName) {
        DomainDef def = DomainXml.parse(xml, host.hooks);
        if (newName != null) {
            def.setName(newName);
        }
        synchronized (host) {
            checkUnique(def, true);
            host.incoming.put(def.getName(), def);
            return new MigrationStep(this.uri, cookie);
        }
    }

    @Override
    public byte[] migratePerform(DomainRef dom, String uri, byte[] cookie, int flags, long bandwidthMiBs,
            ProgressListener progress) {
        synchronized (host) {
            TestDomain d = requireActive(find(dom));
            long total = currentMemory(d.live);
            for (int i = 1; i <= 4; i++) {
                progress.progress(total * i / 4, total);
            }
            boolean paused = d.state == DomainState.PAUSED || (flags & MigrateFlag.PAUSED.bit()) != 0;
            d.setState(DomainState.PAUSED, DomainStatus.PAUSED_MIGRATION);
            return stateCookie(paused);
        }
    }

    @Override
    public DomainRef migrateFinish(String name, byte[] cookie, int flags, boolean cancelled) {
        synchronized (host) {
            DomainDef def = host.incoming.remove(name);
            if (def == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "no incoming migration of domain '" + name + "'");
            }
            if (cancelled) {
                return null;
            }
            TestDomain d = checkUnique(def, true);
            if (d == null) {
                d = new TestDomain((flags & MigrateFlag.PERSIST_DEST.bit()) != 0 ? def.copy() : null);
                host.put(d);
            } else if ((flags & MigrateFlag.PERSIST_DEST.bit()) != 0) {
                d.persistent = def.copy();
            }
            d.live = def;
            host.start(d, DomainStatus.RUNNING_MIGRATED);
            host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_MIGRATED);
            if (cookie != null && cookie.length > 0 && cookie[0] == 1) {
                d.setState(DomainState.PAUSED, DomainStatus.PAUSED_MIGRATION);
                host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_MIGRATED);
            }
            return d.ref();
        }
    }

    @Override
    public void migrateConfirm(DomainRef dom, byte[] cookie, int flags, boolean cancelled) {
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
