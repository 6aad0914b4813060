package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirt.driver.qemu.internal.command.QemuCommandLine;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpChardev;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.spi.support.AtomicFiles;
import org.jvirt.driver.qemu.internal.state.StatusFile;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainJobs;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.CharDeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.NetworkXml;

/**
 * The state of one driver root, shared by every connection to that root in this process: its domains and
 * starting and stopping their QEMU processes, and the files that record them. The domain list, the
 * connections' event callbacks and the job model are the SPI's shared bookkeeping ({@link DomainList},
 * {@link DomainEvents}, {@link DomainJobs}); events are delivered synchronously, in order, on the thread
 * that causes them. What the processes report is handled by {@link QemuProcessEvents}; a root's start
 * (configs, re-attaching, autostart) is {@link QemuStartup}.
 */
final class QemuHost {
    final QemuConfig config;
    final QemuCapsCache caps;
    final QemuXmlHooks hooks;
    /** The cgroup cpu controller this root places its guests under, or why there is none. */
    final QemuCgroup.Host cgroups;
    /** The domains; its lock only guards its indices, each domain's changes hold the domain's lock. */
    final DomainList<QemuDomain> domains = new DomainList<>(ErrorDomain.QEMU);
    /** Every open connection's event callbacks: an event goes to those that asked for it. */
    final DomainEvents.Hub eventHub = new DomainEvents.Hub();
    /** Save, dump, restore and migration jobs: answered without the domain's lock, which a job's thread holds. */
    final DomainJobs jobs = new DomainJobs(ErrorDomain.QEMU, eventHub);
    /** Held around checking a new definition's name and uuid and registering it. */
    private final Object registration = new Object();
    private StateLock stateLock;
    /** Console sessions (virDomainOpenConsole). */
    final QemuConsoles consoles = new QemuConsoles(this);
    /** What the running QEMUs tell: QMP events and their exits. */
    final QemuProcessEvents processEvents;
    private final Set<Integer> vncPorts = new HashSet<>();
    private final AtomicInteger tapCounter = new AtomicInteger();
    int refs;
    volatile boolean closed;

    QemuHost(QemuConfig config, QemuCapsCache caps) {
        this.config = config;
        this.caps = caps;
        this.hooks = new QemuXmlHooks(caps, config);
        this.cgroups = QemuCgroup.detect(config);
        this.processEvents = new QemuProcessEvents(this);
    }

    // ---- start-up ----------------------------------------------------------------------------------------

    /**
     * Takes the root's state lock (one owning process), removes the temp files of writers killed mid-write,
     * then loads definitions, re-attaches to the guests still running and starts the autostart ones.
     */
    void init() {
        stateLock = StateLock.acquire(config.stateDir(), config.uri());
        try {
            for (Path dir : List.of(config.configDir(), config.configDir().resolve("autostart"), config.runDir(),
                    config.stateDir())) {
                AtomicFiles.removeLeftovers(dir);
            }
            new QemuStartup(this).run();
        } catch (RuntimeException e) {
            stateLock.close();
            throw e;
        }
    }

    /** Counts a VNC port a re-attached guest holds as taken. */
    void reserveVncPort(int port) {
        synchronized (vncPorts) {
            vncPorts.add(port);
        }
    }

    // ---- the domain table ------------------------------------------------------------------------------

    QemuDomain newDomain(DomainDef persistent) {
        return new QemuDomain(persistent, config.stateDir().resolve("save"));
    }

    /** Forgets a domain that is gone (undefined, or transient and stopped), and its job statistics. */
    void forget(QemuDomain d) {
        domains.remove(d);
        jobs.forget(d.ref());
    }

