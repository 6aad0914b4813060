package org.jvirt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The platform bundle posts the test driver's lifecycle events to EventAdmin under org/jvirt/domain/TYPE. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class EventAdminIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {ItestConfig.base(ItestConfig.testDriver(), ItestConfig.eventAdmin(),
                ItestConfig.platform())};
    }

    @Test
    public void lifecycleEventsArriveInEventAdmin() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, new String[] {"org/jvirt/domain/*"});
        ServiceRegistration<EventHandler> reg = context.registerService(EventHandler.class, events::add, props);
        try (Connect conn = Await.open("test:///default")) {
            // the bridge registers asynchronously: wait until one event gets through
            Domain dom = conn.lookupByName("test");
            Await.until("the EventAdmin bridge", () -> {
                dom.suspend();
                dom.resume();
                return !events.isEmpty();
            });
            Await.sleep(200);
            events.clear();

            dom.suspend();
            expect(events, "SUSPENDED", dom, "Paused");
            dom.resume();
            expect(events, "RESUMED", dom, "Unpaused");
            dom.destroy();
            expect(events, "STOPPED", dom, "Destroyed");
            dom.create();
            expect(events, "STARTED", dom, "Booted");
            Domain other = conn.defineXML("<domain type='test'><name>ev</name><memory>8192</memory>"
                    + "<os><type>hvm</type></os></domain>");
            expect(events, "DEFINED", other, "Added");
            other.undefine();
            expect(events, "UNDEFINED", other, "Removed");
        } finally {
            reg.unregister();
        }
    }

    private static void expect(BlockingQueue<Event> events, String type, Domain dom, String detail)
            throws InterruptedException {
        Event e = events.poll(Await.WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull("no " + type + " event", e);
        assertEquals("org/jvirt/domain/" + type, e.getTopic());
        assertEquals(type, e.getProperty("type"));
        assertEquals(dom.getName(), e.getProperty("domain.name"));
        assertEquals(dom.getUUIDString(), e.getProperty("domain.uuid"));
        assertEquals(detail, e.getProperty("detail.label"));
        assertEquals("test:///default", e.getProperty("connection.uri"));
    }
}
