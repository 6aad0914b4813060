package org.jvirt.api;

import java.util.BitSet;

/**
 * The host's CPUs (libvirt's virNodeGetCPUMap).
 *
 * @param cpus   how many CPUs the host has
 * @param online which of them are online
 */
public record CpuMap(int cpus, BitSet online) {

    public CpuMap {
        online = (BitSet) online.clone();
    }

    @Override
    public BitSet online() {
        return (BitSet) online.clone();
    }
}
