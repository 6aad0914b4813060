package org.jvirt.spi;

/**
 * A domain's scheduler (libvirt's virDomainGetSchedulerType).
 *
 * @param type    the scheduler's name, e.g. "posix"
 * @param nparams how many parameters it has
 */
public record SchedulerType(String type, int nparams) {
}
