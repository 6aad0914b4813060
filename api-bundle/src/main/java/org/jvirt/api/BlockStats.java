package org.jvirt.api;

/** Block device counters (libvirt's virDomainBlockStats); -1 where unknown. */
public record BlockStats(long rdReq, long rdBytes, long wrReq, long wrBytes, long errs) {
}
