package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.MigrateFlag;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpMigrationInfo;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.spi.support.AtomicFiles;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.MigrationFinish;
import org.jvirt.spi.MigrationStep;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.support.DomainJobs;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InterfaceDef;

/**
 * Live migration, libvirt's v3 phases: begin and perform (a job) and confirm on the source, prepare and
 * finish on the destination; QEMU moves the guest over TCP. Also the migration stream's helpers that save
 * and restore share: the migratable XML and waiting for an outgoing or incoming stream to end.
 */
final class QemuMigration {
    /**
     * The virDomainMigrateFlags taken: LIVE (a QEMU migration always is), PERSIST_DEST, UNDEFINE_SOURCE,
     * PAUSED, CHANGE_PROTECTION and UNSAFE (the domain's lock is held throughout, no cache-mode checks are
     * made), OFFLINE (refused with its own message).
     */
    private static final int FLAGS = MigrateFlag.LIVE.bit() | MigrateFlag.PERSIST_DEST.bit()
            | MigrateFlag.UNDEFINE_SOURCE.bit() | MigrateFlag.PAUSED.bit() | MigrateFlag.CHANGE_PROTECTION.bit()
            | MigrateFlag.UNSAFE.bit() | MigrateFlag.OFFLINE.bit();

    private final QemuHost host;

    QemuMigration(QemuHost host) {
        this.host = host;
    }

    // ---- source: begin ---------------------------------------------------------------------------------

