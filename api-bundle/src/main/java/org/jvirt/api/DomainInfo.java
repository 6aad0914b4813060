package org.jvirt.api;

/**
 * A domain's summary (libvirt's virDomainInfo).
 *
 * @param state     current state
 * @param maxMemKiB the most memory the domain may have, in KiB
 * @param memoryKiB memory in use, in KiB
 * @param vcpus     number of virtual CPUs
 * @param cpuTimeNs CPU time used, in nanoseconds
 */
public record DomainInfo(DomainState state, long maxMemKiB, long memoryKiB, int vcpus, long cpuTimeNs) {
}
