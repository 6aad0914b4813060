package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.VirtUri;
import org.jvirt.driver.xen.internal.xenstore.XenStore;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.OpenContext;

/**
 * Lifecycle events from xenstored's watches on the faked host: the test plays the toolstack. It makes the
 * faked hypervisor run a guest (fakehcall.c's domain table), writes the guest's xenstore entries and
 * introduces the guest to the real xenstored (XS_INTRODUCE, as libxl does once it built a domain), which fires
 * {@code @introduceDomain}; later it drops the guest from the hypervisor and releases it (XS_RELEASE), which
 * fires {@code @releaseDomain}. The driver's listeners must get STARTED/BOOTED and STOPPED without any call
 * of theirs.
 */
class XenDomainEventsTest {
    static final String DOM0 = XenHostDomainsTest.DOM0;
    static final String WEB_UUID = "0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b";

    @TempDir
    static Path dir;
    static FakeXen xen;

    @BeforeAll
    static void start() throws Exception {
        xen = FakeXen.start(dir);
    }

    @AfterAll
    static void stop() {
        if (xen != null) {
            xen.close();
        }
    }

    record Ev(String name, DomainEventType type, int detail) {
    }

    static final class Events implements EventSink {
        final BlockingQueue<Ev> queue = new LinkedBlockingQueue<>();

        @Override
        public void domainEvent(int eventId, DomainRef domain, EventPayload payload) {
            if (payload instanceof EventPayload.Lifecycle l) {
                queue.add(new Ev(domain.name(), l.type(), l.detail()));
            }
        }

        Ev await(long millis) throws InterruptedException {
            Ev e = queue.poll(millis, TimeUnit.MILLISECONDS);
            if (e == null) {
                fail("no lifecycle event within " + millis + " ms");
            }
            return e;
        }
    }

    private static String guest(int id, String state, String uuid) {
        return id + " " + state + " 65536 65536 1 0 1000000000 " + uuid;
    }

    @Test
    void introduceAndReleaseAreStartedAndStopped() throws Exception {
        xen.hypervisorDomains(DOM0);
        XenDriver driver = XenDriverTest.driver(dir.resolve("etc-events"), true, xen);
        Events events = new Events();
        Events quiet = new Events();
        DriverConnection c = driver.open(VirtUri.parse("xen:///system"), new OpenContext(false, null, events))
                .orElseThrow();
        DriverConnection other = driver.open(VirtUri.parse("xen:///system"), new OpenContext(false, null, quiet))
                .orElseThrow();
        try (XenStore toolstack = XenStore.open(xen.socket())) {
            c.connectDomainEventCallbackRegisterAny(DomainEventIds.LIFECYCLE, null);
            c.connectNumOfDomains(); // the baseline: Domain-0 was running before, no event for it
            assertNull(events.queue.poll(300, TimeUnit.MILLISECONDS), "no event for what already ran");

            // a guest is built: the hypervisor runs it, libxl wrote its entries and introduces it
            xen.hypervisorDomains(DOM0, guest(5, "r", WEB_UUID));
            xen.xenstoreGuest(5, "web5", WEB_UUID, 65536, 65536, 1, 1, "pv");
            toolstack.introduce(5, 0x1234, 1);
            assertEquals(new Ev("web5", DomainEventType.STARTED, DomainEventType.STARTED_BOOTED), events.await(5000));

            // it shuts down (seen by a listing), then it is gone and released
            xen.hypervisorDomains(DOM0, guest(5, "s", WEB_UUID));
            assertEquals(2, c.connectNumOfDomains());
            xen.hypervisorDomains(DOM0);
            toolstack.release(5);
            assertEquals(new Ev("web5", DomainEventType.STOPPED, DomainEventType.STOPPED_SHUTDOWN), events.await(5000));

            // another one that simply disappears: destroyed
            xen.hypervisorDomains(DOM0, guest(6, "r", "6e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b"));
            xen.xenstoreGuest(6, "db6", "6e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b", 65536, 65536, 1, 1, "hvm");
            toolstack.introduce(6, 0x1235, 2);
            assertEquals(new Ev("db6", DomainEventType.STARTED, DomainEventType.STARTED_BOOTED), events.await(5000));
            xen.hypervisorDomains(DOM0);
            toolstack.release(6);
            assertEquals(new Ev("db6", DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED), events.await(5000));

            // every event came once, and a connection that registered no callback got none
            assertNull(events.queue.poll(300, TimeUnit.MILLISECONDS), "one event per change");
            assertTrue(quiet.queue.isEmpty(), "no callback, no events: " + new ArrayList<>(quiet.queue));
            assertEquals(1, c.connectNumOfDomains(), "only Domain-0 runs");
        } finally {
            other.connectClose();
            c.connectClose();
        }
    }
}
