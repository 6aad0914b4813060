package org.jvirt.api;

import java.util.List;

/** Lifecycle event types, numbered as libvirt's virDomainEventType, with their detail names. */
public enum DomainEventType {
    DEFINED("Defined", "Added", "Updated", "Renamed", "Snapshot"),
    UNDEFINED("Undefined", "Removed", "Renamed"),
    STARTED("Started", "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup"),
    SUSPENDED("Suspended", "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
            "API error", "Post-copy", "Post-copy Error"),
    RESUMED("Resumed", "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error"),
    STOPPED("Stopped", "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot"),
    SHUTDOWN("Shutdown", "Finished", "Finished after guest request", "Finished after host request"),
    PMSUSPENDED("PMSuspended", "Memory", "Disk"),
    CRASHED("Crashed", "Panicked", "Crashloaded");

    private final String label;
    private final List<String> details;

    DomainEventType(String label, String... details) {
        this.label = label;
        this.details = List.of(details);
    }

    public int code() {
        return ordinal();
    }

    /** The word virsh event prints. */
    public String label() {
        return label;
    }

    /** The word virsh prints for a detail number of this type. */
    public String detailLabel(int detail) {
        return detail >= 0 && detail < details.size() ? details.get(detail) : "unknown";
    }

    public static DomainEventType fromCode(int code) {
        DomainEventType[] v = values();
        if (code < 0 || code >= v.length) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "unknown event type " + code);
        }
        return v[code];
    }

    // details used by drivers, per libvirt's numbering
    public static final int DEFINED_ADDED = 0;
    public static final int DEFINED_UPDATED = 1;
    public static final int DEFINED_RENAMED = 2;
    public static final int UNDEFINED_REMOVED = 0;
    public static final int UNDEFINED_RENAMED = 1;
    public static final int STARTED_BOOTED = 0;
    public static final int STARTED_MIGRATED = 1;
    public static final int STARTED_RESTORED = 2;
    public static final int SUSPENDED_PAUSED = 0;
    public static final int SUSPENDED_MIGRATED = 1;
    public static final int RESUMED_UNPAUSED = 0;
    public static final int RESUMED_MIGRATED = 1;
    public static final int STOPPED_SHUTDOWN = 0;
    public static final int STOPPED_DESTROYED = 1;
    public static final int STOPPED_CRASHED = 2;
    public static final int STOPPED_MIGRATED = 3;
    public static final int STOPPED_SAVED = 4;
    public static final int STOPPED_FAILED = 5;
    public static final int SHUTDOWN_FINISHED = 0;
    public static final int CRASHED_PANICKED = 0;
}
