package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.BlockStats;
import org.jvirt.api.CreateFlag;
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
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.driver.qemu.internal.caps.QemuCaps;
import org.jvirt.driver.qemu.internal.command.QemuCommandLine;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.driver.qemu.internal.state.AtomicFiles;
import org.jvirt.driver.qemu.internal.state.SaveImage;
import org.jvirt.spi.DomainFilter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.MigrationStep;
import org.jvirt.xml.ControllerDef;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InterfaceDef;

/** One connection to a QEMU driver root. All state lives in the shared {@link QemuHost}. */
final class QemuConnection implements DriverConnection {
    private final QemuDriver driver;
    private final QemuHost host;
    private final EventSink sink;
    private boolean closed;

    QemuConnection(QemuDriver driver, QemuHost host, EventSink sink) {
        this.driver = driver;
        this.host = host;
        this.sink = sink;
        host.sinks.add(sink);
    }

    // ---- the connection --------------------------------------------------------------------------

    @Override
    public String type() {
        return "QEMU";
    }

    @Override
    public String uri() {
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
    public long version() {
        return defaultCaps().version();
    }

    @Override
    public int maxVcpus(String type) {
        QemuCaps c = defaultCaps();
        QemuCaps.Machine m = c.machine(c.defaultMachine());
        return m == null ? 1 : m.maxCpus();
    }

    @Override
    public String capabilities() {
        return QemuHostInfo.capabilities(host);
    }

    @Override
    public NodeInfo nodeInfo() {
        return QemuHostInfo.nodeInfo();
    }

    @Override
    public long freeMemory() {
        return QemuHostInfo.meminfo("MemFree") * 1024;
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
        driver.release(host);
    }

    // ---- listing and lookup ------------------------------------------------------------------------

    @Override
    public int[] listDomainIds() {
        return host.all().stream().filter(QemuDomain::isActive).mapToInt(d -> d.id).sorted().toArray();
    }

    @Override
    public List<String> listDefinedDomainNames() {
        return host.all().stream().filter(d -> !d.isActive()).map(QemuDomain::name).sorted().toList();
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        List<DomainRef> out = new ArrayList<>();
        for (QemuDomain d : host.all()) {
            synchronized (d) {
                if (d.removed) {
                    continue;
                }
                boolean managed = d.persistent != null && Files.exists(managedSavePath(d.name()));
                if (flags == 0 || DomainFilter.matches(flags, d.state, d.persistent != null, d.autostart, managed,
                        false, false)) {
                    out.add(d.ref());
                }
            }
        }
        return out;
    }

    @Override
    public DomainRef lookupById(int id) {
        for (QemuDomain d : host.all()) {
            if (d.id == id && id > 0) {
                return d.ref();
            }
        }
        throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching id " + id);
    }

    @Override
    public DomainRef lookupByName(String name) {
        QemuDomain d;
        synchronized (host) {
            d = host.byName.get(name);
        }
        if (d == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching name '" + name + "'");
        }
        return d.ref();
    }

    @Override
    public DomainRef lookupByUUID(UUID uuid) {
        QemuDomain d;
        synchronized (host) {
            d = host.byUuid.get(uuid);
        }
        if (d == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching uuid '" + uuid + "'");
        }
        return d.ref();
    }

    /** The domain a ref names. */
    private QemuDomain find(DomainRef ref) {
        QemuDomain d;
        synchronized (host) {
            d = host.byUuid.get(ref.uuid());
        }
        if (d == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU,
                    "no domain with matching uuid '" + ref.uuid() + "' (" + ref.name() + ")");
        }
        return d;
    }