    /** The XML to send, and a cookie saying whether the guest is paused. */
    MigrationStep domainMigrateBegin3(DomainRef dom, String xmlin, int flags, String dname, long bandwidth) {
        Procedure.checkFlags(flags, FLAGS, ErrorDomain.QEMU, "qemuDomainMigrateBegin3");
        if ((flags & MigrateFlag.OFFLINE.bit()) != 0) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                    "offline migration is not supported");
        }
        refuseXmlin(xmlin);
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            String xml = DomainXml.format(migratable(d.live), new DomainXml.Format(-1, true, false));
            return new MigrationStep(xml, new byte[] {(byte) (d.state == DomainState.PAUSED ? 1 : 0)});
        }
    }

    private static void refuseXmlin(String xmlin) {
        if (xmlin != null) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                    "a changed domain XML for the destination is not supported");
        }
    }

    // ---- destination: prepare ----------------------------------------------------------------------------

    /** Starts QEMU waiting for the stream; returns the URI to send to, and the source's cookie. */
    MigrationStep domainMigratePrepare3(byte[] cookieIn, String uriIn, int flags, String dname, long bandwidth,
            String domXml) {
        Procedure.checkFlags(flags, FLAGS, ErrorDomain.QEMU, "qemuDomainMigratePrepare3");
        DomainDef def = DomainXml.parse(domXml, host.hooks);
        if (dname != null) {
            def.setName(dname);
        }
        QemuHost.Claim claim = host.claim(def);
        QemuDomain d = claim.domain();
        synchronized (d) {
            String listen = uriIn;
            if (listen == null || listen.isEmpty()) {
                listen = "tcp:127.0.0.1:" + freePort();
            } else if (!listen.startsWith("tcp:")) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                        "migration URI must be tcp:HOST:PORT, not " + uriIn);
            }
            try {
                host.startProcess(d, def, "defer");
                d.reason = DomainStatus.PAUSED_MIGRATION;
                d.proc.monitor().migrateIncoming(listen);
                host.writeStatus(d);
            } catch (RuntimeException e) {
                if (d.proc != null) {
                    host.destroyProcess(d, DomainStatus.SHUTOFF_FAILED, DomainEventType.STOPPED_FAILED);
                }
                host.unclaim(claim);
                throw e;
            }
            return new MigrationStep(listen, cookieIn);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "no free port for migration: " + e);
        }
    }

    // ---- source: perform -----------------------------------------------------------------------------------

    /** Sends the guest (a job: info, stats, abort); returns a cookie saying whether it should stay paused. */
    byte[] domainMigratePerform3(DomainRef dom, String xmlin, byte[] cookieIn, String dconnuri, String uri,
            int flags, String dname, long bandwidth) {
        Procedure.checkFlags(flags, FLAGS, ErrorDomain.QEMU, "qemuDomainMigratePerform3");
        refuseXmlin(xmlin);
        if (uri == null || uri.isEmpty()) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "no migration URI to send to");
        }
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            QemuMonitor m = d.proc.monitor();
            boolean wasRunning = d.state == DomainState.RUNNING;
            long bw = bandwidth > 0 ? bandwidth << 20 : Long.MAX_VALUE / 2;
            m.migrateSetMaxBandwidth(bw);
            if (wasRunning) {
                d.expectStop++;
            }
            try (DomainJobs.Job job = host.jobs.startUnbounded(d.ref(), DomainJobs.OPERATION_MIGRATION_OUT)) {
                job.countsMemory().onAbort(m::sendMigrateCancel);
                try {
                    m.migrate(uri);
                    waitOutgoing(m, job);
                } catch (RuntimeException e) {
                    job.fail(e);
                    throw e;
                }
                job.succeed();
            } catch (RuntimeException e) {
                if (wasRunning && d.proc != null) {
                    d.expectStop = 0;
                    try {
                        if (!"running".equals(m.queryStatus().status())) {
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

    // ---- destination: finish ---------------------------------------------------------------------------

    /** Waits for the stream's end and runs the guest (or discards it when the migration was cancelled). */
    MigrationFinish domainMigrateFinish3(String dname, byte[] cookieIn, String dconnuri, String uri, int flags,
            boolean cancelled) {
        Procedure.checkFlags(flags, FLAGS, ErrorDomain.QEMU, "qemuDomainMigrateFinish3");
        QemuDomain d = host.domains.findByName(dname);
        if (d == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU,
                    "no incoming migration of domain '" + dname + "'");
        }
        synchronized (d) {
            if (d.proc == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "domain '" + dname + "' is not receiving a migration");
            }
            if (cancelled) {
                host.destroyProcess(d, DomainStatus.SHUTOFF_FAILED, DomainEventType.STOPPED_FAILED);
                return new MigrationFinish(null, null);
            }
            try {
                waitIncoming(d.proc.monitor(), d.proc);
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
            boolean paused = cookieIn != null && cookieIn.length > 0 && cookieIn[0] == 1;
            if (paused) {
                host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_MIGRATION);
                host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_MIGRATED);
            } else {
                host.cont(d, DomainStatus.RUNNING_MIGRATED);
                host.emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_MIGRATED);
            }
            return new MigrationFinish(d.ref(), null);
        }
    }

    // ---- source: confirm -------------------------------------------------------------------------------

    /** Stops (and with UNDEFINE_SOURCE forgets) the sent guest, or resumes it when the migration was cancelled. */
    void domainMigrateConfirm3(DomainRef dom, byte[] cookieIn, int flags, boolean cancelled) {
        Procedure.checkFlags(flags, FLAGS, ErrorDomain.QEMU, "qemuDomainMigrateConfirm3");
        QemuDomain d = host.domains.get(dom);
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
                AtomicFiles.delete(host.configFile(d.name()), ErrorDomain.QEMU);
                QemuHost.deleteQuietly(host.autostartLink(d.name()));
                host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
                host.forget(d);
            }
        }
    }

    // ---- the migration stream, shared with save and restore ------------------------------------------------

    /** The live definition as another QEMU should receive it: no host-specific tap names, ports or ptys. */
    static DomainDef migratable(DomainDef live) {
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

    /**
     * Polls query-migrate until the outgoing stream ends, reporting RAM progress to the job. An abort the job
     * was asked for cancels the stream (again, should it have started after the first request).
     */
    static void waitOutgoing(QemuMonitor m, DomainJobs.Job job) {
        long sleep = 2;
        boolean cancelSent = false;
        while (true) {
            QmpMigrationInfo r = m.queryMigrate();
            String status = r.status();
            long total = r.ramTotal();
            if ("completed".equals(status)) {
                job.progress(total, total);
                return;
            }
            if ("failed".equals(status) || "cancelled".equals(status)) {
                job.checkAborted();
                String err = r.errorDesc();
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                        "migration " + status + (err == null ? "" : ": " + err));
            }
            if (total > 0) {
                job.progress(total - r.ramRemaining(), total);
            }
            if (job.isAbortRequested() && !cancelSent) {
                m.sendMigrateCancel();
                cancelSent = true;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                m.sendMigrateCancel();
                throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "migration interrupted");
            }
            sleep = Math.min(sleep * 2, 50);
        }
    }

    /** Waits until an incoming stream has been received (QEMU leaves "inmigrate"). */
    static void waitIncoming(QemuMonitor m, QemuProcess p) {
        long sleep = 2;
        while (true) {
            String status = m.queryStatus().status();
            if (!"inmigrate".equals(status)) {
                QmpMigrationInfo r = m.queryMigrate();
                if ("failed".equals(r.status())) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "incoming migration failed"
                            + (r.errorDesc() == null ? "" : ": " + r.errorDesc()));
                }
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
}
