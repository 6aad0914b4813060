package org.jvirt.spi;

/** libvirt's virDomainEventID numbers. */
public final class DomainEventIds {
    public static final int LIFECYCLE = 0;
    public static final int REBOOT = 1;
    public static final int RTC_CHANGE = 2;
    public static final int WATCHDOG = 3;
    public static final int IO_ERROR = 4;
    public static final int DEVICE_REMOVED = 15;
    public static final int TUNABLE = 17;
    public static final int DEVICE_ADDED = 19;
    public static final int JOB_COMPLETED = 21;
    public static final int DEVICE_REMOVAL_FAILED = 22;
    /** One past the highest id libvirt 9.0 knows. */
    public static final int LAST = 27;

    private DomainEventIds() {
    }
}
