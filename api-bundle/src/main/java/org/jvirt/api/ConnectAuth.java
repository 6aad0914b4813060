package org.jvirt.api;

import java.util.List;
import java.util.Set;

/** Answers a driver's credential requests during open (libvirt's virConnectAuth). */
public interface ConnectAuth {

    /** The credential types this callback can fill. */
    Set<Credential.Type> supportedTypes();

    /** Fills in each credential's result; returns false to abort the open. */
    boolean authenticate(List<Credential> credentials);
}
