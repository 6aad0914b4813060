package org.jvirt.spi.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.EventSink;

/**
 * libvirt's job model for a driver's long calls (save, core dump, restore, migration): a driver wraps such a
 * call in a {@link Job}, reports how far it got, and ends it; this class answers {@code domainGetJobInfo},
 * {@code domainGetJobStats} and {@code domainAbortJob} from that, and emits JOB_COMPLETED when a job ends
 * well.
 *
 * <pre>{@code
 * try (DomainJobs.Job job = jobs.start(dom, DomainJobs.OPERATION_SAVE, bytes)) {
 *     ... job.progress(done); job.checkAborted(); ...
 *     job.succeed();
 * }   // a job not ended by succeed() ends as failed (or cancelled, if an abort was asked for)
 * }</pre>
 *
 * <p>Each domain's job has its own lock, never the driver's: job info and abort are asked for from other
 * threads while the job's thread may hold the driver's locks for the whole call. A domain runs one job at a
 * time. Statistics use libvirt's field names ({@code operation}, {@code time_elapsed},
 * {@code time_remaining}, {@code data_total}, {@code data_processed}, {@code data_remaining}, optionally
 * {@code memory_*}, and {@code errmsg} for a failed job); times are in milliseconds, sizes in bytes.
 */
public final class DomainJobs {

    /** libvirt's virDomainJobOperation. */
    public static final int OPERATION_UNKNOWN = 0;
    public static final int OPERATION_START = 1;
    public static final int OPERATION_SAVE = 2;
    public static final int OPERATION_RESTORE = 3;
    public static final int OPERATION_MIGRATION_IN = 4;
    public static final int OPERATION_MIGRATION_OUT = 5;
    public static final int OPERATION_SNAPSHOT = 6;
    public static final int OPERATION_SNAPSHOT_REVERT = 7;
    public static final int OPERATION_DUMP = 8;
    public static final int OPERATION_BACKUP = 9;

    /** libvirt's virDomainGetJobStatsFlags. */
    public static final int STATS_COMPLETED = 1;
    public static final int STATS_KEEP_COMPLETED = 2;
    /** Every virDomainGetJobStatsFlags bit, for {@code Procedure.checkFlags}. */
    public static final int STATS_FLAGS = STATS_COMPLETED | STATS_KEEP_COMPLETED;

    private final ErrorDomain errorDomain;
    private final EventSink events;
    private final LongSupplier nanoTime;
    private final Map<UUID, Slot> slots = new ConcurrentHashMap<>();

    /**
     * @param errorDomain the driver's error domain
     * @param events      where JOB_COMPLETED goes: a connection's {@link DomainEvents}, a
     *                    {@link DomainEvents.Hub}, or {@link EventSink#NONE}
     */
    public DomainJobs(ErrorDomain errorDomain, EventSink events) {
        this(errorDomain, events, System::nanoTime);
    }

    DomainJobs(ErrorDomain errorDomain, EventSink events, LongSupplier nanoTime) {
        this.errorDomain = errorDomain;
        this.events = events == null ? EventSink.NONE : events;
        this.nanoTime = nanoTime;
    }

    // ---- starting --------------------------------------------------------------------------------------

    /**
     * Starts a bounded job (its size is known): virDomainGetJobInfo reports it as BOUNDED while it runs.
     * Refuses (OPERATION_INVALID) while the domain runs another job.
     *
     * @param operation one of the {@code OPERATION_*} numbers
     * @param dataTotal the bytes the job will process, if known (else 0; {@link Job#progress(long, long)} can
     *                  say later)
     */
    public Job start(DomainRef dom, int operation, long dataTotal) {
        return start(dom, operation, dataTotal, true);
    }

    /** Starts a job whose end cannot be foreseen (libvirt's QEMU jobs): reported as UNBOUNDED. */
    public Job startUnbounded(DomainRef dom, int operation) {
        return start(dom, operation, 0, false);
    }

