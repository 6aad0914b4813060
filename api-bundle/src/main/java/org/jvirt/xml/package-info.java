/**
 * jvirt's driver-agnostic XML layer: the domain, network and capabilities models, their parsers
 * (StAX, no DTDs) and formatters (libvirt's canonical layout), and the hooks drivers plug in.
 */
@Export
@Version("1.1.0")
package org.jvirt.xml;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
