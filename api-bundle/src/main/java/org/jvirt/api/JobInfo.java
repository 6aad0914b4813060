package org.jvirt.api;

/**
 * A domain's current background job (libvirt's virDomainJobInfo): save, dump, migration and the like.
 * Times are in milliseconds, sizes in bytes.
 *
 * @param type          {@link #NONE}, {@link #BOUNDED}, {@link #UNBOUNDED}, {@link #COMPLETED},
 *                      {@link #FAILED} or {@link #CANCELLED} (virDomainJobType)
 * @param timeElapsed   time since the job started
 * @param timeRemaining estimated time left, for a bounded job
 * @param dataTotal     bytes in all
 * @param dataProcessed bytes done
 * @param dataRemaining bytes left
 */
public record JobInfo(int type, long timeElapsed, long timeRemaining, long dataTotal, long dataProcessed,
        long dataRemaining) {
    public static final int NONE = 0;
    public static final int BOUNDED = 1;
    public static final int UNBOUNDED = 2;
    public static final int COMPLETED = 3;
    public static final int FAILED = 4;
    public static final int CANCELLED = 5;

    /** No job is running. */
    public static final JobInfo IDLE = new JobInfo(NONE, 0, 0, 0, 0, 0);

    public boolean isActive() {
        return type == BOUNDED || type == UNBOUNDED;
    }
}
