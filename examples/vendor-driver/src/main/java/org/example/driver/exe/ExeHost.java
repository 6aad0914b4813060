package org.example.driver.exe;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.DomainXmlHooks;
import org.jvirt.xml.XmlNode;

/**
 * The domains of one exe driver instance and their state on disk:
 * <pre>
 * STATE/NAME.xml              persistent definitions
 * STATE/autostart/NAME        present when NAME starts with the driver
 * STATE/run/NAME.status       a running domain: pid, process start time, id, paused, live XML
 * STATE/log/NAME.log          the process's stdout and stderr
 * </pre>
 * Every file is replaced atomically. Running processes outlive the driver (as guests outlive
 * libvirtd): a new driver instance, after a bundle update or a restart, finds them through their
 * status files and checks the process start time before it adopts them.
 */
final class ExeHost {

    /** The driver's XML hooks: an exe domain needs an init to run. */
    static final DomainXmlHooks HOOKS = new DomainXmlHooks() {
        @Override
        public void validate(DomainDef def) {
            if (!"exe".equals(def.getOs().getType())) {
                throw ExeErrors.unsupported("the exe driver runs only <os><type>exe</type></os> domains, not '"
                        + def.getOs().getType() + "'");
            }
            String init = def.getOs().getInit();
            if (init == null || init.isBlank()) {
                throw ExeErrors.unsupported("an exe domain needs <os><init>/path/to/program</init></os>");
            }
            if (!init.startsWith("/")) {
                throw ExeErrors.unsupported("the init '" + init + "' must be an absolute path");
            }
        }
    };

    private static final long WAIT_MS = 10_000;

    private final Path dir;
    private final Path runDir;
    private final Path autostartDir;
    private final Path logDir;
    /** The domains, with libvirt's lookups and uniqueness rules (jvirt's org.jvirt.spi.support). */
    private final DomainList<ExeDomain> domains = new DomainList<>(ErrorDomain.DOMAIN);
    /** The open connections' event callbacks. */
    final DomainEvents.Hub events = new DomainEvents.Hub();
    private volatile boolean closed;

    private ExeHost(Path dir) {
        this.dir = dir;
        this.runDir = dir.resolve("run");
        this.autostartDir = dir.resolve("autostart");
        this.logDir = dir.resolve("log");
    }

