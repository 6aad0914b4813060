package org.jvirt.api;

/** Where a change applies, as libvirt's virDomainModificationImpact; no flag means the current state. */
public enum ModifyFlag implements Flag {
    LIVE(1),
    CONFIG(2);

    private final int bit;

    ModifyFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
