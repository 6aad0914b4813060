/** jvirt's public API: connections, domains, networks, errors and events. */
@Export
@Version("1.1.0")
package org.jvirt.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
