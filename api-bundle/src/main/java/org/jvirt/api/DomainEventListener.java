package org.jvirt.api;

/** Told of domain lifecycle events on a connection. */
@FunctionalInterface
public interface DomainEventListener {
    void onEvent(DomainEvent event);
}
