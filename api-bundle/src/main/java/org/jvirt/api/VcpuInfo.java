package org.jvirt.api;

import java.util.BitSet;

/**
 * One virtual CPU (libvirt's virVcpuInfo plus its affinity).
 *
 * @param number    vcpu number
 * @param state     0 offline, 1 running, 2 blocked
 * @param cpuTimeNs CPU time used, in nanoseconds
 * @param cpu       the physical CPU it runs on, or -1
 * @param affinity  physical CPUs it may run on
 */
public record VcpuInfo(int number, int state, long cpuTimeNs, int cpu, BitSet affinity) {

    public VcpuInfo {
        affinity = (BitSet) affinity.clone();
    }

    @Override
    public BitSet affinity() {
        return (BitSet) affinity.clone();
    }

    /** virsh's word for the state. */
    public String stateLabel() {
        return switch (state) {
            case 0 -> "offline";
            case 1 -> "running";
            case 2 -> "blocked";
            default -> "no state";
        };
    }
}
