package org.jvirt.api;

/** Filters for listAllNetworks, as libvirt's virConnectListAllNetworksFlags. */
public enum ListNetworksFlag implements Flag {
    INACTIVE(1),
    ACTIVE(2),
    PERSISTENT(4),
    TRANSIENT(8),
    AUTOSTART(16),
    NO_AUTOSTART(32);

    private final int bit;

    ListNetworksFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
