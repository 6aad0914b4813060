package org.jvirt.api;

/** Options for a network's getXMLDesc, as libvirt's virNetworkXMLFlags. */
public enum NetworkXmlFlag implements Flag {
    /** The persistent definition the network gets when next started, not the running one. */
    INACTIVE(1);

    private final int bit;

    NetworkXmlFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
