package org.jvirt.spi;

import java.util.Optional;

import org.jvirt.api.VirtUri;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A secondary driver serving the network calls of connections whose primary driver has none
 * (libvirt's secondary driver model). Registered like {@link Driver}, with {@value Driver#SCHEME_PROPERTY}.
 */
@ConsumerType
public interface NetworkDriver {

    java.util.Set<String> schemes();

    default int ranking() {
        return 0;
    }

    /** Opens the network side of a connection to the URI, or declines. */
    Optional<NetworkConnection> open(VirtUri uri, OpenContext context);
}
