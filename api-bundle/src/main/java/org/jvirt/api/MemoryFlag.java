package org.jvirt.api;

/** Options for setMemory, as libvirt's virDomainMemoryModFlags. */
public enum MemoryFlag implements Flag {
    LIVE(1),
    CONFIG(2),
    MAXIMUM(4);

    private final int bit;

    MemoryFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
