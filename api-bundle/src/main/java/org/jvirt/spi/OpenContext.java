package org.jvirt.spi;

import org.jvirt.api.ConnectAuth;

/**
 * What a driver is told when asked to open a URI.
 *
 * @param readOnly whether the caller asked for a read-only connection (the front end enforces it)
 * @param auth     the caller's credential callback, or null
 * @param events   where to push lifecycle events for this connection
 */
public record OpenContext(boolean readOnly, ConnectAuth auth, EventSink events) {
}
