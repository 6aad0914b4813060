package org.jvirt.api;

/**
 * A state with the reason it was entered (libvirt's virDomainGetState).
 *
 * @param state  the state
 * @param reason the reason, numbered per state as libvirt's vir*Reason enums
 */
public record DomainStatus(DomainState state, int reason) {

    private static final String[][] REASONS = {
        {"unknown"},
        {"unknown", "booted", "migrated", "restored", "from snapshot", "unpaused", "migration canceled",
            "save canceled", "event wakeup", "crashed", "post-copy", "post-copy failed"},
        {"unknown"},
        {"unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog", "from snapshot",
            "shutting down", "creating snapshot", "crashed", "starting up", "post-copy", "post-copy failed"},
        {"unknown", "user"},
        {"unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot",
            "daemon"},
        {"unknown", "panicked"},
        {"unknown"},
    };

    /** The words virsh prints for the reason. */
    public String reasonLabel() {
        String[] names = REASONS[state.ordinal()];
        return reason >= 0 && reason < names.length ? names[reason] : "unknown";
    }

    // reasons used by drivers, per libvirt's numbering
    public static final int RUNNING_BOOTED = 1;
    public static final int RUNNING_MIGRATED = 2;
    public static final int RUNNING_RESTORED = 3;
    public static final int RUNNING_UNPAUSED = 5;
    public static final int PAUSED_USER = 1;
    public static final int PAUSED_MIGRATION = 2;
    public static final int PAUSED_SAVE = 3;
    public static final int PAUSED_DUMP = 4;
    public static final int PAUSED_STARTING_UP = 11;
    public static final int SHUTDOWN_USER = 1;
    public static final int SHUTOFF_UNKNOWN = 0;
    public static final int SHUTOFF_SHUTDOWN = 1;
    public static final int SHUTOFF_DESTROYED = 2;
    public static final int SHUTOFF_CRASHED = 3;
    public static final int SHUTOFF_MIGRATED = 4;
    public static final int SHUTOFF_SAVED = 5;
    public static final int SHUTOFF_FAILED = 6;
    public static final int CRASHED_PANICKED = 1;
}
