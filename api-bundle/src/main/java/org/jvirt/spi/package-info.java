/**
 * The driver SPI: what hypervisor drivers implement. Every entry defaults to {@code NO_SUPPORT}, so
 * drivers implement only what they can and the SPI can grow without breaking them.
 */
@Export
@Version("1.2.0")
package org.jvirt.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
