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
        return Optional.of(new Conn(uri.toString(), context.events()));
    }

    DomainRef ref(String name) {
        DomainStatus s = states.get(name);
        if (s == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.DOM,
                    "no domain with matching name '" + name + "'");
        }
        return new DomainRef(name, uuids.get(name), s.state().isActive() ? (name.equals("alpha") ? 1 : 2) : -1);
    }

    private final class Conn implements DriverConnection {
        private final String uri;
        private final EventSink events;
        private final AtomicInteger callbacks = new AtomicInteger();
        private volatile boolean listening;

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
            return new DomainInfo(states.get(dom.name()).state(), 1024, 512, 1, 0);
        }

        @Override
        public void domainDestroyFlags(DomainRef dom, int flags) {
            Procedure.checkFlags(flags, 1, "virDomainDestroyFlags");
            states.put(dom.name(), new DomainStatus(DomainState.SHUTOFF, 2));
            if (listening) {
                events.lifecycle(dom, DomainEventType.STOPPED, 1);
            }
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
            if (eventId == DomainEventIds.LIFECYCLE) {
                listening = true;
            }
            return callbacks.incrementAndGet();
        }

        @Override
        public void connectDomainEventCallbackDeregisterAny(int callbackId) {
            listening = false;
        }

        @Override
        public void connectClose() {
        }
    }
}
