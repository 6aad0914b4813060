package org.jvirt.api;

/** Options for setVcpus, as libvirt's virDomainVcpuFlags (LIVE and CONFIG share ModifyFlag's bits). */
public enum VcpuFlag implements Flag {
    LIVE(1),
    CONFIG(2),
    MAXIMUM(4),
    GUEST(8),
    HOTPLUGGABLE(16);

    private final int bit;

    VcpuFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
