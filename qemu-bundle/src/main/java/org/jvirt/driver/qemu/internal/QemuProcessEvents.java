package org.jvirt.driver.qemu.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.EventPayload;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.InterfaceDef;

/**
 * What the running QEMUs of a root tell the driver (libvirt's qemuProcessHandle* callbacks): QMP events
 * (SHUTDOWN, STOP, RESUME, GUEST_PANICKED, DEVICE_DELETED) and the end of a process, turned into state
 * changes, events and the on_poweroff/on_reboot/on_crash actions. They are handled one at a time on the
 * root's event thread, each under its domain's lock.
 */
final class QemuProcessEvents {
    private static final Logger LOG = Logger.getLogger(QemuProcessEvents.class.getName());

    private final QemuHost host;
    private final ExecutorService handler;

    QemuProcessEvents(QemuHost host) {
        this.host = host;
        String tag = host.config.configDir().toString();
        this.handler = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qemu-events " + tag);
            t.setDaemon(true);
            return t;
        });
    }

    /** Handles the process's exit when it comes. */
    void watch(QemuDomain d, QemuProcess p) {
        p.onExit().thenRun(() -> post(() -> processExited(d, p)));
    }

    /** Stops handling (the root is closing); what is queued may finish for a moment. */
    void shutdown() {
        handler.shutdown();
        try {
            handler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Handles something on this root's event thread (unless the root is closed). */
    void post(Runnable r) {
        if (!host.closed) {
            try {
                handler.execute(r);
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
                            host.setState(d, DomainState.PAUSED, 0);
                            host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
                        }
                    }
                    case "RESUME" -> {
                        if (d.expectResume > 0) {
                            d.expectResume--;
                        } else if (d.state == DomainState.PAUSED) {
                            host.setState(d, DomainState.RUNNING, DomainStatus.RUNNING_UNPAUSED);
                            host.emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
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
            p.monitor().systemReset();
            p.monitor().cont();
            return;
        }
        host.emit(d, DomainEventType.SHUTDOWN, guest ? 1 : 2);
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
                p.monitor().systemReset();
                p.monitor().cont();
            }
            case "preserve" -> {
                d.expectStop++;
                host.setState(d, DomainState.SHUTDOWN, DomainStatus.SHUTDOWN_USER);
            }
            default -> {
                d.stopping = true;
                p.terminate(host.config.shutdownTimeoutMs());
                host.stopped(d, DomainStatus.SHUTOFF_SHUTDOWN, DomainEventType.STOPPED_SHUTDOWN);
            }
        }
    }

    private void onCrashAction(QemuDomain d, QemuProcess p) {
        String action = d.live.getOnCrash() == null ? "destroy" : d.live.getOnCrash();
        host.emit(d, DomainEventType.CRASHED, DomainEventType.CRASHED_PANICKED);
        switch (action) {
            case "restart", "rename-restart" -> {
                d.expectStop++;
                d.expectResume++;
                p.monitor().systemReset();
                p.monitor().cont();
            }
            case "preserve", "coredump-restart", "coredump-destroy" -> {
                d.expectStop++;
                host.setState(d, DomainState.CRASHED, DomainStatus.CRASHED_PANICKED);
            }
            default -> {
                d.stopping = true;
                p.terminate(host.config.shutdownTimeoutMs());
                host.stopped(d, DomainStatus.SHUTOFF_CRASHED, DomainEventType.STOPPED_CRASHED);
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
                host.writeStatus(d);
                host.emit(DomainEventIds.DEVICE_REMOVED, d.ref(), new EventPayload.Device(id));
                return;
            }
        }
        for (InterfaceDef nic : d.live.getInterfaces()) {
            if (id.equals(nic.getAlias())) {
                QemuHotplug.releaseNic(p.monitor(), nic);
                d.live.getInterfaces().remove(nic);
                host.writeStatus(d);
                host.emit(DomainEventIds.DEVICE_REMOVED, d.ref(), new EventPayload.Device(id));
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
            host.stopped(d, shutdown ? DomainStatus.SHUTOFF_SHUTDOWN : DomainStatus.SHUTOFF_CRASHED,
                    shutdown ? DomainEventType.STOPPED_SHUTDOWN : DomainEventType.STOPPED_FAILED);
            if (!shutdown && ("restart".equals(onCrash) || "rename-restart".equals(onCrash)) && !host.closed) {
                try {
                    if (!host.domains.contains(d)) {
                        d.persistent = null;
                        d.live = restartDef;
                        host.domains.add(d);
                    }
                    host.startAndRun(d, restartDef, DomainStatus.RUNNING_BOOTED, DomainEventType.STARTED_BOOTED);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "on_crash restart of " + restartDef.getName() + " failed: " + e.getMessage());
                    if (d.persistent == null) {
                        host.forget(d);
                    }
                }
            }
        }
    }
}
