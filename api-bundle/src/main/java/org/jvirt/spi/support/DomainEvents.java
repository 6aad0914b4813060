package org.jvirt.spi.support;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.EventSink;

/**
 * One connection's domain event callbacks (libvirt's virObjectEventCallbackList): the bookkeeping behind
 * {@code connectDomainEventCallbackRegisterAny} and {@code connectDomainEventCallbackDeregisterAny}, and the
 * emission into the connection's {@link EventSink}. An event reaches the sink only while a callback for its
 * id, for its domain or for every domain, is registered, and then once however many callbacks match: the
 * front end fans it out to its own listeners.
 *
 * <p>Delivery is synchronous, on the thread that emits, so that when a driver call returns its events have
 * been delivered (and are in order when the driver emits under its own lock). A sink that throws is logged
 * and ignored: it can break neither the driver nor the other connections. Listeners therefore run on the
 * driver's thread, possibly under the driver's lock: the front end must not block in them.
 *
 * <p>A driver whose state several connections share keeps the connections' {@code DomainEvents} in a
 * {@link Hub} and emits into the hub. Both are {@link EventSink}s, so a {@link DomainJobs} can emit into either.
 */
public final class DomainEvents implements EventSink {
    private static final System.Logger LOG = System.getLogger(DomainEvents.class.getName());

    private record Callback(int eventId, UUID domain) {
    }

    private final EventSink sink;
    private final ErrorDomain errorDomain;
    private final Map<Integer, Callback> callbacks = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile boolean closed;

    /**
     * @param sink        the connection's sink (from its {@code OpenContext}); null for none
     * @param errorDomain the driver's error domain, for refused registrations
     */
    public DomainEvents(EventSink sink, ErrorDomain errorDomain) {
        this.sink = sink == null ? EventSink.NONE : sink;
        this.errorDomain = errorDomain;
    }

    /**
     * connectDomainEventCallbackRegisterAny: from now on events of this id, for this domain or for every
     * domain when {@code dom} is null, reach the sink. Returns the callback id (1, 2, …).
     */
    public int register(int eventId, DomainRef dom) {
        if (eventId < 0 || eventId >= DomainEventIds.LAST) {
            throw new VirtException(ErrorCode.INVALID_ARG, errorDomain, "unsupported event ID " + eventId);
        }
        int id = nextId.getAndIncrement();
        callbacks.put(id, new Callback(eventId, dom == null ? null : dom.uuid()));
        return id;
    }

    /** connectDomainEventCallbackDeregisterAny; INVALID_ARG for an id that is not registered. */
    public void deregister(int callbackId) {
        if (callbacks.remove(callbackId) == null) {
            throw new VirtException(ErrorCode.INVALID_ARG, errorDomain,
                    "could not find event callback " + callbackId + " for deletion");
        }
    }

    /** Whether an event of this id about this domain would reach the sink. */
    public boolean isWanted(int eventId, DomainRef dom) {
        if (closed) {
            return false;
        }
        for (Callback c : callbacks.values()) {
            if (c.eventId() == eventId && (c.domain() == null || dom != null && c.domain().equals(dom.uuid()))) {
                return true;
            }
        }
        return false;
    }

    /** Emits an event: hands it to the sink if a callback wants it. */
    @Override
    public void domainEvent(int eventId, DomainRef domain, EventPayload payload) {
        if (isWanted(eventId, domain)) {
            deliver(sink, eventId, domain, payload);
        }
    }

    /** Drops every callback; later events reach nobody. The connection's close calls it. */
    public void close() {
        closed = true;
        callbacks.clear();
    }

    static void deliver(EventSink to, int eventId, DomainRef domain, EventPayload payload) {
        try {
            to.domainEvent(eventId, domain, payload);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "an event sink failed on event " + eventId + " of domain "
                    + (domain == null ? null : domain.name()), e);
        }
    }

    /**
     * The connections of a driver state that several share (a test host, a QEMU root): an event emitted
     * into the hub goes to each connection's {@link DomainEvents}, which passes it on if it was asked for.
     */
    public static final class Hub implements EventSink {
        private final List<DomainEvents> members = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        /** A connection opened: its events now come from this hub. */
        public void add(DomainEvents events) {
            members.add(events);
        }

        /** A connection closed. */
        public void remove(DomainEvents events) {
            members.remove(events);
        }

        /** Whether any connection wants an event of this id about this domain. */
        public boolean isWanted(int eventId, DomainRef dom) {
            for (DomainEvents e : members) {
                if (e.isWanted(eventId, dom)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void domainEvent(int eventId, DomainRef domain, EventPayload payload) {
            if (closed) {
                return;
            }
            for (DomainEvents e : members) {
                e.domainEvent(eventId, domain, payload);
            }
        }

        /** Stops all emission (the driver state is going away); members stay registered but get nothing. */
        public void close() {
            closed = true;
            members.clear();
        }
    }
}
