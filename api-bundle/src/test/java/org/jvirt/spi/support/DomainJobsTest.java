package org.jvirt.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;

class DomainJobsTest {
    static final DomainRef DOM = new DomainRef("d", UUID.fromString("11111111-2222-3333-4444-555555555555"), 1);
    static final long MS = 1_000_000L;

    final AtomicLong now = new AtomicLong(1000 * MS);
    final List<EventPayload> completed = new ArrayList<>();
    final DomainJobs jobs = new DomainJobs(ErrorDomain.TEST, (id, d, p) -> {
        assertEquals(DomainEventIds.JOB_COMPLETED, id);
        assertEquals(DOM, d);
        completed.add(p);
    }, now::get);

    static Map<String, Object> fields(JobStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (TypedParameter p : s.params()) {
            m.put(p.name(), p.value());
        }
        return m;
    }

    @Test
    void idleWhenNoJobRuns() {
        assertEquals(JobInfo.IDLE, jobs.info(DOM));
        assertEquals(new JobStats(JobInfo.NONE, List.of()), jobs.stats(DOM, 0));
        assertEquals(new JobStats(JobInfo.NONE, List.of()), jobs.stats(DOM, DomainJobs.STATS_COMPLETED));
        VirtException e = assertThrows(VirtException.class, () -> jobs.abort(DOM));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        assertEquals("Requested operation is not valid: no job is active on the domain", e.getMessage());
    }

    @Test
    void aBoundedJobReportsProgressThenCompletes() {
        try (DomainJobs.Job job = jobs.start(DOM, DomainJobs.OPERATION_SAVE, 1000)) {
            now.addAndGet(100 * MS);
            job.progress(250);
            assertEquals(new JobInfo(JobInfo.BOUNDED, 100, 300, 1000, 250, 750), jobs.info(DOM));
            JobStats running = jobs.stats(DOM, 0);
            assertEquals(JobInfo.BOUNDED, running.type());
            assertEquals(List.of("operation", "time_elapsed", "time_remaining", "data_total", "data_processed",
                    "data_remaining"), List.copyOf(fields(running).keySet()));
            assertEquals(DomainJobs.OPERATION_SAVE, fields(running).get("operation"));
            assertTrue(jobs.isRunning(DOM));
            VirtException busy = assertThrows(VirtException.class, () -> jobs.start(DOM, DomainJobs.OPERATION_DUMP, 1));
            assertEquals("Requested operation is not valid: another job (domain save job) is running on the domain",
                    busy.getMessage());
            now.addAndGet(100 * MS);
            job.succeed();
        }
        assertFalse(jobs.isRunning(DOM));
        assertEquals(JobInfo.IDLE, jobs.info(DOM));
        assertEquals(1, completed.size(), "JOB_COMPLETED");
        Map<String, Object> done = fields(new JobStats(0, ((EventPayload.Params) completed.get(0)).params()));
        assertEquals(Map.of("operation", 2, "time_elapsed", 200L, "data_total", 1000L, "data_processed", 1000L,
                "data_remaining", 0L), done);
        JobStats kept = jobs.stats(DOM, DomainJobs.STATS_COMPLETED | DomainJobs.STATS_KEEP_COMPLETED);
        assertEquals(JobInfo.COMPLETED, kept.type());
        assertEquals(done, fields(kept));
        assertEquals(kept, jobs.stats(DOM, DomainJobs.STATS_COMPLETED), "kept once");
        assertEquals(new JobStats(JobInfo.NONE, List.of()), jobs.stats(DOM, DomainJobs.STATS_COMPLETED),
                "then forgotten");
    }

    @Test
    void abortCancelsAJobThatChecks() {
        AtomicBoolean told = new AtomicBoolean();
        DomainJobs.Job job = jobs.start(DOM, DomainJobs.OPERATION_DUMP, 10).onAbort(() -> told.set(true));
        job.progress(5);
        job.checkAborted();
        jobs.abort(DOM);
        assertTrue(told.get());
        assertTrue(job.isAbortRequested());
        VirtException e = assertThrows(VirtException.class, job::checkAborted);
        assertEquals(ErrorCode.OPERATION_ABORTED, e.code());
        assertEquals("operation aborted: domain core dump job: canceled by client", e.getMessage());
        job.fail(e);
        job.close(); // ended already: nothing happens
        JobStats s = jobs.stats(DOM, DomainJobs.STATS_COMPLETED);
        assertEquals(JobInfo.CANCELLED, s.type());
        assertEquals(e.getMessage(), fields(s).get("errmsg"));
        assertEquals(5L, fields(s).get("data_processed"));
        assertEquals(0, completed.size(), "no JOB_COMPLETED for a job that did not complete");
    }

    @Test
    void aJobLeftUnendedFailsAndFreesTheDomain() {
        assertThrows(IllegalStateException.class, () -> {
            try (DomainJobs.Job job = jobs.start(DOM, DomainJobs.OPERATION_RESTORE, 10)) {
                throw new IllegalStateException("disk full");
            }
        });
        assertEquals(JobInfo.FAILED, jobs.stats(DOM, DomainJobs.STATS_COMPLETED).type());
        jobs.start(DOM, DomainJobs.OPERATION_RESTORE, 10).end(true);
        assertEquals(1, completed.size());
    }

    @Test
    void unboundedJobsAndRefusedAborts() {
        DomainJobs.Job job = jobs.startUnbounded(DOM, DomainJobs.OPERATION_MIGRATION_OUT).countsMemory()
                .refuseAbort("cannot abort incoming migration; use virDomainDestroy instead");
        job.progress(10, 40);
        JobInfo info = jobs.info(DOM);
        assertEquals(JobInfo.UNBOUNDED, info.type());
        assertEquals(0, info.timeRemaining());
        assertEquals(30, info.dataRemaining());
        Map<String, Object> f = fields(jobs.stats(DOM, 0));
        assertFalse(f.containsKey("time_remaining"));
        assertEquals(40L, f.get("memory_total"));
        assertEquals(30L, f.get("memory_remaining"));
        VirtException e = assertThrows(VirtException.class, () -> jobs.abort(DOM));
        assertEquals("Requested operation is not valid: cannot abort incoming migration; use virDomainDestroy instead",
                e.getMessage());
        job.end(false);
        assertEquals(JobInfo.FAILED, jobs.stats(DOM, DomainJobs.STATS_COMPLETED).type());
        jobs.forget(DOM);
        assertEquals(JobInfo.IDLE, jobs.info(DOM));
    }
}
