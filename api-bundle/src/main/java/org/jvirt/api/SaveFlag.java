package org.jvirt.api;

/** Options for a managed save, as libvirt's virDomainSaveRestoreFlags. */
public enum SaveFlag implements Flag {
    BYPASS_CACHE(1),
    /** start the domain running when it is restored */
    RUNNING(2),
    /** start the domain paused when it is restored */
    PAUSED(4);

    private final int bit;

    SaveFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