    private Job start(DomainRef dom, int operation, long dataTotal, boolean bounded) {
        while (true) {
            Slot slot = slots.computeIfAbsent(dom.uuid(), u -> new Slot());
            synchronized (slot) {
                if (slots.get(dom.uuid()) != slot) {
                    continue; // forgotten meanwhile
                }
                if (slot.current != null) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, errorDomain, "another job ("
                            + slot.current.label() + ") is running on the domain");
                }
                Job job = new Job(slot, dom, operation, bounded, Math.max(0, dataTotal), nanoTime.getAsLong());
                slot.current = job;
                return job;
            }
        }
    }

    // ---- the driver entries ----------------------------------------------------------------------------

    /** domainGetJobInfo: the running job, or {@link JobInfo#IDLE}. */
    public JobInfo info(DomainRef dom) {
        Slot slot = slots.get(dom.uuid());
        if (slot == null) {
            return JobInfo.IDLE;
        }
        synchronized (slot) {
            Job j = slot.current;
            return j == null ? JobInfo.IDLE : j.info();
        }
    }

    /**
     * domainGetJobStats: the running job's statistics, or with {@link #STATS_COMPLETED} those of the last
     * job that ended (forgotten once read, unless {@link #STATS_KEEP_COMPLETED}); type NONE without fields
     * when there is none. The driver checks the flags first, e.g. with
     * {@code Procedure.checkFlags(flags, DomainJobs.STATS_FLAGS, "qemuDomainGetJobStats")}.
     */
    public JobStats stats(DomainRef dom, int flags) {
        Slot slot = slots.get(dom.uuid());
        if (slot == null) {
            return new JobStats(JobInfo.NONE, List.of());
        }
        synchronized (slot) {
            if ((flags & STATS_COMPLETED) != 0) {
                JobStats c = slot.completed;
                if ((flags & STATS_KEEP_COMPLETED) == 0) {
                    slot.completed = null;
                }
                return c != null ? c : new JobStats(JobInfo.NONE, List.of());
            }
            Job j = slot.current;
            return j == null ? new JobStats(JobInfo.NONE, List.of()) : new JobStats(j.type(), j.params());
        }
    }

    /**
     * domainAbortJob: asks the running job to stop. OPERATION_INVALID "no job is active on the domain"
     * when none runs, or the job's own reason when it cannot be aborted. The job's thread sees the request
     * through {@link Job#checkAborted()} (and any {@link Job#onAbort} action runs now, on this thread).
     */
    public void abort(DomainRef dom) {
        Slot slot = slots.get(dom.uuid());
        if (slot == null) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, errorDomain, "no job is active on the domain");
        }
        Runnable action;
        synchronized (slot) {
            Job j = slot.current;
            if (j == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, errorDomain, "no job is active on the domain");
            }
            if (j.abortRefusal != null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, errorDomain, j.abortRefusal);
            }
            j.abortRequested = true;
            action = j.abortAction;
        }
        if (action != null) {
            action.run();
        }
    }

    /** Whether the domain runs a job now. */
    public boolean isRunning(DomainRef dom) {
        Slot slot = slots.get(dom.uuid());
        if (slot == null) {
            return false;
        }
        synchronized (slot) {
            return slot.current != null;
        }
    }

    /** Drops what is kept about a domain that is gone (undefined, or transient and stopped). */
    public void forget(DomainRef dom) {
        Slot slot = slots.get(dom.uuid());
        if (slot != null) {
            synchronized (slot) {
                if (slot.current == null) {
                    slots.remove(dom.uuid(), slot);
                }
            }
        }
    }

    /** libvirt's names for jobs in messages, as its QEMU driver words them. */
    static String name(int operation) {
        return switch (operation) {
            case OPERATION_START -> "domain start job";
            case OPERATION_SAVE -> "domain save job";
            case OPERATION_RESTORE -> "domain restore job";
            case OPERATION_MIGRATION_IN -> "migration in job";
            case OPERATION_MIGRATION_OUT -> "migration out job";
            case OPERATION_SNAPSHOT -> "snapshot job";
            case OPERATION_SNAPSHOT_REVERT -> "snapshot revert job";
            case OPERATION_DUMP -> "domain core dump job";
            case OPERATION_BACKUP -> "backup job";
            default -> "job";
        };
    }

    private static final class Slot {
        Job current;
        JobStats completed;
    }

    /** One running job; ended exactly once, by {@link #succeed}, {@link #fail}, {@link #end} or {@link #close}. */
    public final class Job implements AutoCloseable {
        private final Slot slot;
        private final DomainRef domain;
        private final int operation;
        private final boolean bounded;
        private final long started;
        private long total;
        private long processed;
        private boolean memory;
        private boolean ended;
        private boolean abortRequested;
        private Runnable abortAction;
        private String abortRefusal;

        private Job(Slot slot, DomainRef domain, int operation, boolean bounded, long total, long started) {
            this.slot = slot;
            this.domain = domain;
            this.operation = operation;
            this.bounded = bounded;
            this.total = total;
            this.started = started;
        }

        public DomainRef domain() {
            return domain;
        }

        public int operation() {
            return operation;
        }

        /** Bytes done so far (of the total given at the start). */
        public void progress(long processed) {
            synchronized (slot) {
                this.processed = clamp(processed, total);
            }
        }

        /** Bytes done so far, of a total now known or changed. */
        public void progress(long processed, long total) {
            synchronized (slot) {
                this.total = Math.max(0, total);
                this.processed = clamp(processed, this.total);
            }
        }

        private static long clamp(long v, long max) {
            return Math.max(0, Math.min(v, max));
        }

        /** Also report the data as memory_total, memory_processed and memory_remaining (save, migration). */
        public Job countsMemory() {
            synchronized (slot) {
                memory = true;
            }
            return this;
        }

        /** What to do when an abort is asked for (e.g. tell the hypervisor), besides flagging the job. */
        public Job onAbort(Runnable action) {
            synchronized (slot) {
                abortAction = action;
            }
            return this;
        }

        /** This job cannot be aborted; {@link DomainJobs#abort} refuses with this reason. */
        public Job refuseAbort(String why) {
            synchronized (slot) {
                abortRefusal = why;
            }
            return this;
        }

        public boolean isAbortRequested() {
            synchronized (slot) {
                return abortRequested;
            }
        }

        /** Throws OPERATION_ABORTED ("domain save job: canceled by client") if an abort was asked for. */
        public void checkAborted() {
            if (isAbortRequested()) {
                throw new VirtException(ErrorCode.OPERATION_ABORTED, errorDomain, label() + ": canceled by client");
            }
        }

        /** The job ended well: all its data is done. Emits JOB_COMPLETED with its statistics, and returns them. */
        public JobStats succeed() {
            JobStats done;
            synchronized (slot) {
                if (ended) {
                    throw new IllegalStateException("the job has ended");
                }
                processed = total;
                done = finish(JobInfo.COMPLETED, null);
            }
            events.domainEvent(DomainEventIds.JOB_COMPLETED, domain, new EventPayload.Params(done.params()));
            return done;
        }

        /** The job ended with an error: CANCELLED if an abort was asked for, else FAILED. */
        public void fail(Throwable why) {
            synchronized (slot) {
                if (!ended) {
                    finish(abortRequested ? JobInfo.CANCELLED : JobInfo.FAILED, why == null ? null : why.getMessage());
                }
            }
        }

        /** Ends the job: {@link #succeed()} when ok, else {@link #fail}. */
        public void end(boolean ok) {
            if (ok) {
                succeed();
            } else {
                fail(null);
            }
        }

        /** Ends the job as failed (or cancelled) unless it has ended already. */
        @Override
        public void close() {
            fail(null);
        }

        private JobStats finish(int type, String errmsg) {
            ended = true;
            List<TypedParameter> p = params();
            if (errmsg != null) {
                p.add(new TypedParameter("errmsg", TypedParameter.Type.STRING, errmsg));
            }
            JobStats stats = new JobStats(type, p);
            slot.completed = stats;
            if (slot.current == this) {
                slot.current = null;
            }
            return stats;
        }

        String label() {
            return name(operation);
        }

        private int type() {
            return bounded ? JobInfo.BOUNDED : JobInfo.UNBOUNDED;
        }

        private long elapsedMs() {
            return Math.max(0, (nanoTime.getAsLong() - started) / 1_000_000L);
        }

        private long remainingMs(long elapsed) {
            if (!bounded || processed <= 0 || processed >= total) {
                return 0;
            }
            return elapsed * (total - processed) / processed;
        }

        private JobInfo info() {
            long elapsed = elapsedMs();
            return new JobInfo(type(), elapsed, remainingMs(elapsed), total, processed, total - processed);
        }

        /** The statistics now, in libvirt's order; called with the slot's lock held. */
        private List<TypedParameter> params() {
            long elapsed = elapsedMs();
            List<TypedParameter> p = new ArrayList<>();
            p.add(new TypedParameter("operation", TypedParameter.Type.INT, operation));
            p.add(TypedParameter.ofULong("time_elapsed", elapsed));
            if (bounded && !ended && processed < total) {
                p.add(TypedParameter.ofULong("time_remaining", remainingMs(elapsed)));
            }
            p.add(TypedParameter.ofULong("data_total", total));
            p.add(TypedParameter.ofULong("data_processed", processed));
            p.add(TypedParameter.ofULong("data_remaining", total - processed));
            if (memory) {
                p.add(TypedParameter.ofULong("memory_total", total));
                p.add(TypedParameter.ofULong("memory_processed", processed));
                p.add(TypedParameter.ofULong("memory_remaining", total - processed));
            }
            return p;
        }
    }
}
