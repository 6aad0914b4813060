package org.jvirt.api;

/** A guest's clock (libvirt's virDomainGetTime): seconds since the epoch and nanoseconds. */
public record DomainTime(long seconds, int nanoseconds) {
}
