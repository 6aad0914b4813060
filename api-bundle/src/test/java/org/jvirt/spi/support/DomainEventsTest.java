package org.jvirt.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.EventSink;

class DomainEventsTest {
    static final DomainRef A = new DomainRef("a", UUID.fromString("11111111-2222-3333-4444-555555555555"), 1);
    static final DomainRef B = new DomainRef("b", UUID.fromString("22222222-2222-3333-4444-555555555555"), 2);

    record Seen(int id, String domain, EventPayload payload) {
    }

    static final class Recorder implements EventSink {
        final List<Seen> seen = new ArrayList<>();

        @Override
        public void domainEvent(int eventId, DomainRef domain, EventPayload payload) {
            seen.add(new Seen(eventId, domain.name(), payload));
        }
    }

    @Test
    void nothingReachesTheSinkUntilSomeoneRegisters() {
        Recorder r = new Recorder();
        DomainEvents ev = new DomainEvents(r, ErrorDomain.TEST);
        ev.lifecycle(A, DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
        assertEquals(List.of(), r.seen);
        int id = ev.register(DomainEventIds.LIFECYCLE, null);
        assertEquals(1, id);
        ev.lifecycle(A, DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
        ev.domainEvent(DomainEventIds.REBOOT, A, new EventPayload.Generic(List.of()));
        assertEquals(List.of(new Seen(DomainEventIds.LIFECYCLE, "a",
                new EventPayload.Lifecycle(DomainEventType.STARTED, DomainEventType.STARTED_BOOTED))), r.seen,
                "synchronous: delivered when the emitting call returns; REBOOT was not asked for");
        ev.deregister(id);
        ev.lifecycle(A, DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED);
        assertEquals(1, r.seen.size());
    }

    @Test
    void perDomainCallbacksAndOneDeliveryPerEvent() {
        Recorder r = new Recorder();
        DomainEvents ev = new DomainEvents(r, ErrorDomain.TEST);
        int forA = ev.register(DomainEventIds.REBOOT, A);
        assertTrue(ev.isWanted(DomainEventIds.REBOOT, A));
        assertFalse(ev.isWanted(DomainEventIds.REBOOT, B));
        ev.domainEvent(DomainEventIds.REBOOT, B, new EventPayload.Generic(List.of()));
        assertEquals(0, r.seen.size());
        ev.register(DomainEventIds.REBOOT, null);
        ev.domainEvent(DomainEventIds.REBOOT, A, new EventPayload.Generic(List.of()));
        assertEquals(1, r.seen.size(), "two callbacks match, the sink gets the event once");
        ev.domainEvent(DomainEventIds.REBOOT, B, new EventPayload.Generic(List.of()));
        assertEquals(2, r.seen.size());
        assertTrue(forA > 0);
    }

    @Test
    void refusals() {
        DomainEvents ev = new DomainEvents(EventSink.NONE, ErrorDomain.QEMU);
        VirtException e = assertThrows(VirtException.class, () -> ev.deregister(7));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertEquals(ErrorDomain.QEMU, e.domain());
        assertEquals("invalid argument: could not find event callback 7 for deletion", e.getMessage());
        assertEquals(ErrorCode.INVALID_ARG, assertThrows(VirtException.class,
                () -> ev.register(DomainEventIds.LAST, null)).code());
        assertEquals(ErrorCode.INVALID_ARG, assertThrows(VirtException.class, () -> ev.register(-1, null)).code());
    }

    @Test
    void aFailingSinkBreaksNeitherTheDriverNorOtherConnections() {
        EventSink bad = (id, d, p) -> {
            throw new IllegalStateException("listener bug");
        };
        Recorder good = new Recorder();
        DomainEvents first = new DomainEvents(bad, ErrorDomain.TEST);
        DomainEvents second = new DomainEvents(good, ErrorDomain.TEST);
        first.register(DomainEventIds.LIFECYCLE, null);
        second.register(DomainEventIds.LIFECYCLE, null);
        DomainEvents.Hub hub = new DomainEvents.Hub();
        hub.add(first);
        hub.add(second);
        assertTrue(hub.isWanted(DomainEventIds.LIFECYCLE, A));
        assertFalse(hub.isWanted(DomainEventIds.JOB_COMPLETED, A));
        hub.lifecycle(A, DomainEventType.DEFINED, DomainEventType.DEFINED_ADDED);
        assertEquals(1, good.seen.size());
        hub.remove(second);
        hub.lifecycle(A, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
        assertEquals(1, good.seen.size());
    }

    @Test
    void closedConnectionsAndHubsGetNothing() {
        Recorder r = new Recorder();
        DomainEvents ev = new DomainEvents(r, ErrorDomain.TEST);
        ev.register(DomainEventIds.LIFECYCLE, null);
        DomainEvents.Hub hub = new DomainEvents.Hub();
        hub.add(ev);
        hub.close();
        hub.lifecycle(A, DomainEventType.DEFINED, 0);
        assertEquals(0, r.seen.size());
        ev.close();
        ev.lifecycle(A, DomainEventType.DEFINED, 0);
        assertEquals(0, r.seen.size());
    }
}
