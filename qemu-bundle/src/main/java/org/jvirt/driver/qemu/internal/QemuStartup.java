package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.driver.qemu.internal.state.StatusFile;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.GraphicsDef;

/**
 * A driver root's start: the persistent configs are loaded, the guests still running (their status files
 * in the run directory) are re-attached without being disturbed, and the autostart domains are started.
 */
final class QemuStartup {
    private static final Logger LOG = Logger.getLogger(QemuStartup.class.getName());

    private final QemuHost host;

    QemuStartup(QemuHost host) {
        this.host = host;
    }

    void run() {
        try {
            Files.createDirectories(host.config.configDir());
            Files.createDirectories(host.config.runDir());
            Files.createDirectories(host.config.stateDir());
            Files.createDirectories(host.config.logDir());
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "cannot create driver directories under " + host.config.configDir() + ": " + e.getMessage(), e);
        }
        for (Path f : list(host.config.configDir(), "*.xml")) {
            try {
                DomainDef def = DomainXml.parse(Files.readString(f, StandardCharsets.UTF_8), host.hooks);
                QemuDomain d = host.newDomain(def);
                d.autostart = Files.exists(host.autostartLink(def.getName()));
                host.domains.add(d);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "skipping domain config " + f + ": " + e.getMessage());
            }
        }
        int maxId = 0;
        for (Path f : list(host.config.runDir(), "*.status")) {
            maxId = Math.max(maxId, reconnect(f));
        }
        host.domains.reserveId(maxId);
        if (!firstStartThisBoot()) {
            return; // autostart ran already since the host booted, as libvirt's autostarted marker says
        }
        List<QemuDomain> auto = new ArrayList<>();
        for (QemuDomain d : host.domains.all()) {
            if (d.autostart && !d.isActive()) {
                auto.add(d);
            }
        }
        for (QemuDomain d : auto) {
            try {
                synchronized (d) {
                    if (!d.isActive()) {
                        host.startAndRun(d, d.persistent.copy(), DomainStatus.RUNNING_BOOTED,
                                DomainEventType.STARTED_BOOTED);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "autostart of " + d.name() + " failed: " + e.getMessage());
            }
        }
    }

    /**
     * Whether autostart is due: the first start of this root since the host booted. The marker
     * {@code autostarted} in the run directory holds the boot's id (a run directory on disk outlives a boot).
     */
    private boolean firstStartThisBoot() {
        Path marker = host.config.runDir().resolve("autostarted");
        String boot;
        try {
            boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            boot = "unknown";
        }
        try {
            if (Files.exists(marker) && Files.readString(marker).trim().equals(boot)) {
                return false;
            }
            Path tmp = marker.resolveSibling("autostarted.tmp");
            Files.writeString(tmp, boot + "\n");
            Files.move(tmp, marker, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot keep the autostart marker " + marker + ": " + e.getMessage());
        }
        return true;
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
            QemuHost.deleteQuietly(statusPath);
            return 0;
        }
        QemuDomain d = host.domains.findByUUID(live.getUuid());
        if (d == null) {
            d = host.newDomain(null);
        }
        int id = (int) st.getLong("id", 0);
        long pid = st.getLong("pid", -1);
        Path logFile = Path.of(st.get("log"));
        QemuProcess p = pid > 0 ? QemuProcess.adopt(pid, logFile) : null;
        synchronized (d) {
            d.live = live;
            if (d.persistent == null) {
                host.domains.add(d);
            }
            if (p == null || !cmdlineMentions(pid, st.get("monitor"))) {
                if (host.cgroups.usable()) {
                    QemuCgroup.of(host.cgroups, host.config, live.getName()).remove();
                }
                d.live = null;
                QemuHost.deleteQuietly(statusPath);
                if (d.persistent == null) {
                    host.domains.remove(d);
                } else {
                    d.state = DomainState.SHUTOFF;
                    d.reason = DomainStatus.SHUTOFF_UNKNOWN;
                }
                return 0;
            }
            try {
                QemuMonitor m = QemuMonitor.open(Path.of(st.get("monitor")), live.getName(),
                        System.nanoTime() + 5_000_000_000L, p::isAlive, host.processEvents.listener(d, p));
                p.setMonitor(m);
                d.proc = p;
                d.id = id;
                if (host.cgroups.usable()) {
                    QemuCgroup cg = QemuCgroup.of(host.cgroups, host.config, live.getName());
                    d.cgroup = cg.exists() ? cg : null;
                }
                String run = m.queryStatus().status();
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
                        host.reserveVncPort(g.getPort());
                    }
                }
                host.processEvents.watch(d, p);
                host.writeStatus(d);
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
                QemuHost.deleteQuietly(statusPath);
                if (d.persistent == null) {
                    host.domains.remove(d);
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
}