    private static void requireActive(QemuDomain d) {
        if (!d.isActive() || d.proc == null) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
        }
    }

    private static void checkNotRemoved(QemuDomain d) {
        if (d.removed) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "domain no longer exists");
        }
    }

    // ---- creation ----------------------------------------------------------------------------------

    /** The existing domain a new definition replaces, or null; refuses clashes of name or uuid. */
    private QemuDomain checkUnique(DomainDef def, boolean mustBeInactive) {
        synchronized (host) {
            QemuDomain byName = host.byName.get(def.getName());
            QemuDomain byUuid = host.byUuid.get(def.getUuid());
            if (byName != null && byName != byUuid) {
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "domain '" + def.getName()
                        + "' already exists with uuid " + byName.uuid());
            }
            if (byUuid != null && byName == null) {
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "domain '" + byUuid.name()
                        + "' is already defined with uuid " + def.getUuid());
            }
            if (mustBeInactive && byName != null && byName.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '" + def.getName()
                        + "' is already active");
            }
            return byName;
        }
    }

    @Override
    public DomainRef defineXML(String xml) {
        DomainDef def = DomainXml.parse(xml, host.hooks);
        while (true) {
            QemuDomain d;
            boolean created = false;
            synchronized (host) {
                d = checkUnique(def, false);
                if (d == null) {
                    d = new QemuDomain(def);
                    host.writeConfig(def);
                    host.put(d);
                    created = true;
                }
            }
            synchronized (d) {
                if (created) {
                    host.emit(d, DomainEventType.DEFINED, DomainEventType.DEFINED_ADDED);
                    return d.ref();
                }
                if (d.removed) {
                    continue;
                }
                host.writeConfig(def);
                d.persistent = def;
                host.emit(d, DomainEventType.DEFINED, DomainEventType.DEFINED_UPDATED);
                return d.ref();
            }
        }
    }

    @Override
    public DomainRef createXML(String xml) {
        return createXML(xml, 0);
    }

    @Override
    public DomainRef createXML(String xml, int flags) {
        boolean paused = startFlags(flags, "qemuDomainCreateXML");
        DomainDef def = DomainXml.parse(xml, host.hooks);
        Claim claim = claim(def);
        QemuDomain d = claim.domain();
        synchronized (d) {
            try {
                checkNotRemoved(d);
                if (d.isActive()) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '"
                            + def.getName() + "' is already active");
                }
                host.start(d, def, paused, DomainStatus.RUNNING_BOOTED, DomainEventType.STARTED_BOOTED);
                return d.ref();
            } catch (RuntimeException e) {
                unclaim(claim, def);
                throw e;
            }
        }
    }

    /** The domain a new live definition runs as, and whether it was registered (transient) just now. */
    private record Claim(QemuDomain domain, boolean created) {
    }

    /** Finds the inactive domain a definition belongs to, or registers a new transient one for it. */
    private Claim claim(DomainDef def) {
        synchronized (host) {
            QemuDomain d = checkUnique(def, true);
            if (d != null) {
                return new Claim(d, false);
            }
            d = new QemuDomain(null);
            d.live = def; // registered under this definition's name and uuid
            host.put(d);
            d.live = null;
            return new Claim(d, true);
        }
    }

    /** Forgets a transient domain that {@link #claim} registered when starting it failed. */
    private void unclaim(Claim claim, DomainDef def) {
        QemuDomain d = claim.domain();
        if (claim.created() && d.proc == null && !d.removed && d.persistent == null) {
            d.live = def;
            host.remove(d);
            d.live = null;
        }
    }

    @Override
    public String domainXMLToNative(String nativeFormat, String xml) {
        if (!"qemu-argv".equals(nativeFormat)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "unsupported config type " + nativeFormat + " (the QEMU driver writes qemu-argv)");
        }
        DomainDef def = DomainXml.parse(xml, host.hooks);
        List<String> argv = nativeArgv(def, host.config.runDir());
        StringBuilder sb = new StringBuilder("LC_ALL=C");
        for (String a : argv) {
            sb.append(' ').append(QemuProcess.shellQuote(a));
        }
        return sb.append('\n').toString();
    }

    /** The command line a definition would run with, with placeholder ports and tap names. */
    static List<String> nativeArgv(DomainDef def, Path runDir) {
        int[] tap = {0};
        QemuCommandLine.Context ctx = new QemuCommandLine.Context(QemuHost.domainRunDir(runDir, -1, def.getName())
                        .resolve("monitor.sock"),
                "127.0.0.1", () -> 5900, () -> "vnet" + tap[0]++, n -> "virbr0", null);
        QemuCommandLine.prepareLive(def, ctx);
        return QemuCommandLine.build(def, ctx).argv();
    }

    // ---- one domain --------------------------------------------------------------------------------

    @Override
    public String osType(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return d.current().getOs().getType();
        }
    }

    @Override
    public DomainInfo info(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            DomainDef def = d.current();
            long cpu = 0;
            if (d.proc != null) {
                cpu = QemuHostInfo.processCpuNs(d.proc.pid());
            }
            return new DomainInfo(d.state, def.getMemoryKiB(), def.effectiveCurrentMemoryKiB(),
                    def.effectiveCurrentVcpus(), cpu);
        }
    }

    @Override
    public DomainStatus state(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return new DomainStatus(d.state, d.reason);
        }
    }

    @Override
    public String xmlDesc(DomainRef dom, int flags) {
        QemuDomain d = find(dom);
        synchronized (d) {
            boolean inactive = (flags & XmlFlag.INACTIVE.bit()) != 0 && d.persistent != null;
            DomainDef def = inactive ? d.persistent : d.current();
            int id = inactive ? -1 : d.id;
            return DomainXml.format(def, new DomainXml.Format(id, (flags & XmlFlag.SECURE.bit()) != 0, inactive));
        }
    }

    @Override
    public boolean isActive(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return d.isActive();
        }
    }

    @Override
    public boolean isPersistent(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return d.persistent != null;
        }
    }

    /** Whether to leave the guest paused; refuses every other start flag. */
    private static boolean startFlags(int flags, String function) {
        int unknown = flags & ~CreateFlag.PAUSED.bit();
        if (unknown != 0) {
            throw DriverConnection.unsupportedFlags(unknown, function);
        }
        return flags != 0;
    }

    @Override
    public DomainRef create(DomainRef dom) {
        return create(dom, 0);
    }

    @Override
    public DomainRef create(DomainRef dom, int flags) {
        boolean paused = startFlags(flags, "qemuDomainCreateWithFlags");
        QemuDomain d = find(dom);
        synchronized (d) {
            checkNotRemoved(d);
            if (d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '" + d.name()
                        + "' is already running");
            }
            Path managed = managedSavePath(d.name());
            if (Files.exists(managed)) {
                restoreInto(d, managed, ProgressListener.NONE, d.persistent.copy());
                QemuHost.deleteQuietly(managed);
                return d.ref();
            }
            host.start(d, d.persistent.copy(), paused, DomainStatus.RUNNING_BOOTED, DomainEventType.STARTED_BOOTED);
            return d.ref();
        }
    }

    private Path managedSavePath(String name) {
        return host.config.stateDir().resolve("save").resolve(name + ".save");
    }

    @Override
    public void destroy(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            host.destroyProcess(d, DomainStatus.SHUTOFF_DESTROYED, DomainEventType.STOPPED_DESTROYED);
        }
    }

    @Override
    public void shutdown(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            if (d.state != DomainState.RUNNING && d.state != DomainState.PAUSED) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
            }
            d.proc.monitor().execute("system_powerdown", null);
        }
    }

    @Override
    public void reboot(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            d.fakeReboot = true;
            try {
                d.proc.monitor().execute("system_powerdown", null);
            } catch (RuntimeException e) {
                d.fakeReboot = false;
                throw e;
            }
        }
    }

    @Override
    public void suspend(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            if (d.state == DomainState.PAUSED) {
                return;
            }
            d.expectStop++;
            try {
                d.proc.monitor().execute("stop", null);
            } catch (RuntimeException e) {
                d.expectStop--;
                throw e;
            }
            host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_USER);
            host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
        }
    }

    @Override
    public void resume(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            if (d.state == DomainState.RUNNING) {
                return;
            }
            if (d.state != DomainState.PAUSED) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "domain is " + d.state.label() + ", not paused");
            }
            host.cont(d, DomainStatus.RUNNING_UNPAUSED);
            host.emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
        }
    }

    // ---- save, restore, core dump ------------------------------------------------------------------

    @Override
    public void save(DomainRef dom, String file, ProgressListener progress) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            Path path = Path.of(file).toAbsolutePath();
            boolean wasRunning = d.state == DomainState.RUNNING;
            QemuMonitor m = d.proc.monitor();
            if (wasRunning) {
                d.expectStop++;
                m.execute("stop", null);
                host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_SAVE);
            }
            try {
                DomainDef mig = migratable(d.live);
                SaveImage img = SaveImage.writeHeader(path, DomainXml.format(mig, new DomainXml.Format(-1, true, false)),
                        !wasRunning);
                m.execute("migrate-set-parameters", QmpJson.obj("max-bandwidth", Long.MAX_VALUE / 2));
                m.execute("migrate", QmpJson.obj("uri", "exec:cat >> " + SaveImage.shq(path.toString())));
                waitMigration(m, progress);
                fsync(path);
            } catch (RuntimeException e) {
                QemuHost.deleteQuietly(path);
                if (wasRunning && d.proc != null) {
                    try {
                        host.cont(d, DomainStatus.RUNNING_UNPAUSED);
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            host.destroyProcess(d, DomainStatus.SHUTOFF_SAVED, DomainEventType.STOPPED_SAVED);
        }
    }

    private static void fsync(Path p) {
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.WRITE_FAILED, ErrorDomain.QEMU, "cannot sync " + p + ": " + e, e);
        }
    }

    /** The live definition as another QEMU should receive it: no host-specific tap names, ports or ptys. */
    private static DomainDef migratable(DomainDef live) {
        DomainDef def = live.copy();
        for (InterfaceDef i : def.getInterfaces()) {
            if (i.getTargetDev() != null && i.getTargetDev().startsWith("vnet")) {
                i.setTargetDev(null);
            }
        }
        for (GraphicsDef g : def.getGraphics()) {
            if (g.isAutoport()) {
                g.setPort(-1);
            }
        }
        for (var s : def.getSerials()) {
            if ("pty".equals(s.getType())) {
                s.setSourcePath(null);
            }
        }
        for (var s : def.getConsoles()) {
            if ("pty".equals(s.getType())) {
                s.setSourcePath(null);
            }
        }
        return def;
    }

    /** Polls query-migrate until the outgoing migration ends; reports RAM progress. */
    private static void waitMigration(QemuMonitor m, ProgressListener progress) {
        long sleep = 2;
        while (true) {
            JsonNode r = m.execute("query-migrate", null);
            String status = QmpJson.str(r, "status");
            JsonNode ram = r.path("ram");
            long total = ram.path("total").asLong(0);
            long done = total - ram.path("remaining").asLong(total);
            if ("completed".equals(status)) {
                progress.progress(total, total);
                return;
            }
            if ("failed".equals(status) || "cancelled".equals(status)) {
                String err = QmpJson.str(r, "error-desc");
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                        "migration " + status + (err == null ? "" : ": " + err));
            }
            if (total > 0) {
                progress.progress(Math.max(0, done), total);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                m.send("migrate_cancel", null);
                throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "migration interrupted");
            }
            sleep = Math.min(sleep * 2, 50);
        }
    }

    @Override
    public DomainRef restore(String file, ProgressListener progress) {
        Path path = Path.of(file).toAbsolutePath();
        SaveImage img = SaveImage.read(path);
        DomainDef def = DomainXml.parse(img.xml(), host.hooks);
        Claim claim = claim(def);
        QemuDomain d = claim.domain();
        synchronized (d) {
            try {
                checkNotRemoved(d);
                if (d.isActive()) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '"
                            + def.getName() + "' is already active");
                }
                restoreInto(d, path, progress, def);
                return d.ref();
            } catch (RuntimeException e) {
                unclaim(claim, def);
                throw e;
            }
        }
    }

    private void restoreInto(QemuDomain d, Path path, ProgressListener progress, DomainDef fallback) {
        SaveImage img = SaveImage.read(path);
        DomainDef def = DomainXml.parse(img.xml(), host.hooks);
        long skip = img.dataOffset() / SaveImage.ALIGN;
        long size;
        try {
            size = Files.size(path) - img.dataOffset();
        } catch (IOException e) {
            size = 0;
        }
        host.startProcess(d, def, "defer");
        QemuMonitor m = d.proc.monitor();
        try {
            m.execute("migrate-incoming", QmpJson.obj("uri", "exec:dd if=" + SaveImage.shq(path.toString())
                    + " bs=" + SaveImage.ALIGN + " skip=" + skip + " 2>/dev/null"));
            waitIncoming(m, d.proc, progress, size);
        } catch (RuntimeException e) {
            String log = d.proc.logSinceStart();
            host.destroyProcess(d, DomainStatus.SHUTOFF_FAILED, DomainEventType.STOPPED_FAILED);
            throw log.isEmpty() ? e : new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "restore failed: " + log, e);
        }
        host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_RESTORED);
        if (img.paused()) {
            host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_USER);
            host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
        } else {
            host.cont(d, DomainStatus.RUNNING_RESTORED);
        }
        host.writeStatus(d);
    }

    /** Waits until an incoming migration has been received (QEMU leaves "inmigrate"). */
    private static void waitIncoming(QemuMonitor m, QemuProcess p, ProgressListener progress, long size) {
        long sleep = 2;
        while (true) {
            String status = QmpJson.str(m.execute("query-status", null), "status");
            if (!"inmigrate".equals(status)) {
                JsonNode r = m.execute("query-migrate", null);
                String ms = QmpJson.str(r, "status");
                if ("failed".equals(ms)) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "incoming migration failed"
                            + (QmpJson.str(r, "error-desc") == null ? "" : ": " + QmpJson.str(r, "error-desc")));
                }
                progress.progress(size, size);
                return;
            }
            if (!p.isAlive()) {
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "QEMU exited while receiving");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted");
            }
            sleep = Math.min(sleep * 2, 50);
        }
    }

    @Override
    public void coreDump(DomainRef dom, String file, ProgressListener progress) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            Path path = Path.of(file).toAbsolutePath();
            QemuMonitor m = d.proc.monitor();
            boolean wasRunning = d.state == DomainState.RUNNING;
            d.expectStop++;
            d.expectResume++;
            try {
                m.execute("dump-guest-memory", QmpJson.obj("paging", false, "protocol", "file:" + path, "detach", true));
            } catch (RuntimeException e) {
                d.expectStop--;
                d.expectResume--;
                throw e;
            }
            if (wasRunning) {
                host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_DUMP);
            }
            try {
                long sleep = 2;
                while (true) {
                    JsonNode r = m.execute("query-dump", null);
                    String status = QmpJson.str(r, "status");
                    long total = r.path("total").asLong(0);
                    progress.progress(r.path("completed").asLong(0), total);
                    if ("completed".equals(status)) {
                        break;
                    }
                    if ("failed".equals(status)) {
                        throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                                "dump of guest memory to " + path + " failed");
                    }
                    Thread.sleep(sleep);
                    sleep = Math.min(sleep * 2, 50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted");
            } finally {
                if (wasRunning && d.proc != null) {
                    host.setState(d, DomainState.RUNNING, DomainStatus.RUNNING_UNPAUSED);
                }
            }
        }
    }

    @Override
    public void undefine(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot undefine transient domain");
            }
            AtomicFiles.delete(host.configFile(d.name()));
            QemuHost.deleteQuietly(host.autostartLink(d.name()));
            host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
            d.autostart = false;
            if (d.isActive()) {
                d.persistent = null;
            } else {
                host.remove(d);
            }
        }
    }

    @Override
    public boolean getAutostart(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return d.autostart;
        }
    }

    @Override
    public void setAutostart(DomainRef dom, boolean autostart) {
        QemuDomain d = find(dom);
        synchronized (d) {
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "cannot set autostart for transient domain");
            }
            Path link = host.autostartLink(d.name());
            if (autostart) {
                AtomicFiles.write(link, host.configFile(d.name()) + "\n");
            } else {
                AtomicFiles.delete(link);
            }
            d.autostart = autostart;
        }
    }

    // ---- resources -----------------------------------------------------------------------------------

    @Override
    public long maxMemory(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return d.current().getMemoryKiB();
        }
    }

    @Override
    public void setMaxMemory(DomainRef dom, long kib) {
        setMemory(dom, kib, MemoryFlag.MAXIMUM.bit());
    }

    @Override
    public void setMemory(DomainRef dom, long kib, int flags) {
        QemuDomain d = find(dom);
        synchronized (d) {
            boolean max = (flags & MemoryFlag.MAXIMUM.bit()) != 0;
            boolean[] where = where(d, flags);
            if (max && where[0]) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "cannot resize the maximum memory on an active domain");
            }
            if (where[0]) {
                if (kib > d.live.getMemoryKiB()) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                            "cannot set memory higher than max memory");
                }
                if (d.live.getMemballoon() == null || !"virtio".equals(d.live.getMemballoon().getModel())) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                            "Unable to change memory of active domain without the balloon device");
                }
                d.proc.monitor().execute("balloon", QmpJson.obj("value", kib * 1024));
                d.live.setCurrentMemoryKiB(kib);
                host.writeStatus(d);
            }
            if (where[1]) {
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

    /** Which of live and config a LIVE/CONFIG flag pair selects (none set: the current state). */
    private static boolean[] where(QemuDomain d, int flags) {
        boolean live = (flags & ModifyFlag.LIVE.bit()) != 0;
        boolean config = (flags & ModifyFlag.CONFIG.bit()) != 0;
        if (!live && !config) {
            live = d.isActive();
            config = !live;
        }
        if (live && (!d.isActive() || d.proc == null)) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
        }
        if (config && d.persistent == null) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                    "transient domains do not have any persistent config");
        }
        return new boolean[] {live, config};
    }

    @Override
    public void setVcpus(DomainRef dom, int count, int flags) {
        QemuDomain d = find(dom);
        synchronized (d) {
            if (count < 1) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "vcpu count must be at least 1");
            }
            boolean max = (flags & VcpuFlag.MAXIMUM.bit()) != 0;
            boolean[] where = where(d, flags & (VcpuFlag.LIVE.bit() | VcpuFlag.CONFIG.bit()));
            if (where[0]) {
                if (max) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                            "cannot change the maximum vcpu count of a running domain");
                }
                QemuVcpus.setLive(d, count);
                if (d.cgroup != null) {
                    d.cgroup.placeVcpus(QemuVcpus.threads(d.proc.monitor()));
                }
                host.writeStatus(d);
            }
            if (where[1]) {
                DomainDef def = d.persistent.copy();
                if (max) {
                    def.setVcpus(count);
                    if (def.getCurrentVcpus() > count) {
                        def.setCurrentVcpus(0);
                    }
                } else {
                    if (count > def.getVcpus()) {
                        throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                                "requested vcpus is greater than max allowable vcpus for the persistent domain: "
                                        + count + " > " + def.getVcpus());
                    }
                    def.setCurrentVcpus(count == def.getVcpus() ? 0 : count);
                }
                host.hooks.validate(def);
                host.writeConfig(def);
                d.persistent = def;
            }
        }
    }

    @Override
    public int maxVcpus(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return d.current().getVcpus();
        }
    }

    @Override
    public List<VcpuInfo> vcpus(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            return QemuVcpus.info(d);
        }
    }

    @Override
    public void pinVcpu(DomainRef dom, int vcpu, BitSet cpus) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            QemuVcpus.pin(d, vcpu, cpus);
        }
    }

    // ---- devices --------------------------------------------------------------------------------------

    @Override
    public void attachDevice(DomainRef dom, String xml, int flags) {
        DeviceDef parsed = DomainXml.parseDevice(xml);
        if (!(parsed instanceof DiskDef) && !(parsed instanceof InterfaceDef)) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, "attaching <"
                    + parsed.getElementName() + "> is not supported; disks and interfaces are");
        }
        QemuDomain d = find(dom);
        synchronized (d) {
            boolean[] where = where(d, flags);
            DomainDef newLive = null;
            DomainDef newConfig = null;
            if (where[1]) {
                newConfig = withDevice(d.persistent, DomainXml.parseDevice(xml));
            }
            if (where[0]) {
                newLive = withDevice(d.live, DomainXml.parseDevice(xml));
                attachLive(d, newLive);
            }
            if (newConfig != null) {
                host.writeConfig(newConfig);
                d.persistent = newConfig;
            }
        }
    }

    /** A copy of a definition with the device added, defaults filled and validated. */
    private DomainDef withDevice(DomainDef def, DeviceDef dev) {
        if (dev instanceof DiskDef disk) {
            for (DiskDef other : def.getDisks()) {
                if (disk.getTargetDev().equals(other.getTargetDev())) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                            "target " + disk.getTargetDev() + " already exists");
                }
            }
        } else if (dev instanceof InterfaceDef nic && nic.getMac() != null) {
            for (InterfaceDef other : def.getInterfaces()) {
                if (nic.getMac().equalsIgnoreCase(String.valueOf(other.getMac()))) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                            "interface with MAC " + nic.getMac() + " already exists");
                }
            }
        }
        DomainDef work = def.copy();
        work.addDevice(dev);
        host.hooks.postParse(work);
        host.hooks.validate(work);
        return work;
    }

    private void attachLive(QemuDomain d, DomainDef work) {
        QemuMonitor m = d.proc.monitor();
        Set<String> known = new HashSet<>();
        for (DeviceDef x : d.live.getAllDevices()) {
            if (x.getAlias() != null) {
                known.add(x.getAlias());
            }
        }
        int[] tap = {0};
        QemuCommandLine.prepareLive(work, new QemuCommandLine.Context(m.path(), host.config.vncListen(),
                () -> 5900, () -> {
                    String n;
                    do {
                        n = "vnet" + (1000 + d.id * 10 + tap[0]++);
                    } while (Files.exists(Path.of("/sys/class/net", n)));
                    return n;
                }, host::networkBridge, null));
        for (ControllerDef c : work.getControllers()) {
            if (!known.contains(c.getAlias())) {
                ObjectNode props = QmpJson.obj("driver",
                        org.jvirt.driver.qemu.internal.command.QemuDevices.controllerDevice(c.getType(), c.getModel()),
                        "id", c.getAlias());
                if (props.get("driver") != null) {
                    var a = c.getAddress();
                    if (a != null) {
                        props.put("bus", QemuCommandLine.pciBus(work));
                        props.put("addr", String.format("0x%x", Integer.decode(a.get("slot"))));
                    }
                    m.execute("device_add", props);
                }
            }
        }
        for (DiskDef disk : work.getDisks()) {
            if (!known.contains(disk.getAlias())) {
                QemuHost.checkDisk(disk);
                QemuHotplug.attachDisk(m, work, disk);
            }
        }
        for (InterfaceDef nic : work.getInterfaces()) {
            if (!known.contains(nic.getAlias())) {
                String bridge = switch (nic.getType()) {
                    case "bridge" -> nic.getSourceBridge();
                    case "network" -> host.networkBridge(nic.getSourceNetwork());
                    default -> null;
                };
                QemuHotplug.attachNic(m, work, nic, bridge);
            }
        }
        d.live = work;
        host.writeStatus(d);
    }

    @Override
    public void detachDevice(DomainRef dom, String xml, int flags) {
        DeviceDef partial = DomainXml.parsePartialDevice(xml);
        if (!(partial instanceof DiskDef) && !(partial instanceof InterfaceDef)) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, "detaching <"
                    + partial.getElementName() + "> is not supported; disks and interfaces are");
        }
        QemuDomain d = find(dom);
        synchronized (d) {
            boolean[] where = where(d, flags);
            DomainDef newConfig = null;
            if (where[1]) {
                newConfig = d.persistent.copy();
                DeviceDef found = DomainXml.findDevice(newConfig, partial);
                if (found == null) {
                    throw missing(partial);
                }
                newConfig.removeDevice(found);
            }
            if (where[0]) {
                DeviceDef found = DomainXml.findDevice(d.live, partial);
                if (found == null) {
                    throw missing(partial);
                }
                detachLive(d, found);
            }
            if (newConfig != null) {
                host.writeConfig(newConfig);
                d.persistent = newConfig;
            }
        }
    }

    private static VirtException missing(DeviceDef partial) {
        return new VirtException(ErrorCode.DEVICE_MISSING, ErrorDomain.QEMU,
                "matching device not found: " + DomainXml.formatDevice(partial).trim());
    }

    private void detachLive(QemuDomain d, DeviceDef dev) {
        String id = dev.getAlias();
        if (dev instanceof DiskDef disk && !"virtio".equals(disk.getTargetBus()) && !"scsi".equals(disk.getTargetBus())) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                    "disk bus '" + disk.getTargetBus() + "' cannot be hot-unplugged (virtio and scsi can)");
        }
        QemuMonitor m = d.proc.monitor();
        CompletableFuture<Void> gone = new CompletableFuture<>();
        d.unplugs.put(id, gone);
        try {
            m.execute("device_del", QmpJson.obj("id", id));
        } catch (RuntimeException e) {
            d.unplugs.remove(id);
            throw e;
        }
        long timeout = host.config.detachTimeoutMs();
        try {
            gone.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            d.unplugs.remove(id);
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU, "device '" + id
                    + "' was not removed within " + timeout + " ms: the guest has not released it (an unplug "
                    + "request is pending; it is dropped from the domain when the guest lets go)");
        } catch (ExecutionException e) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "detaching '" + id + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted");
        }
        DomainDef work = d.live.copy();
        DeviceDef copy = DomainXml.findDevice(work, partialOf(dev));
        if (dev instanceof DiskDef disk) {
            QemuHotplug.releaseDisk(m, disk);
        } else if (dev instanceof InterfaceDef nic) {
            QemuHotplug.releaseNic(m, nic);
        }
        if (copy != null) {
            work.removeDevice(copy);
        }
        d.live = work;
        host.writeStatus(d);
    }

    private static DeviceDef partialOf(DeviceDef dev) {
        return dev;
    }

    @Override
    public BlockStats blockStats(DomainRef dom, String device) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            DiskDef disk = null;
            for (DiskDef k : d.live.getDisks()) {
                if (device.equals(k.getTargetDev()) || device.equals(k.getSourcePath())) {
                    disk = k;
                }
            }
            if (disk == null) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid path: " + device);
            }
            JsonNode r = d.proc.monitor().execute("query-blockstats", null);
            if (r.isArray()) {
                for (JsonNode o : r) {
                    String qdev = QmpJson.str(o, "qdev");
                    String node = QmpJson.str(o, "node-name");
                    if (qdev != null && (qdev.equals(disk.getAlias()) || qdev.contains("/" + disk.getAlias() + "/"))
                            || QemuCommandLine.formatNode(disk).equals(node)) {
                        JsonNode s = o.path("stats");
                        return new BlockStats(s.path("rd_operations").asLong(-1), s.path("rd_bytes").asLong(-1),
                                s.path("wr_operations").asLong(-1), s.path("wr_bytes").asLong(-1),
                                s.path("failed_rd_operations").asLong(0) + s.path("failed_wr_operations").asLong(0));
                    }
                }
            }
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU,
                    "QEMU reports no statistics for disk " + disk.getTargetDev());
        }
    }

    @Override
    public InterfaceStats interfaceStats(DomainRef dom, String device) {
        QemuDomain d = find(dom);
        String tap;
        synchronized (d) {
            requireActive(d);
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

    @Override
    public String schedulerType(DomainRef dom) {
        QemuDomain d = find(dom);
        requireCgroups();
        synchronized (d) {
            checkNotRemoved(d);
            return "posix";
        }
    }

    @Override
    public List<TypedParameter> schedulerParameters(DomainRef dom) {
        QemuDomain d = find(dom);
        requireCgroups();
        synchronized (d) {
            checkNotRemoved(d);
            if (d.isActive() && d.proc != null) {
                return QemuScheduler.live(cgroupOf(d));
            }
            return QemuScheduler.config(d.current());
        }
    }

    /** Live when running (and recorded in the live XML's cputune), else the persistent {@code <cputune>}. */
    @Override
    public void setSchedulerParameters(DomainRef dom, List<TypedParameter> params) {
        QemuDomain d = find(dom);
        requireCgroups();
        Map<String, Long> values = QemuScheduler.validate(params);
        synchronized (d) {
            checkNotRemoved(d);
            boolean[] where = where(d, 0);
            if (where[0]) {
                QemuScheduler.applyLive(cgroupOf(d), values);
                QemuScheduler.store(d.live, values);
                host.writeStatus(d);
            }
            if (where[1]) {
                DomainDef def = d.persistent.copy();
                QemuScheduler.store(def, values);
                host.writeConfig(def);
                d.persistent = def;
            }
        }
    }

    // ---- migration -----------------------------------------------------------------------------------

    @Override
    public MigrationStep migrateBegin(DomainRef dom, int flags) {
        QemuDomain d = find(dom);
        synchronized (d) {
            if ((flags & MigrateFlag.OFFLINE.bit()) != 0) {
                throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, "offline migration is not supported");
            }
            requireActive(d);
            String xml = DomainXml.format(migratable(d.live), new DomainXml.Format(-1, true, false));
            return new MigrationStep(xml, new byte[] {(byte) (d.state == DomainState.PAUSED ? 1 : 0)});
        }
    }

    @Override
    public MigrationStep migratePrepare(String xml, byte[] cookie, String uri, int flags, String newName) {
        DomainDef def = DomainXml.parse(xml, host.hooks);
        if (newName != null) {
            def.setName(newName);
        }
        Claim claim = claim(def);
        QemuDomain d = claim.domain();
        synchronized (d) {
            String listen = uri;
            if (listen == null || listen.isEmpty()) {
                listen = "tcp:127.0.0.1:" + freePort();
            } else if (!listen.startsWith("tcp:")) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                        "migration URI must be tcp:HOST:PORT, not " + uri);
            }
            try {
                host.startProcess(d, def, "defer");
                d.reason = DomainStatus.PAUSED_MIGRATION;
                d.proc.monitor().execute("migrate-incoming", QmpJson.obj("uri", listen));
                host.writeStatus(d);
            } catch (RuntimeException e) {
                if (d.proc != null) {
                    host.destroyProcess(d, DomainStatus.SHUTOFF_FAILED, DomainEventType.STOPPED_FAILED);
                }
                unclaim(claim, def);
                throw e;
            }
            return new MigrationStep(listen, cookie);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "no free port for migration: " + e);
        }
    }

    @Override
    public byte[] migratePerform(DomainRef dom, String uri, byte[] cookie, int flags, long bandwidthMiBs,
            ProgressListener progress) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            QemuMonitor m = d.proc.monitor();
            boolean wasRunning = d.state == DomainState.RUNNING;
            long bw = bandwidthMiBs > 0 ? bandwidthMiBs << 20 : Long.MAX_VALUE / 2;
            m.execute("migrate-set-parameters", QmpJson.obj("max-bandwidth", bw));
            if (wasRunning) {
                d.expectStop++;
            }
            try {
                m.execute("migrate", QmpJson.obj("uri", uri));
                waitMigration(m, progress);
            } catch (RuntimeException e) {
                if (wasRunning && d.proc != null) {
                    d.expectStop = 0;
                    try {
                        String st = QmpJson.str(m.execute("query-status", null), "status");
                        if (!"running".equals(st)) {
                            host.cont(d, DomainStatus.RUNNING_MIGRATED);
                        }
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_MIGRATION);
            boolean paused = !wasRunning || (flags & MigrateFlag.PAUSED.bit()) != 0;
            return new byte[] {(byte) (paused ? 1 : 0)};
        }
    }

    @Override
    public DomainRef migrateFinish(String name, byte[] cookie, int flags, boolean cancelled) {
        QemuDomain d;
        synchronized (host) {
            d = host.byName.get(name);
        }
        if (d == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no incoming migration of domain '" + name + "'");
        }
        synchronized (d) {
            if (d.proc == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "domain '" + name + "' is not receiving a migration");
            }
            if (cancelled) {
                host.destroyProcess(d, DomainStatus.SHUTOFF_FAILED, DomainEventType.STOPPED_FAILED);
                return null;
            }
            try {
                waitIncoming(d.proc.monitor(), d.proc, ProgressListener.NONE, 0);
            } catch (RuntimeException e) {
                host.destroyProcess(d, DomainStatus.SHUTOFF_FAILED, DomainEventType.STOPPED_FAILED);
                throw e;
            }
            if ((flags & MigrateFlag.PERSIST_DEST.bit()) != 0) {
                DomainDef def = d.live.copy();
                host.writeConfig(def);
                d.persistent = DomainXml.parse(DomainXml.format(def, DomainXml.Format.INACTIVE), host.hooks);
            }
            host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_MIGRATED);
            boolean paused = cookie != null && cookie.length > 0 && cookie[0] == 1;
            if (paused) {
                host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_MIGRATION);
                host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_MIGRATED);
            } else {
                host.cont(d, DomainStatus.RUNNING_MIGRATED);
                host.emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_MIGRATED);
            }
            return d.ref();
        }
    }

    @Override
    public void migrateConfirm(DomainRef dom, byte[] cookie, int flags, boolean cancelled) {
        QemuDomain d = find(dom);
        synchronized (d) {
            if (cancelled) {
                if (d.proc != null && d.state == DomainState.PAUSED && d.reason == DomainStatus.PAUSED_MIGRATION) {
                    host.cont(d, DomainStatus.RUNNING_MIGRATED);
                }
                return;
            }
            if (d.proc != null) {
                host.destroyProcess(d, DomainStatus.SHUTOFF_MIGRATED, DomainEventType.STOPPED_MIGRATED);
            }
            if ((flags & MigrateFlag.UNDEFINE_SOURCE.bit()) != 0 && d.persistent != null) {
                AtomicFiles.delete(host.configFile(d.name()));
                QemuHost.deleteQuietly(host.autostartLink(d.name()));
                host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
                host.remove(d);
            }
        }
    }

    /** The monitor of a running domain, for tests that check QEMU's own view. */
    QemuMonitor monitorFor(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            requireActive(d);
            return d.proc.monitor();
        }
    }

    /** The QEMU pid of a running domain, or -1. */
    long pidOf(DomainRef dom) {
        QemuDomain d = find(dom);
        synchronized (d) {
            return d.proc == null ? -1 : d.proc.pid();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