    /** Opens the state directory, adopts domains still running, and starts the autostart ones. */
    static ExeHost open(Path dir, boolean autostart) {
        ExeHost h = new ExeHost(dir.toAbsolutePath().normalize());
        try {
            for (Path p : List.of(h.dir, h.runDir, h.autostartDir, h.logDir)) {
                Files.createDirectories(p);
            }
            if (!Files.isWritable(h.dir)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use state directory " + h.dir + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        h.load();
        if (autostart) {
            h.autostartAll();
        }
        return h;
    }

    Path stateDir() {
        return dir;
    }

    /** Stops tracking processes and events; the processes themselves keep running. */
    void close() {
        closed = true;
        events.close();
    }

    boolean isClosed() {
        return closed;
    }

    // ---- loading -----------------------------------------------------------------------------------

    private synchronized void load() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path f : ds) {
                try {
                    DomainDef def = DomainXml.parse(Files.readString(f), HOOKS);
                    ExeDomain d = new ExeDomain(def.getName(), def.getUuid());
                    d.persistent = def;
                    d.autostart = Files.exists(autostartDir.resolve(def.getName()));
                    domains.add(d);
                } catch (IOException | RuntimeException e) {
                    System.err.println("exe driver: ignoring " + f + ": " + e.getMessage());
                }
            }
            try (DirectoryStream<Path> rs = Files.newDirectoryStream(runDir, "*.status")) {
                for (Path f : rs) {
                    adopt(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state directory " + dir, e);
        }
    }

    /** Takes over a process a former driver instance started, if it still runs. */
    private void adopt(Path statusFile) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(statusFile)));
        long pid = Long.parseLong(p.getProperty("pid", "0"));
        long start = Long.parseLong(p.getProperty("starttime", "-1"));
        ProcFs.Stat st = pid > 0 ? ProcFs.stat(pid) : null;
        ProcessHandle handle = pid > 0 ? ProcessHandle.of(pid).orElse(null) : null;
        if (st == null || st.zombie() || st.startTicks() != start || handle == null) {
            // it ended while no driver watched it
            Files.deleteIfExists(statusFile);
            return;
        }
        DomainDef live = DomainXml.parse(p.getProperty("xml"), HOOKS);
        ExeDomain d = domains.findByName(live.getName());
        if (d == null) {
            d = new ExeDomain(live.getName(), live.getUuid());
            domains.add(d);
        }
        d.live = live;
        d.pid = pid;
        d.startTicks = start;
        d.handle = handle;
        d.id = Integer.parseInt(p.getProperty("id"));
        d.paused = st.stopped();
        domains.reserveId(d.id);
        watch(d, handle.onExit().thenApply(h -> (Integer) null));
    }

    private void autostartAll() {
        List<ExeDomain> todo;
        synchronized (this) {
            todo = domains.all().stream().filter(d -> d.autostart && !d.running() && d.persistent != null)
                    .toList();
        }
        for (ExeDomain d : todo) {
            try {
                create(d.ref());
            } catch (VirtException e) {
                System.err.println("exe driver: autostart of " + d.name + " failed: " + e.getMessage());
            }
        }
    }

    // ---- lookups -----------------------------------------------------------------------------------

    ExeDomain find(DomainRef ref) {
        return domains.get(ref);
    }

    List<ExeDomain> all() {
        return domains.all();
    }

    DomainList<ExeDomain> domains() {
        return domains;
    }

    // ---- definitions -------------------------------------------------------------------------------

    DomainRef define(String xml) {
        DomainDef def = DomainXml.parse(xml, HOOKS);
        boolean updated;
        DomainRef ref;
        synchronized (this) {
            ExeDomain d = domains.checkUnique(def, false);
            updated = d != null && d.persistent != null;
            if (d == null) {
                d = new ExeDomain(def.getName(), def.getUuid());
            }
            writeDefinition(def);
            d.persistent = def;
            domains.add(d);
            ref = d.ref();
        }
        emit(ref, DomainEventType.DEFINED, updated ? DomainEventType.DEFINED_UPDATED : DomainEventType.DEFINED_ADDED);
        return ref;
    }

    void undefine(DomainRef ref) {
        DomainRef out;
        synchronized (this) {
            ExeDomain d = find(ref);
            if (d.persistent == null) {
                throw ExeErrors.invalidOp("cannot undefine transient domain");
            }
            try {
                Files.deleteIfExists(autostartDir.resolve(d.name));
                Files.deleteIfExists(dir.resolve(d.name + ".xml"));
            } catch (IOException e) {
                throw ExeErrors.system("cannot remove the definition of " + d.name, e);
            }
            d.persistent = null;
            d.autostart = false;
            if (!d.running()) {
                domains.remove(d);
            }
            out = d.ref();
        }
        emit(out, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
    }

    void setAutostart(DomainRef ref, boolean on) {
        synchronized (this) {
            ExeDomain d = find(ref);
            if (d.persistent == null) {
                throw ExeErrors.invalidOp("cannot set autostart for transient domain");
            }
            Path mark = autostartDir.resolve(d.name);
            try {
                if (on) {
                    AtomicFiles.write(mark, d.uuid + "\n");
                } else {
                    Files.deleteIfExists(mark);
                }
            } catch (IOException e) {
                throw ExeErrors.system("cannot change autostart of " + d.name, e);
            }
            d.autostart = on;
        }
    }

    private void writeDefinition(DomainDef def) {
        try {
            AtomicFiles.write(dir.resolve(def.getName() + ".xml"), DomainXml.format(def, DomainXml.Format.INACTIVE));
        } catch (IOException e) {
            throw ExeErrors.system("cannot save the definition of " + def.getName() + " in " + dir, e);
        }
    }

    // ---- life cycle --------------------------------------------------------------------------------

    /** createXML: starts a transient domain (or a defined, inactive one with a new live definition). */
    DomainRef createTransient(String xml) {
        DomainDef def = DomainXml.parse(xml, HOOKS);
        DomainRef ref;
        synchronized (this) {
            ExeDomain d = domains.checkUnique(def, true);
            if (d == null) {
                d = new ExeDomain(def.getName(), def.getUuid());
                domains.add(d);
            }
            try {
                start(d, def);
            } catch (VirtException e) {
                if (d.persistent == null) {
                    domains.remove(d);
                }
                throw e;
            }
            ref = d.ref();
        }
        emit(ref, DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
        return ref;
    }

    DomainRef create(DomainRef r) {
        DomainRef ref;
        synchronized (this) {
            ExeDomain d = find(r);
            if (d.running()) {
                throw ExeErrors.invalidOp("domain is already running");
            }
            start(d, DomainXml.parse(DomainXml.format(d.persistent, DomainXml.Format.INACTIVE), HOOKS));
            ref = d.ref();
        }
        emit(ref, DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
        return ref;
    }

    /** Runs the init; called with the lock held. */
    private void start(ExeDomain d, DomainDef def) {
        List<String> argv = new ArrayList<>();
        argv.add(def.getOs().getInit());
        argv.addAll(def.getOs().getInitArgs());
        ProcessBuilder pb = new ProcessBuilder(argv);
        for (XmlNode env : def.getOs().getInitEnv()) {
            String name = env.attr("name");
            if (name != null) {
                pb.environment().put(name, env.getText() == null ? "" : env.getText());
            }
        }
        if (def.getOs().getInitDir() != null) {
            pb.directory(new File(def.getOs().getInitDir()));
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(d.name + ".log").toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw ExeErrors.failed("cannot start domain '" + d.name + "': " + e.getMessage(), e);
        }
        ProcFs.Stat st = ProcFs.stat(p.pid());
        d.live = def;
        d.process = p;
        d.handle = p.toHandle();
        d.pid = p.pid();
        d.startTicks = st == null ? -1 : st.startTicks();
        d.paused = false;
        d.stopDetail = null;
        d.id = domains.allocateId();
        d.generation++;
        writeStatus(d);
        watch(d, p.onExit().thenApply(Process::exitValue));
    }

    /** Calls {@link #exited} when the process of the domain's current run ends. */
    private void watch(ExeDomain d, java.util.concurrent.CompletableFuture<Integer> exit) {
        long gen = d.generation;
        exit.whenComplete((code, err) -> exited(d, gen, code));
    }

    /** A process ended: by itself (exit code, or null if unknown) or after destroy/shutdown. */
    private void exited(ExeDomain d, long generation, Integer code) {
        DomainRef ref;
        int detail;
        synchronized (this) {
            if (closed || d.generation != generation || !d.running()) {
                return; // a later run, an already handled stop, or a driver instance that was removed
            }
            detail = d.stopDetail != null ? d.stopDetail
                    : code == null || code == 0 ? DomainEventType.STOPPED_SHUTDOWN : DomainEventType.STOPPED_FAILED;
            ref = d.ref();
            stopped(d, detail);
        }
        emit(ref, DomainEventType.STOPPED, detail);
    }

    /** Clears the run; called with the lock held. */
    private void stopped(ExeDomain d, int detail) {
        int reason = switch (detail) {
            case DomainEventType.STOPPED_DESTROYED -> DomainStatus.SHUTOFF_DESTROYED;
            case DomainEventType.STOPPED_FAILED -> DomainStatus.SHUTOFF_FAILED;
            case DomainEventType.STOPPED_CRASHED -> DomainStatus.SHUTOFF_CRASHED;
            default -> DomainStatus.SHUTOFF_SHUTDOWN;
        };
        d.lastStop = new DomainStatus(DomainState.SHUTOFF, reason);
        d.generation++;
        d.handle = null;
        d.process = null;
        d.pid = 0;
        d.id = -1;
        d.paused = false;
        d.live = null;
        d.stopDetail = null;
        try {
            Files.deleteIfExists(runDir.resolve(d.name + ".status"));
        } catch (IOException e) {
            System.err.println("exe driver: cannot remove status of " + d.name + ": " + e);
        }
        if (d.persistent == null) {
            domains.remove(d);
        }
    }

    void destroy(DomainRef r) {
        ExeDomain d;
        ProcessHandle h;
        java.util.concurrent.CompletableFuture<?> exit;
        long gen;
        synchronized (this) {
            d = find(r);
            if (!d.running()) {
                throw ExeErrors.invalidOp("domain is not running");
            }
            d.stopDetail = DomainEventType.STOPPED_DESTROYED;
            h = d.handle;
            exit = d.process != null ? d.process.onExit() : h.onExit();
            gen = d.generation;
        }
        h.destroyForcibly(); // SIGKILL: also ends a stopped (paused) process
        try {
            exit.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ExeErrors.failed("interrupted while waiting for domain '" + d.name + "' to end", e);
        } catch (ExecutionException | TimeoutException e) {
            throw ExeErrors.failed("domain '" + d.name + "' (pid " + h.pid() + ") did not end after SIGKILL", e);
        }
        DomainRef ref;
        synchronized (this) {
            if (d.generation != gen || !d.running()) {
                return; // the exit watcher got there first and sent the event
            }
            ref = d.ref();
            stopped(d, DomainEventType.STOPPED_DESTROYED);
        }
        emit(ref, DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED);
    }

    /** Asks the init to stop (SIGTERM), as a guest shutdown request; it stops when the process exits. */
    void shutdown(DomainRef r) {
        synchronized (this) {
            ExeDomain d = find(r);
            if (!d.running()) {
                throw ExeErrors.invalidOp("domain is not running");
            }
            d.stopDetail = DomainEventType.STOPPED_SHUTDOWN;
            ProcFs.signal(d.pid, "TERM");
            if (d.paused) {
                ProcFs.signal(d.pid, "CONT");
            }
        }
    }

    void suspend(DomainRef r) {
        DomainRef ref;
        synchronized (this) {
            ExeDomain d = find(r);
            if (!d.running()) {
                throw ExeErrors.invalidOp("domain is not running");
            }
            if (d.paused) {
                throw ExeErrors.invalidOp("domain is already paused");
            }
            ProcFs.signal(d.pid, "STOP");
            awaitStopped(d, true);
            d.paused = true;
            writeStatus(d);
            ref = d.ref();
        }
        emit(ref, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
    }

    void resume(DomainRef r) {
        DomainRef ref;
        synchronized (this) {
            ExeDomain d = find(r);
            if (!d.running()) {
                throw ExeErrors.invalidOp("domain is not running");
            }
            if (!d.paused) {
                throw ExeErrors.invalidOp("domain is not paused");
            }
            ProcFs.signal(d.pid, "CONT");
            awaitStopped(d, false);
            d.paused = false;
            writeStatus(d);
            ref = d.ref();
        }
        emit(ref, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
    }

    /** Waits until /proc shows the signal took effect (the kernel applies it asynchronously). */
    private static void awaitStopped(ExeDomain d, boolean stopped) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            ProcFs.Stat st = ProcFs.stat(d.pid);
            if (st == null || st.zombie() || st.stopped() == stopped) {
                return;
            }
            if (System.nanoTime() > end) {
                throw ExeErrors.failed("process " + d.pid + " did not " + (stopped ? "stop" : "continue"), null);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ExeErrors.failed("interrupted", e);
            }
        }
    }

    private void writeStatus(ExeDomain d) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(d.pid));
        p.setProperty("starttime", Long.toString(d.startTicks));
        p.setProperty("id", Integer.toString(d.id));
        p.setProperty("paused", Boolean.toString(d.paused));
        p.setProperty("xml", DomainXml.format(d.live, DomainXml.Format.INACTIVE));
        StringWriter w = new StringWriter();
        try {
            p.store(w, "exe driver: running domain " + d.name);
            AtomicFiles.write(runDir.resolve(d.name + ".status"), w.toString());
        } catch (IOException e) {
            throw ExeErrors.system("cannot write the status of " + d.name, e);
        }
    }

    // ---- events ------------------------------------------------------------------------------------

    /** Emitted outside the host's lock: each connection that asked for lifecycle events gets it. */
    private void emit(DomainRef ref, DomainEventType type, int detail) {
        if (!closed) {
            events.lifecycle(ref, type, detail);
        }
    }
}
