package org.jvirt.remote.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.OpenContext;
import org.jvirt.spi.Procedure;

/** A small node for the RPC tests: two domains, lifecycle changes and events. Scheme "fake". */
final class FakeNodeDriver implements Driver {
    final Map<String, DomainStatus> states = new ConcurrentHashMap<>();
    final Map<String, UUID> uuids = new ConcurrentHashMap<>();
    final java.util.concurrent.BlockingQueue<String> consoleEvents = new java.util.concurrent.LinkedBlockingQueue<>();

    FakeNodeDriver() {
        states.put("alpha", new DomainStatus(DomainState.RUNNING, 1));
        states.put("beta", new DomainStatus(DomainState.SHUTOFF, 0));
        uuids.put("alpha", new UUID(0x1111, 1));
        uuids.put("beta", new UUID(0x2222, 2));
    }

    @Override
    public String name() {
        return "Fake";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("fake");
    }

    @Override
    public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
        Conn c = new Conn(uri.toString(), context.events());
        open.add(c);
        return Optional.of(c);
    }

    DomainRef ref(String name) {
        DomainStatus s = states.get(name);
        if (s == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.DOM,
                    "no domain with matching name '" + name + "'");
        }
        return new DomainRef(name, uuids.get(name), s.state().isActive() ? (name.equals("alpha") ? 1 : 2) : -1);
    }

    /** While set, getInfo of beta blocks until it is counted down. */
    volatile java.util.concurrent.CountDownLatch holdInfo;

    /** The open connections: an event reaches every one that listens for its id, as a real node's would. */
    private final List<Conn> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void emit(int eventId, DomainRef dom, org.jvirt.spi.EventPayload payload) {
        for (Conn c : open) {
            if (c.ids.contains(eventId)) {
                c.events.domainEvent(eventId, dom, payload);
            }
        }
    }

    private final class Conn implements DriverConnection {
        /** The event ids someone registered for on this connection. */
        private final Set<Integer> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final String uri;
        private final EventSink events;
        private final AtomicInteger callbacks = new AtomicInteger();

        Conn(String uri, EventSink events) {
            this.uri = uri;
            this.events = events;
        }

        @Override
        public String connectGetType() {
            return "Fake";
        }

        @Override
        public String connectGetURI() {
            return uri;
        }

        @Override
        public boolean connectIsSecure() {
            return true;
        }

        @Override
        public String connectGetHostname() {
            return "fakehost";
        }

        @Override
        public List<DomainRef> connectListAllDomains(int flags) {
            Procedure.checkFlags(flags, 0x3fff, "virConnectListAllDomains");
            List<DomainRef> out = new ArrayList<>();
            for (String n : List.of("alpha", "beta")) {
                out.add(ref(n));
            }
            return out;
        }

        @Override
        public DomainRef domainLookupByName(String name) {
            return ref(name);
        }

        @Override
        public DomainStatus domainGetState(DomainRef dom, int flags) {
            return states.get(dom.name());
        }

        @Override
        public DomainInfo domainGetInfo(DomainRef dom) {
            java.util.concurrent.CountDownLatch hold = holdInfo;
            if (hold != null && dom.name().equals("beta")) {
                try {
                    hold.await(); // a driver call that blocks, as one waiting on a stuck hypervisor would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new DomainInfo(states.get(dom.name()).state(), 1024, 512, 1, 0);
        }

        @Override
        public void domainDestroyFlags(DomainRef dom, int flags) {
            Procedure.checkFlags(flags, 1, "virDomainDestroyFlags");
            states.put(dom.name(), new DomainStatus(DomainState.SHUTOFF, 2));
            emit(DomainEventIds.LIFECYCLE, dom, new org.jvirt.spi.EventPayload.Lifecycle(DomainEventType.STOPPED, 1));
        }

        /** A reboot: the REBOOT event, which has no data. */
        @Override
        public void domainReboot(DomainRef dom, int flags) {
            ref(dom.name());
            emit(DomainEventIds.REBOOT, dom, new org.jvirt.spi.EventPayload.Generic(List.of()));
        }

        /** An attach: DEVICE_ADDED with the alias the document names, and TUNABLE with one parameter. */
        @Override
        public void domainAttachDeviceFlags(DomainRef dom, String xml, int flags) {
            ref(dom.name());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<alias name='([^']+)'").matcher(xml);
            emit(DomainEventIds.DEVICE_ADDED, dom, new org.jvirt.spi.EventPayload.Device(
                    m.find() ? m.group(1) : "dev0"));
            emit(DomainEventIds.TUNABLE, dom, new org.jvirt.spi.EventPayload.Params(List.of(
                    new org.jvirt.api.TypedParameter("cputune.vcpu_quota", org.jvirt.api.TypedParameter.Type.LLONG, 1000L))));
        }

        /** An echo console: what the user types comes back in capitals; "bye" ends the stream. */
        @Override
        public void domainOpenConsole(DomainRef dom, String devName, org.jvirt.spi.StreamPeer stream, int flags) {
            Procedure.checkFlags(flags, 3, "fakeDomainOpenConsole");
            ref(dom.name());
            consoleEvents.add("open " + dom.name());
            stream.bind(new org.jvirt.spi.StreamPeer.Handler() {
                @Override
                public void received(byte[] data, int offset, int length) {
                    String text = new String(data, offset, length, java.nio.charset.StandardCharsets.UTF_8);
                    if (text.trim().equals("bye")) {
                        stream.sendEnd();
                        return;
                    }
                    byte[] up = text.toUpperCase().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    stream.send(up, 0, up.length);
                }

                @Override
                public void finished() {
                    consoleEvents.add("finished");
                }

                @Override
                public void aborted() {
                    consoleEvents.add("aborted");
                }
            });
            byte[] banner = "console of alpha\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            stream.send(banner, 0, banner.length);
        }

        @Override
        public int connectDomainEventCallbackRegisterAny(int eventId, DomainRef dom) {
            ids.add(eventId);
            return callbacks.incrementAndGet();
        }

        @Override
        public void connectDomainEventCallbackDeregisterAny(int callbackId) {
            // the server keeps its own callbacks: nothing to forget here
        }

        @Override
        public void connectClose() {
            open.remove(this);
        }
    }
}
