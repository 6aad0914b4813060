package org.jvirt.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirt.api.ConnectCloseListener;
import org.jvirt.api.DomainEvent;
import org.jvirt.api.DomainEventListener;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.EventSink;

/** Takes a driver connection's events and hands them to the connection's listeners and the global observers. */
final class EventFanout implements EventSink {
    private final List<DomainEventListener> global;
    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ConnectCloseListener> closeListeners = new CopyOnWriteArrayList<>();
    private volatile ConnectImpl owner;

    /** @param global the front end's observers of every connection */
    EventFanout(List<DomainEventListener> global) {
        this.global = global;
    }

    void attach(ConnectImpl owner) {
        this.owner = owner;
    }

    /** Adds a listener; returns whether it is the connection's first. */
    boolean add(DomainEventListener l) {
        synchronized (listeners) {
            listeners.add(l);
            return listeners.size() == 1;
        }
    }

    /** Removes a listener; returns whether none is left. */
    boolean remove(DomainEventListener l) {
        synchronized (listeners) {
            return listeners.remove(l) && listeners.isEmpty();
        }
    }

    void addCloseListener(ConnectCloseListener l) {
        closeListeners.add(l);
    }

    void removeCloseListener(ConnectCloseListener l) {
        closeListeners.remove(l);
    }

    @Override
    public void connectionClosed(int reason) {
        ConnectImpl c = owner;
        if (c == null) {
            return;
        }
        ConnectCloseListener.Reason why = ConnectCloseListener.Reason.fromCode(reason);
        for (ConnectCloseListener l : closeListeners) {
            try {
                l.onClose(c, why);
            } catch (RuntimeException ignored) {
                // one listener's failure must not stop the others
            }
        }
    }

    boolean anyListener() {
        return !listeners.isEmpty() || !global.isEmpty();
    }

    @Override
    public void domainEvent(int eventId, DomainRef domain, EventPayload payload) {
        ConnectImpl c = owner;
        if (c == null || eventId != DomainEventIds.LIFECYCLE || !(payload instanceof EventPayload.Lifecycle l)
                || !anyListener()) {
            return; // only lifecycle events have API listeners so far
        }
        DomainEvent event = new DomainEvent(new DomainImpl(c, domain), l.type(), l.detail());
        deliver(listeners, event);
        deliver(global, event);
    }

    private static void deliver(List<DomainEventListener> to, DomainEvent event) {
        for (DomainEventListener l : to) {
            try {
                l.onEvent(event);
            } catch (RuntimeException ignored) {
                // one listener's failure must not stop the others
            }
        }
    }
}
