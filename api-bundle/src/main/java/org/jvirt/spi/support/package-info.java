/**
 * The bookkeeping every driver repeats, written once: the domain list with libvirt's lookups, uniqueness
 * rules, id allocation, listing filters and live/config selection ({@link org.jvirt.spi.support.DomainList}),
 * device clash checks ({@link org.jvirt.spi.support.DomainDevices}), event callbacks and their emission
 * ({@link org.jvirt.spi.support.DomainEvents}), and libvirt's job model for long calls
 * ({@link org.jvirt.spi.support.DomainJobs}). Drivers use these classes; they implement none of them, except
 * {@link org.jvirt.spi.support.DomainObject} for their own domain class.
 */
@Export
@Version("1.0.0")
package org.jvirt.spi.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
