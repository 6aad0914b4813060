/**
 * jvirsh's command layer: virsh-compatible commands run against a {@link org.jvirt.shell.Session}
 * writing to its own streams, used by the {@code jvirsh} CLI and by the Gogo {@code jvirt:} scope.
 */
@Export
@Version("1.0.0")
package org.jvirt.shell;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
