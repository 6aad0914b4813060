package org.jvirt.api;

/** Network interface counters (libvirt's virDomainInterfaceStats); -1 where unknown. */
public record InterfaceStats(long rxBytes, long rxPackets, long rxErrs, long rxDrop,
        long txBytes, long txPackets, long txErrs, long txDrop) {
}
