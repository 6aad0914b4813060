package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirt.driver.qemu.internal.command.QemuCommandLine;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.driver.qemu.internal.state.AtomicFiles;
import org.jvirt.driver.qemu.internal.state.StatusFile;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventSink;
import org.jvirt.xml.CharDeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InterfaceDef;
import org.jvirt.xml.NetworkXml;

/**
 * The state of one driver root: its domains and their QEMU processes, shared by every connection to
 * that root in this process. QMP events and process exits are handled on one thread per root; API
 * events are delivered to every connection's sink on another, so listeners never run under a lock.
 */
final class QemuHost {
    private static final Logger LOG = Logger.getLogger(QemuHost.class.getName());

    final QemuConfig config;
    final QemuCapsCache caps;
    final QemuXmlHooks hooks;
    /** The cgroup cpu controller this root places its guests under, or why there is none. */
    final QemuCgroup.Host cgroups;
    final Map<String, QemuDomain> byName = new HashMap<>();
    final Map<UUID, QemuDomain> byUuid = new HashMap<>();
    final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private final ExecutorService emitter;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Set<Integer> vncPorts = new HashSet<>();
    private final AtomicInteger tapCounter = new AtomicInteger();
    int refs;
    volatile boolean closed;

    QemuHost(QemuConfig config, QemuCapsCache caps) {
        this.config = config;
        this.caps = caps;
        this.hooks = new QemuXmlHooks(caps, config);
        this.cgroups = QemuCgroup.detect(config);
        String tag = config.configDir().toString();
        this.events = Executors.newSingleThreadExecutor(r -> daemon(r, "qemu-events " + tag));
        this.emitter = Executors.newSingleThreadExecutor(r -> daemon(r, "qemu-emit " + tag));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- start-up: configs, reconnect, autostart -----------------------------------------------------

    void init() {
        try {
            Files.createDirectories(config.configDir());
            Files.createDirectories(config.runDir());
            Files.createDirectories(config.stateDir());
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "cannot create driver directories under " + config.configDir() + ": " + e.getMessage(), e);
        }
        for (Path f : list(config.configDir(), "*.xml")) {
            try {
                DomainDef def = DomainXml.parse(Files.readString(f, StandardCharsets.UTF_8), hooks);
                QemuDomain d = new QemuDomain(def);
                d.autostart = Files.exists(autostartLink(def.getName()));
                put(d);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "skipping domain config " + f + ": " + e.getMessage());
            }
        }
        int maxId = 0;
        for (Path f : list(config.runDir(), "*.status")) {
            maxId = Math.max(maxId, reconnect(f));
        }
        nextId.set(maxId + 1);
        List<QemuDomain> auto = new ArrayList<>();
        synchronized (this) {
            for (QemuDomain d : byName.values()) {
                if (d.autostart && !d.isActive()) {
                    auto.add(d);
                }
            }
        }
        for (QemuDomain d : auto) {
            try {
                synchronized (d) {
                    if (!d.isActive()) {
                        startAndRun(d, d.persistent.copy(), DomainStatus.RUNNING_BOOTED,
                                DomainEventType.STARTED_BOOTED);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "autostart of " + d.name() + " failed: " + e.getMessage());
            }
        }
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + dir + ": " + e.getMessage());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Re-attaches to a guest from its status file; returns its id, or 0. */
    private int reconnect(Path statusPath) {
        StatusFile st;
        DomainDef live;
        try {
            st = StatusFile.read(statusPath);
            live = DomainXml.parse(st.xml(), org.jvirt.xml.DomainXmlHooks.NONE);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring bad status file " + statusPath + ": " + e.getMessage());
            deleteQuietly(statusPath);
            return 0;
        }
        QemuDomain d;
        synchronized (this) {
            d = byUuid.get(live.getUuid());
            if (d == null) {
                d = new QemuDomain(null);
            }
        }
        int id = (int) st.getLong("id", 0);
        long pid = st.getLong("pid", -1);
        Path logFile = Path.of(st.get("log"));
        QemuProcess p = pid > 0 ? QemuProcess.adopt(pid, logFile) : null;
        synchronized (d) {
            d.live = live;
            if (d.persistent == null) {
                put(d);
            }
            if (p == null || !cmdlineMentions(pid, st.get("monitor"))) {
                if (cgroups.usable()) {
                    QemuCgroup.of(cgroups, config, live.getName()).remove();
                }
                d.live = null;
                deleteQuietly(statusPath);
                if (d.persistent == null) {
                    remove(d);
                } else {
                    d.state = DomainState.SHUTOFF;
                    d.reason = DomainStatus.SHUTOFF_UNKNOWN;
                }
                return 0;
            }
            try {
                QemuMonitor m = QemuMonitor.open(Path.of(st.get("monitor")), System.nanoTime() + 5_000_000_000L,
                        p::isAlive, listener(d, p));
                p.setMonitor(m);
                d.proc = p;
                d.id = id;
                if (cgroups.usable()) {
                    QemuCgroup cg = QemuCgroup.of(cgroups, config, live.getName());
                    d.cgroup = cg.exists() ? cg : null;
                }
                JsonNode status = m.execute("query-status", null);
                String run = QmpJson.str(status, "status");
                if ("running".equals(run)) {
                    d.state = DomainState.RUNNING;
                    d.reason = (int) st.getLong("reason", DomainStatus.RUNNING_BOOTED);
                    if (!"running".equals(st.get("state"))) {
                        d.reason = DomainStatus.RUNNING_UNPAUSED;
                    }
                } else if ("shutdown".equals(run)) {
                    d.state = DomainState.SHUTDOWN;
                    d.reason = DomainStatus.SHUTDOWN_USER;
                } else {
                    d.state = DomainState.PAUSED;
                    d.reason = "paused".equals(st.get("state")) ? (int) st.getLong("reason", 0) : 0;
                }
                for (GraphicsDef g : live.getGraphics()) {
                    if (g.isAutoport() && g.getPort() > 0) {
                        synchronized (vncPorts) {
                            vncPorts.add(g.getPort());
                        }
                    }
                }
                QemuProcess proc = p;
                QemuDomain dom = d;
                p.onExit().thenRun(() -> post(() -> processExited(dom, proc)));
                writeStatus(d);
                return id;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot reconnect to " + live.getName() + ": " + e.getMessage());
                if (p.monitor() != null) {
                    p.monitor().close();
                }
                d.proc = null;
                d.cgroup = null;
                d.live = null;
                d.id = -1;
                d.state = DomainState.SHUTOFF;
                d.reason = DomainStatus.SHUTOFF_UNKNOWN;
                deleteQuietly(statusPath);
                if (d.persistent == null) {
                    remove(d);
                }
                return 0;
            }
        }
    }

