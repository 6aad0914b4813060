package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpDumpInfo;
import org.jvirt.driver.qemu.internal.state.SaveImage;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.support.DomainJobs;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * Save to a file and restore from it (QEMU's migration stream behind a {@link SaveImage}
 * header), and core dumps (dump-guest-memory). Save and dump are jobs: info, stats, and for save an abort.
 */
final class QemuSaveRestore {
    /** virDomainSaveRestoreFlags: RUNNING and PAUSED choose the state after restore. */
    private static final int SAVE_RUNNING = 2;
    private static final int SAVE_PAUSED = 4;
    /** virDomainCoreDumpFlags: CRASH, RESET, MEMORY_ONLY (what dump-guest-memory writes anyway). */
    private static final int DUMP_CRASH = 1;
    private static final int DUMP_RESET = 8;
    private static final int DUMP_MEMORY_ONLY = 16;

    private final QemuHost host;

    QemuSaveRestore(QemuHost host) {
        this.host = host;
    }

    /** The state a restore leaves the guest in, if the flags choose one (else null: the image's). */
    private static Boolean pausedAfterRestore(int flags, String function) {
        Procedure.checkFlags(flags, SAVE_RUNNING | SAVE_PAUSED, ErrorDomain.QEMU, function);
        if ((flags & SAVE_RUNNING) != 0 && (flags & SAVE_PAUSED) != 0) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "running and paused flags are mutually exclusive");
        }
        return (flags & SAVE_PAUSED) != 0 ? Boolean.TRUE : (flags & SAVE_RUNNING) != 0 ? Boolean.FALSE : null;
    }

    private static void refuseDxml(String dxml) {
        if (dxml != null) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                    "a replacement domain XML for a save image is not supported");
        }
    }

    // ---- save ------------------------------------------------------------------------------------------

    /** Pauses the guest, streams it into the file (a job; abort cancels it and resumes the guest), stops it. */
    void domainSaveFlags(DomainRef dom, String to, String dxml, int flags) {
        Boolean paused = pausedAfterRestore(flags, "qemuDomainSaveFlags");
        refuseDxml(dxml);
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            Path path = Path.of(to).toAbsolutePath();
            QemuMonitor m = d.proc.monitor();
            try (DomainJobs.Job job = host.jobs.startUnbounded(d.ref(), DomainJobs.OPERATION_SAVE)) {
                job.countsMemory().onAbort(m::sendMigrateCancel);
                try {
                    saveToFile(d, m, path, paused, job);
                } catch (RuntimeException e) {
                    job.fail(e);
                    throw e;
                }
                job.succeed();
            }
            host.destroyProcess(d, DomainStatus.SHUTOFF_SAVED, DomainEventType.STOPPED_SAVED);
        }
    }

    private void saveToFile(QemuDomain d, QemuMonitor m, Path path, Boolean paused, DomainJobs.Job job) {
        boolean wasRunning = d.state == DomainState.RUNNING;
        if (wasRunning) {
            d.expectStop++;
            m.stop();
            host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_SAVE);
        }
        try {
            DomainDef mig = QemuMigration.migratable(d.live);
            SaveImage.writeHeader(path,
                    DomainXml.format(mig, new DomainXml.Format(-1, true, false)),
                    paused != null ? paused : !wasRunning);
            m.migrateSetMaxBandwidth(Long.MAX_VALUE / 2);
            m.migrate("exec:cat >> " + SaveImage.shq(path.toString()));
            QemuMigration.waitOutgoing(m, job);
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
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.WRITE_FAILED, ErrorDomain.QEMU, "cannot sync " + p + ": " + e, e);
        }
    }

    // ---- restore ---------------------------------------------------------------------------------------

    void domainRestoreFlags(String from, String dxml, int flags) {
        Boolean paused = pausedAfterRestore(flags, "qemuDomainRestoreFlags");
        refuseDxml(dxml);
        Path path = Path.of(from).toAbsolutePath();
        SaveImage img = SaveImage.read(path);
        DomainDef def = DomainXml.parse(img.xml(), host.hooks);
        QemuHost.Claim claim = host.claim(def);
        QemuDomain d = claim.domain();
        synchronized (d) {
            try {
                host.requireListed(d);
                if (d.isActive()) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '"
                            + def.getName() + "' is already active");
                }
                restoreInto(d, path, paused);
            } catch (RuntimeException e) {
                host.unclaim(claim);
                throw e;
            }
        }
    }

    /**
     * Starts a domain from a save image (a job, which cannot be aborted), running or paused as the image
     * says unless {@code paused} is given. Caller holds d's lock.
     */
    void restoreInto(QemuDomain d, Path path, Boolean paused) {
        SaveImage img = SaveImage.read(path);
        DomainDef def = DomainXml.parse(img.xml(), host.hooks);
        long skip = img.dataOffset() / SaveImage.ALIGN;
        long size;
        try {
            size = Files.size(path) - img.dataOffset();
        } catch (IOException e) {
            size = 0;
        }
        try (DomainJobs.Job job = host.jobs.startUnbounded(d.ref(), DomainJobs.OPERATION_RESTORE)) {
            job.refuseAbort("cannot abort VM start; use virDomainDestroy instead").progress(0, size);
            try {
                startFromImage(d, def, path, skip);
            } catch (RuntimeException e) {
                job.fail(e);
                throw e;
            }
            job.succeed();
        }
        host.emit(d, DomainEventType.STARTED, DomainEventType.STARTED_RESTORED);
        if (paused != null ? paused : img.paused()) {
            host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_USER);
            host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
        } else {
            host.cont(d, DomainStatus.RUNNING_RESTORED);
        }
        host.writeStatus(d);
    }

    /** Starts QEMU waiting for a stream and feeds it the image's; a failure stops the domain. */
    private void startFromImage(QemuDomain d, DomainDef def, Path path, long skip) {
        host.startProcess(d, def, "defer");
        QemuMonitor m = d.proc.monitor();
        try {
            m.migrateIncoming("exec:dd if=" + SaveImage.shq(path.toString()) + " bs=" + SaveImage.ALIGN
                    + " skip=" + skip + " 2>/dev/null");
            QemuMigration.waitIncoming(m, d.proc);
        } catch (RuntimeException e) {
            String log = d.proc.logSinceStart();
            host.destroyProcess(d, DomainStatus.SHUTOFF_FAILED, DomainEventType.STOPPED_FAILED);
            throw log.isEmpty() ? e : new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "restore failed: " + log, e);
        }
    }

    // ---- core dump ---------------------------------------------------------------------------------------

    /**
     * Writes the guest's memory as an ELF core (a job; it cannot be aborted). The guest is paused while it
     * is written; afterwards it runs on, or with CRASH is stopped as crashed, or with RESET is reset.
     */
    void domainCoreDump(DomainRef dom, String to, int flags) {
        Procedure.checkFlags(flags, DUMP_CRASH | DUMP_RESET | DUMP_MEMORY_ONLY, ErrorDomain.QEMU, "qemuDomainCoreDump");
        if ((flags & DUMP_CRASH) != 0 && (flags & DUMP_RESET) != 0) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "crash and reset flags are mutually exclusive");
        }
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            Path path = Path.of(to).toAbsolutePath();
            QemuMonitor m = d.proc.monitor();
            try (DomainJobs.Job job = host.jobs.startUnbounded(d.ref(), DomainJobs.OPERATION_DUMP)) {
                job.refuseAbort("cannot abort memory-only dump");
                try {
                    dumpMemory(d, m, path, job);
                } catch (RuntimeException e) {
                    job.fail(e);
                    throw e;
                }
                job.succeed();
            }
            if ((flags & DUMP_CRASH) != 0) {
                host.destroyProcess(d, DomainStatus.SHUTOFF_CRASHED, DomainEventType.STOPPED_CRASHED);
            } else if ((flags & DUMP_RESET) != 0) {
                m.systemReset();
            }
        }
    }

    private void dumpMemory(QemuDomain d, QemuMonitor m, Path path, DomainJobs.Job job) {
        boolean wasRunning = d.state == DomainState.RUNNING;
        d.expectStop++;
        d.expectResume++;
        try {
            m.dumpGuestMemory(false, "file:" + path, true);
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
                QmpDumpInfo r = m.queryDump();
                job.progress(r.completed(), r.total());
                if ("completed".equals(r.status())) {
                    break;
                }
                if ("failed".equals(r.status())) {
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
