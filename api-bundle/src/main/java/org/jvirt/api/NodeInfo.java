package org.jvirt.api;

/**
 * The host's hardware (libvirt's virNodeInfo).
 *
 * @param model     CPU model
 * @param memoryKiB memory size in KiB
 * @param cpus      number of active CPUs
 * @param mhz       CPU frequency
 * @param nodes     NUMA cells
 * @param sockets   sockets per node
 * @param cores     cores per socket
 * @param threads   threads per core
 */
public record NodeInfo(String model, long memoryKiB, int cpus, int mhz, int nodes, int sockets, int cores,
        int threads) {

    /** Physical CPUs, as libvirt's VIR_NODEINFO_MAXCPUS. */
    public int maxCpus() {
        return nodes * sockets * cores * threads;
    }
}
