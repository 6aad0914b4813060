package org.jvirt.spi;

import org.jvirt.api.DomainEventType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a driver connection pushes domain events: any libvirt event id with its payload. The front end
 * fans them out to the listeners it registered (see {@code connectDomainEventCallbackRegisterAny}).
 */
@ProviderType
public interface EventSink {

    /**
     * @param eventId libvirt's virDomainEventID, e.g. {@link DomainEventIds#LIFECYCLE}
     * @param domain  the domain concerned
     * @param payload the event's data
     */
    void domainEvent(int eventId, DomainRef domain, EventPayload payload);

    /** A lifecycle event. */
    default void lifecycle(DomainRef domain, DomainEventType type, int detail) {
        domainEvent(DomainEventIds.LIFECYCLE, domain, new EventPayload.Lifecycle(type, detail));
    }

    /**
     * The connection's peer went away (a remote driver's dead transport): the front end tells the
     * connection's close listeners.
     *
     * @param reason libvirt's virConnectCloseReason number
     */
    default void connectionClosed(int reason) {
    }

    EventSink NONE = (id, d, p) -> { };
}
