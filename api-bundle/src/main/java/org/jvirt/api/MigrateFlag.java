package org.jvirt.api;

/** Migration options, as libvirt's virDomainMigrateFlags. */
public enum MigrateFlag implements Flag {
    LIVE(1),
    PEER2PEER(2),
    TUNNELLED(4),
    PERSIST_DEST(8),
    UNDEFINE_SOURCE(16),
    PAUSED(32),
    NON_SHARED_DISK(64),
    NON_SHARED_INC(128),
    CHANGE_PROTECTION(256),
    UNSAFE(512),
    OFFLINE(1024),
    COMPRESSED(2048),
    ABORT_ON_ERROR(4096),
    AUTO_CONVERGE(8192);

    private final int bit;

    MigrateFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
