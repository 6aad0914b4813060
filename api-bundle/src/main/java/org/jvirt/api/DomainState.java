package org.jvirt.api;

/** Domain states, numbered as libvirt's virDomainState. */
public enum DomainState {
    NOSTATE("no state"),
    RUNNING("running"),
    BLOCKED("idle"),
    PAUSED("paused"),
    SHUTDOWN("in shutdown"),
    SHUTOFF("shut off"),
    CRASHED("crashed"),
    PMSUSPENDED("pmsuspended");

    private static final DomainState[] VALUES = values();
    private final String label;

    DomainState(String label) {
        this.label = label;
    }

    public int code() {
        return ordinal();
    }

    /** The word virsh prints for this state. */
    public String label() {
        return label;
    }

    public boolean isActive() {
        return this != SHUTOFF && this != NOSTATE;
    }

    public static DomainState fromCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : NOSTATE;
    }
}