    /** Refuses a domain the list no longer holds (it went while the caller waited for its lock). */
    void requireListed(QemuDomain d) {
        if (!domains.contains(d)) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "domain no longer exists");
        }
    }

    /** The domain a new persistent definition creates, or the existing one it updates, and which it was. */
    record Defined(QemuDomain domain, boolean created) {
    }

    /** Registers a new persistent domain for a definition, or finds the one of that name and uuid. */
    Defined define(DomainDef def) {
        synchronized (registration) {
            QemuDomain d = domains.checkUnique(def, false);
            if (d != null) {
                return new Defined(d, false);
            }
            d = newDomain(def);
            writeConfig(def);
            domains.add(d);
            return new Defined(d, true);
        }
    }

    /** The domain a new live definition runs as, and whether it was registered (transient) just now. */
    record Claim(QemuDomain domain, boolean created) {
    }

    /**
     * Finds the inactive persistent domain a live definition belongs to, or registers a new transient one
     * for it (createXML, restore, incoming migration); refuses a domain that runs or is being started.
     */
    Claim claim(DomainDef def) {
        synchronized (registration) {
            QemuDomain d = domains.checkUnique(def, true);
            if (d != null) {
                return new Claim(d, false);
            }
            d = newDomain(null);
            d.live = def;
            domains.add(d);
            return new Claim(d, true);
        }
    }

    /** Forgets a transient domain that {@link #claim} registered when starting it failed. */
    void unclaim(Claim claim) {
        QemuDomain d = claim.domain();
        if (claim.created() && d.proc == null && d.persistent == null) {
            forget(d);
        }
    }

    // ---- events --------------------------------------------------------------------------------------

    /** A lifecycle event of a domain, as it is now. */
    void emit(QemuDomain d, DomainEventType type, int detail) {
        emit(d.ref(), type, detail);
    }

    void emit(DomainRef ref, DomainEventType type, int detail) {
        eventHub.lifecycle(ref, type, detail);
    }

    /** Any event, to the connections whose callbacks want it. */
    void emit(int eventId, DomainRef ref, EventPayload payload) {
        eventHub.domainEvent(eventId, ref, payload);
    }

    // ---- starting ------------------------------------------------------------------------------------

    /** Starts QEMU for a definition (which becomes the live one) and runs it; caller holds d's lock. */
    void startAndRun(QemuDomain d, DomainDef def, int runReason, int eventDetail) {
        start(d, def, false, runReason, eventDetail);
    }

    /** Starts a guest, running or (as libvirt's --paused) left paused by the user. Caller holds d's lock. */
    void start(QemuDomain d, DomainDef def, boolean paused, int runReason, int eventDetail) {
        startProcess(d, def, null);
        if (paused) {
            setState(d, DomainState.PAUSED, DomainStatus.PAUSED_USER);
            emit(d, DomainEventType.STARTED, eventDetail);
            emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
            return;
        }
        cont(d, runReason);
        emit(d, DomainEventType.STARTED, eventDetail);
    }

    void cont(QemuDomain d, int runReason) {
        d.expectResume++;
        try {
            d.proc.monitor().cont();
        } catch (RuntimeException e) {
            d.expectResume--;
            throw e;
        }
        setState(d, DomainState.RUNNING, runReason);
    }

    /**
     * Launches QEMU paused ({@code -S}) and connects to its monitor. On failure the process is killed and
     * the error carries QEMU's own message from its log. Caller holds d's lock.
     */
    void startProcess(QemuDomain d, DomainDef def, String incoming) {
        if (closed) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "the driver is shutting down");
        }
        hooks.validate(def);
        checkDisks(def);
        int id = domains.allocateId();
        Path dir = domainRunDir(id, def.getName());
        Path sock = dir.resolve("monitor.sock");
        if (sock.toString().length() >= 108) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "monitor socket path " + sock
                    + " is longer than a unix socket allows (107 bytes); use a shorter root");
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(sock);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot create " + dir + ": " + e, e);
        }
        List<Integer> ports = new ArrayList<>();
        QemuCommandLine.Context ctx = new QemuCommandLine.Context(sock, config.vncListen(), () -> {
            int port = allocVncPort();
            ports.add(port);
            return port;
        }, () -> allocTap(), this::networkBridge, incoming);
        QemuProcess p = null;
        QemuCgroup cg = null;
        try {
            QemuCommandLine.prepareLive(def, ctx);
            QemuCommandLine.Result cmd = QemuCommandLine.build(def, ctx);
            Path log = config.logDir().resolve(def.getName() + ".log");
            p = QemuProcess.launch(cmd.argv(), log, dir);
            QemuProcess proc = p;
            d.shutdownSeen = false;
            d.fakeReboot = false;
            d.expectStop = 0;
            d.expectResume = 0;
            d.stopping = false;
            QemuMonitor m;
            try {
                m = QemuMonitor.open(sock, def.getName(), System.nanoTime() + 30_000_000_000L, proc::isAlive,
                        processEvents.listener(d, proc));
            } catch (IOException e) {
                proc.waitFor(200);
                throw failed(proc, e.getMessage());
            }
            p.setMonitor(m);
            for (QemuCommandLine.TapBridge t : cmd.taps()) {
                QemuHotplug.attachTap(t.tap(), t.bridge());
            }
            fillPtys(def, m);
            if (cgroups.usable()) {
                cg = QemuCgroup.of(cgroups, config, def.getName());
                cg.create(p.pid());
                cg.placeVcpus(QemuVcpus.threads(m));
                QemuScheduler.applyCputune(cg, def);
            } else if (QemuScheduler.hasCputune(def)) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "CPU tuning (<cputune> shares, period or quota) is not available on this host: "
                                + cgroups.problem());
            }
            d.cgroup = cg;
            d.proc = p;
            d.live = def;
            d.id = id;
            d.state = DomainState.PAUSED;
            d.reason = DomainStatus.PAUSED_STARTING_UP;
            processEvents.watch(d, proc);
        } catch (RuntimeException e) {
            synchronized (vncPorts) {
                vncPorts.removeAll(ports);
            }
            if (p != null) {
                p.kill();
                if (p.monitor() != null) {
                    p.monitor().close();
                }
                d.proc = null;
            }
            if (cg != null) {
                cg.remove();
                d.cgroup = null;
            }
            deleteTree(dir);
            if (e instanceof VirtException v && p != null && v.code() != ErrorCode.OPERATION_FAILED) {
                String log = p.logSinceStart();
                if (!log.isEmpty()) {
                    throw new VirtException(v.code(), ErrorDomain.QEMU, v.getMessage() + ": " + log, v);
                }
            }
            throw e;
        }
    }

    private static VirtException failed(QemuProcess p, String why) {
        String log = p.logSinceStart();
        return new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                "QEMU failed to start: " + (log.isEmpty() ? why : log));
    }

    private static void checkDisks(DomainDef def) {
        for (DiskDef disk : def.getDisks()) {
            checkDisk(disk);
        }
    }

    static void checkDisk(DiskDef disk) {
        String src = disk.getSourcePath();
        if (src == null) {
            return;
        }
        Path p = Path.of(src);
        if (!Files.exists(p)) {
            if ("optional".equals(disk.getStartupPolicy())) {
                disk.setSourcePath(null);
                return;
            }
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "Cannot access storage file '" + src
                    + "' (disk " + disk.getTargetDev() + "): No such file or directory");
        }
        if (!Files.isReadable(p) || !disk.isReadonly() && !Files.isWritable(p) && !"cdrom".equals(disk.getDevice())) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "Cannot access storage file '" + src
                    + "' (disk " + disk.getTargetDev() + "): Permission denied");
        }
    }

    private static void fillPtys(DomainDef def, QemuMonitor m) {
        boolean any = def.getSerials().stream().anyMatch(s -> "pty".equals(s.getType()));
        if (!any) {
            return;
        }
        List<QmpChardev> chardevs = m.queryChardev();
        for (CharDeviceDef s : def.getSerials()) {
            if (!"pty".equals(s.getType())) {
                continue;
            }
            for (QmpChardev o : chardevs) {
                if (("char" + s.getAlias()).equals(o.label())) {
                    String f = o.filename();
                    if (f != null && f.startsWith("pty:")) {
                        s.setSourcePath(f.substring(4));
                    }
                }
            }
        }
        for (CharDeviceDef c : def.getConsoles()) {
            if ("serial".equals(c.getTargetType()) && !def.getSerials().isEmpty()
                    && "pty".equals(def.getSerials().get(0).getType())) {
                c.setSourcePath(def.getSerials().get(0).getSourcePath());
            }
        }
    }

    private int allocVncPort() {
        synchronized (vncPorts) {
            for (int port = 5900; port < 65535; port++) {
                if (vncPorts.contains(port)) {
                    continue;
                }
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(false);
                    s.bind(new InetSocketAddress(InetAddress.getByName(config.vncListen()), port));
                } catch (IOException e) {
                    continue;
                }
                vncPorts.add(port);
                return port;
            }
        }
        throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "no free VNC port");
    }

    private String allocTap() {
        while (true) {
            String name = "vnet" + tapCounter.getAndIncrement();
            if (!Files.exists(Path.of("/sys/class/net", name))) {
                return name;
            }
        }
    }

    /** The bridge of a network defined in the config directory's networks/ folder. */
    String networkBridge(String network) {
        Path f = config.configDir().resolveSibling("network").resolve(network + ".xml");
        Path f2 = config.configDir().resolve("networks").resolve(network + ".xml");
        for (Path p : new Path[] {f2, f}) {
            if (Files.isRegularFile(p)) {
                try {
                    String br = NetworkXml.parse(Files.readString(p)).getBridgeName();
                    if (br != null) {
                        return br;
                    }
                } catch (IOException | RuntimeException e) {
                    throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.QEMU,
                            "cannot read network '" + network + "' from " + p + ": " + e.getMessage());
                }
            }
        }
        throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.QEMU, "Network not found: no network with "
                + "matching name '" + network + "' (looked in " + f2 + ")");
    }

    // ---- stopping -------------------------------------------------------------------------------------

    /** QEMU is gone: clean up, shut off with a reason, tell listeners. Caller holds d's lock. */
    void stopped(QemuDomain d, int reason, int eventDetail) {
        QemuProcess p = d.proc;
        DomainRef ref = d.ref();
        if (p != null && p.monitor() != null) {
            p.monitor().close();
        }
        if (d.live != null) {
            for (GraphicsDef g : d.live.getGraphics()) {
                if (g.isAutoport() && g.getPort() > 0) {
                    synchronized (vncPorts) {
                        vncPorts.remove(g.getPort());
                    }
                }
            }
        }
        for (var f : d.unplugs.values()) {
            f.completeExceptionally(new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "domain stopped"));
        }
        d.unplugs.clear();
        if (d.cgroup != null) {
            if (p != null && !p.waitFor(2000)) {
                p.kill();
            }
            d.cgroup.remove();
            d.cgroup = null;
        }
        deleteQuietly(statusFile(d.name()));
        if (d.id > 0) {
            deleteTree(domainRunDir(d.id, d.name()));
        }
        d.proc = null;
        d.id = -1;
        d.state = DomainState.SHUTOFF;
        d.reason = reason;
        d.stopping = false;
        d.shutdownSeen = false;
        if (d.persistent == null) {
            forget(d);
        } else {
            d.live = null;
        }
        emit(new DomainRef(ref.name(), ref.uuid(), -1), DomainEventType.STOPPED, eventDetail);
    }

    /** Kills a domain's QEMU (SIGTERM, then SIGKILL) and shuts it off; caller holds d's lock. */
    void destroyProcess(QemuDomain d, int reason, int eventDetail) {
        d.stopping = true;
        d.proc.terminate(config.shutdownTimeoutMs());
        stopped(d, reason, eventDetail);
    }

    void setState(QemuDomain d, DomainState s, int reason) {
        d.state = s;
        d.reason = reason;
        if (d.proc != null) {
            writeStatus(d);
        }
    }

    // ---- files ----------------------------------------------------------------------------------------

    /** A running domain's own directory (monitor socket), as libvirt's domain-ID-NAME, the name cut to 20. */
    Path domainRunDir(int id, String name) {
        return domainRunDir(config.runDir(), id, name);
    }

    static Path domainRunDir(Path runDir, int id, String name) {
        String shortName = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (shortName.length() > 20) {
            shortName = shortName.substring(0, 20);
        }
        return runDir.resolve("domain-" + id + "-" + shortName);
    }

    Path statusFile(String name) {
        return config.runDir().resolve(name + ".status");
    }

    Path configFile(String name) {
        return config.configDir().resolve(name + ".xml");
    }

    Path autostartLink(String name) {
        return config.configDir().resolve("autostart").resolve(name + ".xml");
    }


    void writeStatus(QemuDomain d) {
        if (d.proc == null || d.live == null) {
            return;
        }
        Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("pid", Long.toString(d.proc.pid()));
        f.put("id", Integer.toString(d.id));
        f.put("state", d.state.name().toLowerCase());
        f.put("reason", Integer.toString(d.reason));
        f.put("monitor", d.proc.monitor().path().toString());
        f.put("log", d.proc.logFile().toString());
        new StatusFile(f, DomainXml.format(d.live, new DomainXml.Format(d.id, false, false))).write(statusFile(d.name()));
    }

    void writeConfig(DomainDef def) {
        AtomicFiles.write(configFile(def.getName()), DomainXml.format(def, DomainXml.Format.INACTIVE), ErrorDomain.QEMU);
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(QemuHost::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ---- shutting the driver down ---------------------------------------------------------------------

    /** Detaches from every guest without disturbing it (driver stop, bundle update). */
    void close() {
        closed = true;
        for (QemuDomain d : domains.all()) {
            synchronized (d) {
                if (d.proc != null && d.proc.monitor() != null) {
                    d.proc.monitor().close();
                }
                d.proc = null;
            }
        }
        eventHub.close();
        processEvents.shutdown();
        if (stateLock != null) {
            stateLock.close();
        }
    }
}
