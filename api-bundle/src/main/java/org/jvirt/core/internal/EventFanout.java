package org.jvirt.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirt.api.DomainEvent;
import org.jvirt.api.DomainEventListener;
import org.jvirt.api.DomainEventType;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventSink;

/** Takes a driver connection's events and hands them to the connection's listeners and global observers. */
final class EventFanout implements EventSink {
    private static final List<DomainEventListener> GLOBAL = new CopyOnWriteArrayList<>();

    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ConnectImpl owner;

    void attach(ConnectImpl owner) {
        this.owner = owner;
    }

    void add(DomainEventListener l) {
        listeners.add(l);
    }

    void remove(DomainEventListener l) {
        listeners.remove(l);
    }

    /** Observers of every connection's events (e.g. the EventAdmin bridge). */
    static void addGlobal(DomainEventListener l) {
        GLOBAL.add(l);
    }

    static void removeGlobal(DomainEventListener l) {
        GLOBAL.remove(l);
    }

    @Override
    public void domainEvent(DomainRef domain, DomainEventType type, int detail) {
        ConnectImpl c = owner;
        if (c == null || (listeners.isEmpty() && GLOBAL.isEmpty())) {
            return;
        }
        DomainEvent event = new DomainEvent(new DomainImpl(c, domain), type, detail);
        deliver(listeners, event);
        deliver(GLOBAL, event);
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
