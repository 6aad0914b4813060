package org.jvirt.api;

/** The sizes of one disk of a domain, in bytes (libvirt's virDomainBlockInfo). */
public record BlockInfo(long capacity, long allocation, long physical) {
}
