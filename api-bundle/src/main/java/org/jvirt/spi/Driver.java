package org.jvirt.spi;

import java.util.Optional;
import java.util.Set;

import org.jvirt.api.VirtUri;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A hypervisor driver. In OSGi it is a DS component registered as this service with the properties
 * {@value #SCHEME_PROPERTY} (one or more URI schemes) and {@code service.ranking}; outside OSGi it is
 * found through {@link java.util.ServiceLoader}, and {@link #schemes()} and {@link #ranking()} stand in.
 */
@ConsumerType
public interface Driver {

    /** The service property naming the URI schemes a driver serves. */
    String SCHEME_PROPERTY = "jvirt.uri.scheme";

    /** The scheme the remote driver serves: every URI with a host or a transport goes to it. */
    String REMOTE_SCHEME = "remote";

    /** A short name, e.g. "Test" or "QEMU". */
    String name();

    /** The URI schemes served, when no service property says so. */
    Set<String> schemes();

    /** Higher wins between drivers for one scheme, when no service property says so. */
    default int ranking() {
        return 0;
    }

    /**
     * Opens a connection. Returns empty to decline a URI that is not this driver's (the next driver
     * is then asked); throws {@link org.jvirt.api.VirtException} when the URI is this driver's but
     * opening failed.
     */
    Optional<DriverConnection> open(VirtUri uri, OpenContext context);

    /**
     * Whether the daemon must not exit on its idle timeout: a stateful driver with running domains says so
     * (libvirt's stateInhibit). Not a procedure: the daemon asks its drivers directly.
     */
    default boolean inhibitsIdleExit() {
        return false;
    }

    /** The URI this driver serves when the caller gives none, if it is usable here (e.g. qemu:///system). */
    default Optional<String> defaultUri() {
        return Optional.empty();
    }
}
