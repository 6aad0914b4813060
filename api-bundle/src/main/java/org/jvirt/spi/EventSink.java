package org.jvirt.spi;

import org.jvirt.api.DomainEventType;
import org.osgi.annotation.versioning.ProviderType;

/** Where a driver connection pushes lifecycle events; the front end fans them out to listeners. */
@ProviderType
public interface EventSink {

    void domainEvent(DomainRef domain, DomainEventType type, int detail);

    EventSink NONE = (d, t, x) -> { };
}