    private static boolean cmdlineMentions(long pid, String monitor) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return new String(b, StandardCharsets.UTF_8).contains(monitor);
        } catch (IOException e) {
            return false;
        }
    }

    // ---- the domain table ----------------------------------------------------------------------------

    synchronized void put(QemuDomain d) {
        byName.put(d.name(), d);
        byUuid.put(d.uuid(), d);
        d.removed = false;
    }

    synchronized void remove(QemuDomain d) {
        DomainDef def = d.current();
        if (def != null) {
            byName.remove(def.getName(), d);
            byUuid.remove(def.getUuid(), d);
        }
        d.removed = true;
    }

    synchronized List<QemuDomain> all() {
        return new ArrayList<>(byName.values());
    }

    // ---- events --------------------------------------------------------------------------------------

    void emit(QemuDomain d, DomainEventType type, int detail) {
        emit(d.ref(), type, detail);
    }

    void emit(DomainRef ref, DomainEventType type, int detail) {
        if (closed) {
            return;
        }
        emitter.execute(() -> {
            for (EventSink s : sinks) {
                try {
                    s.domainEvent(ref, type, detail);
                } catch (RuntimeException ignored) {
                    // a sink's failure must not stop the others
                }
            }
        });
    }

    void post(Runnable r) {
        if (!closed) {
            try {
                events.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // shutting down
            }
        }
    }

    QemuMonitor.Listener listener(QemuDomain d, QemuProcess p) {
        return new QemuMonitor.Listener() {
            @Override
            public void event(String name, JsonNode data) {
                if ("DEVICE_DELETED".equals(name)) {
                    String dev = QmpJson.str(data, "device");
                    if (dev != null) {
                        var f = d.unplugs.remove(dev);
                        if (f != null) {
                            f.complete(null);
                            return;
                        }
                    }
                }
                post(() -> handleEvent(d, p, name, data));
            }

            @Override
            public void eof(boolean requested) {
                if (!requested) {
                    post(() -> processExited(d, p));
                }
            }
        };
    }

    private void handleEvent(QemuDomain d, QemuProcess p, String name, JsonNode data) {
        synchronized (d) {
            if (d.proc != p || d.stopping) {
                return;
            }
            try {
                switch (name) {
                    case "SHUTDOWN" -> onShutdown(d, p, data.path("guest").asBoolean(false),
                            QmpJson.str(data, "reason"));
                    case "STOP" -> {
                        if (d.expectStop > 0) {
                            d.expectStop--;
                        } else if (d.state == DomainState.RUNNING) {
                            setState(d, DomainState.PAUSED, 0);
                            emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
                        }
                    }
                    case "RESUME" -> {
                        if (d.expectResume > 0) {
                            d.expectResume--;
                        } else if (d.state == DomainState.PAUSED) {
                            setState(d, DomainState.RUNNING, DomainStatus.RUNNING_UNPAUSED);
                            emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
                        }
                    }
                    case "GUEST_PANICKED" -> onCrashAction(d, p);
                    case "DEVICE_DELETED" -> onDeviceDeleted(d, p, QmpJson.str(data, "device"));
                    default -> { }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "handling " + name + " of " + d.name() + ": " + e.getMessage());
            }
        }
    }

    private void onShutdown(QemuDomain d, QemuProcess p, boolean guest, String reason) {
        d.shutdownSeen = true;
        if (d.fakeReboot) {
            d.fakeReboot = false;
            d.shutdownSeen = false;
            d.expectStop++;
            d.expectResume++;
            p.monitor().execute("system_reset", null);
            p.monitor().execute("cont", null);
            return;
        }
        emit(d, DomainEventType.SHUTDOWN, guest ? 1 : 2);
        String action;
        if ("guest-reset".equals(reason)) {
            action = d.live.getOnReboot();
        } else if ("guest-panic".equals(reason)) {
            onCrashAction(d, p);
            return;
        } else {
            action = d.live.getOnPoweroff();
        }
        switch (action == null ? "destroy" : action) {
            case "restart", "rename-restart" -> {
                d.shutdownSeen = false;
                d.expectStop++;
                d.expectResume++;
                p.monitor().execute("system_reset", null);
                p.monitor().execute("cont", null);
            }
            case "preserve" -> {
                d.expectStop++;
                setState(d, DomainState.SHUTDOWN, DomainStatus.SHUTDOWN_USER);
            }
            default -> {
                d.stopping = true;
                p.terminate(config.shutdownTimeoutMs());
                stopped(d, DomainStatus.SHUTOFF_SHUTDOWN, DomainEventType.STOPPED_SHUTDOWN);
            }
        }
    }

    private void onCrashAction(QemuDomain d, QemuProcess p) {
        String action = d.live.getOnCrash() == null ? "destroy" : d.live.getOnCrash();
        emit(d, DomainEventType.CRASHED, DomainEventType.CRASHED_PANICKED);
        switch (action) {
            case "restart", "rename-restart" -> {
                d.expectStop++;
                d.expectResume++;
                p.monitor().execute("system_reset", null);
                p.monitor().execute("cont", null);
            }
            case "preserve", "coredump-restart", "coredump-destroy" -> {
                d.expectStop++;
                setState(d, DomainState.CRASHED, DomainStatus.CRASHED_PANICKED);
            }
            default -> {
                d.stopping = true;
                p.terminate(config.shutdownTimeoutMs());
                stopped(d, DomainStatus.SHUTOFF_CRASHED, DomainEventType.STOPPED_CRASHED);
            }
        }
    }

    private void onDeviceDeleted(QemuDomain d, QemuProcess p, String id) {
        if (id == null || d.live == null) {
            return;
        }
        for (DiskDef disk : d.live.getDisks()) {
            if (id.equals(disk.getAlias())) {
                QemuHotplug.releaseDisk(p.monitor(), disk);
                d.live.getDisks().remove(disk);
                writeStatus(d);
                return;
            }
        }
        for (InterfaceDef nic : d.live.getInterfaces()) {
            if (id.equals(nic.getAlias())) {
                QemuHotplug.releaseNic(p.monitor(), nic);
                d.live.getInterfaces().remove(nic);
                writeStatus(d);
                return;
            }
        }
    }

    /** QEMU's process ended, or its monitor closed: shut off (crashed unless it shut down), honour on_crash. */
    void processExited(QemuDomain d, QemuProcess p) {
        synchronized (d) {
            if (d.proc != p || d.stopping) {
                return;
            }
            if (!p.waitFor(3000)) {
                p.kill();
            }
            boolean shutdown = d.shutdownSeen;
            String onCrash = d.live.getOnCrash();
            DomainDef restartDef = d.persistent != null ? d.persistent.copy() : d.live.copy();
            stopped(d, shutdown ? DomainStatus.SHUTOFF_SHUTDOWN : DomainStatus.SHUTOFF_CRASHED,
                    shutdown ? DomainEventType.STOPPED_SHUTDOWN : DomainEventType.STOPPED_FAILED);
            if (!shutdown && ("restart".equals(onCrash) || "rename-restart".equals(onCrash)) && !closed) {
                try {
                    if (d.removed) {
                        d.persistent = null;
                        d.live = restartDef;
                        put(d);
                        d.live = null;
                    }
                    startAndRun(d, restartDef, DomainStatus.RUNNING_BOOTED, DomainEventType.STARTED_BOOTED);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "on_crash restart of " + restartDef.getName() + " failed: " + e.getMessage());
                    if (d.persistent == null) {
                        remove(d);
                    }
                }
            }
        }
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
            d.proc.monitor().execute("cont", null);
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
        int id = nextId.getAndIncrement();
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
                m = QemuMonitor.open(sock, System.nanoTime() + 30_000_000_000L, proc::isAlive, listener(d, proc));
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
            p.onExit().thenRun(() -> post(() -> processExited(d, proc)));
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
        JsonNode r = m.execute("query-chardev", null);
        if (!r.isArray()) {
            return;
        }
        for (CharDeviceDef s : def.getSerials()) {
            if (!"pty".equals(s.getType())) {
                continue;
            }
            for (JsonNode o : r) {
                if (("char" + s.getAlias()).equals(QmpJson.str(o, "label"))) {
                    String f = QmpJson.str(o, "filename");
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
            remove(d);
        }
        if (d.persistent != null) {
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
        AtomicFiles.write(configFile(def.getName()), DomainXml.format(def, DomainXml.Format.INACTIVE));
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
        for (QemuDomain d : all()) {
            synchronized (d) {
                if (d.proc != null && d.proc.monitor() != null) {
                    d.proc.monitor().close();
                }
                d.proc = null;
            }
        }
        events.shutdown();
        emitter.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
            emitter.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
