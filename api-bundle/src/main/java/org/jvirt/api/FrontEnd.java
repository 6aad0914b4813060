package org.jvirt.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * jvirt's front end: the one object that holds the driver registry, the open connections, the event fan-out
 * and the global error state. In OSGi it is api-bundle's DS component (a service of this type); outside
 * OSGi it is made once through {@link java.util.ServiceLoader}. {@link Connect}'s static methods reach it
 * through {@link #instance()}; tests and embedders may make their own.
 */
@ProviderType
public interface FrontEnd {

    /** The front end of this process (or, in OSGi, of this framework). */
    static FrontEnd instance() {
        return FrontEndLookup.find();
    }

    Connect open(String uri, ConnectAuth auth, Set<OpenFlag> flags);

    /** The drivers known: active ones first, best ranking first, then rejected ones. */
    List<DriverInfo> listDrivers();

    /** The last error reported on this thread, or null (libvirt's virGetLastError). */
    VirtError lastError();

    void resetLastError();

    /** Adds a listener told of every error on every connection (libvirt's virSetErrorFunc). */
    void addGlobalErrorListener(ErrorListener listener);

    void removeGlobalErrorListener(ErrorListener listener);
}
