package org.jvirt.core.internal;

import java.util.function.Supplier;

import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.ProgressListener;
import org.jvirt.api.TypedParameter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;

/**
 * The API's progress listener made from libvirt's job model, so that it works for any driver and over the
 * wire alike: while a long call runs, the domain's job info is polled; when it returns, the completed job's
 * statistics give the final figures.
 */
final class JobWatcher {
    /** virDomainGetJobStatsFlags: the statistics of the last completed job. */
    static final int JOB_STATS_COMPLETED = 1;
    private static final long POLL_MS = 50;

    private JobWatcher() {
    }

    static <T> T run(DriverConnection conn, DomainRef dom, ProgressListener progress, Supplier<T> call) {
        if (progress == null || progress == ProgressListener.NONE) {
            return call.get();
        }
        Thread poller = new Thread(() -> poll(conn, dom, progress), "jvirt-job-" + dom.name());
        poller.setDaemon(true);
        poller.start();
        T result;
        try {
            result = call.get();
        } finally {
            poller.interrupt();
            try {
                poller.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reportCompleted(conn, dom, progress);
        return result;
    }

    private static void poll(DriverConnection conn, DomainRef dom, ProgressListener progress) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                JobInfo info = conn.domainGetJobInfo(dom);
                if (info.isActive() && info.dataTotal() > 0) {
                    progress.progress(info.dataProcessed(), info.dataTotal());
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            // the call returned
        } catch (RuntimeException e) {
            // a driver without job info: only the final figures are reported
        }
    }

    private static void reportCompleted(DriverConnection conn, DomainRef dom, ProgressListener progress) {
        JobStats stats;
        try {
            stats = conn.domainGetJobStats(dom, JOB_STATS_COMPLETED);
        } catch (RuntimeException e) {
            return;
        }
        long total = -1;
        long processed = -1;
        for (TypedParameter p : stats.params()) {
            if (p.value() instanceof Number n) {
                if (p.name().equals("data_total")) {
                    total = n.longValue();
                } else if (p.name().equals("data_processed")) {
                    processed = n.longValue();
                }
            }
        }
        if (total > 0 && processed >= 0) {
            progress.progress(processed, total);
        }
    }
}
