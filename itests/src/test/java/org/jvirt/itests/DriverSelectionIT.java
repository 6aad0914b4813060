package org.jvirt.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Driver selection by scheme and ranking, in Apache Felix with Felix SCR: api-bundle's DriverTracker
 * follows the {@link Driver} services, and {@link Connect#open(String)} picks the best one for a scheme.
 * Each test gets a fresh framework, so one that stops a bundle cannot disturb another.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DriverSelectionIT {

    private static final long WAIT_MS = 10_000;

    /** What the test driver's connections report as their type, as libvirt's test driver does. */
    private static final String TEST_TYPE = "TEST";

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return new Option[] {ItestConfig.base(ItestConfig.testDriver())};
    }

    @Test
    public void bundlesResolveAndComponentsActivate() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " state=" + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());

        assertComponentActive(ItestConfig.API_BSN, "org.jvirt.core.internal.DriverTracker");
        assertComponentActive(ItestConfig.TEST_DRIVER_BSN, "org.jvirt.driver.test.internal.TestDriver");
    }

    @Test
    public void testDriverServesTestScheme() throws Exception {
        // the whiteboard: the test driver is a Driver service for scheme "test", from the test bundle
        ServiceReference<?>[] refs = context.getServiceReferences(Driver.class.getName(),
                "(" + Driver.SCHEME_PROPERTY + "=test)");
        assertNotNull("no Driver service for scheme test", refs);
        assertEquals(1, refs.length);
        assertEquals(ItestConfig.TEST_DRIVER_BSN, refs[0].getBundle().getSymbolicName());

        try (Connect conn = awaitOpen("test:///default")) {
            assertEquals(TEST_TYPE, conn.getType());
            assertEquals("test:///default", conn.getURI());
            assertArrayEquals(new int[] {1}, conn.listDomains());
            Domain dom = conn.lookupById(1);
            assertEquals("test", dom.getName());
            assertEquals(1, dom.getID());
            assertEquals("test", conn.lookupByName("test").getName());
        }
    }

    @Test
    public void highestRankingDriverServesScheme() {
        // nothing serves "rank" yet
        assertNoConnect("rank:///x");

        ServiceRegistration<Driver> low = register(new FixedDriver("RankLow"), 1);
        ServiceRegistration<Driver> high = register(new FixedDriver("RankHigh"), 10);
        boolean lowUp = true;
        boolean highUp = true;
        try {
            await("rank:///x served by RankHigh", () -> "RankHigh".equals(typeOf("rank:///x")));
            // stays so: the order of registration does not matter, ranking does
            assertEquals("RankHigh", typeOf("rank:///x"));

            high.unregister();
            highUp = false;
            await("rank:///x served by RankLow", () -> "RankLow".equals(typeOf("rank:///x")));

            low.unregister();
            lowUp = false;
            await("rank:///x served by nobody", () -> typeOf("rank:///x") == null);
            assertNoConnect("rank:///x");

            // the test driver was never disturbed
            assertEquals(TEST_TYPE, typeOf("test:///default"));
        } finally {
            if (highUp) {
                high.unregister();
            }
            if (lowUp) {
                low.unregister();
            }
        }
    }

    @Test
    public void lowerRankingRegisteredLaterDoesNotWin() {
        ServiceRegistration<Driver> high = register(new FixedDriver("RankHigh"), 10);
        try {
            await("rank:///x served by RankHigh", () -> "RankHigh".equals(typeOf("rank:///x")));
            ServiceRegistration<Driver> low = register(new FixedDriver("RankLow"), 1);
            try {
                assertEquals("RankHigh", typeOf("rank:///x"));
            } finally {
                low.unregister();
            }
            assertEquals("RankHigh", typeOf("rank:///x"));
        } finally {
            high.unregister();
        }
    }

    @Test
    public void stoppingTheTestBundleRemovesTheTestScheme() throws Exception {
        Bundle testBundle = bundle(ItestConfig.TEST_DRIVER_BSN);
        awaitOpen("test:///default").close();

        testBundle.stop();
        await("test:///default to be gone", () -> typeOf("test:///default") == null);
        assertNoConnect("test:///default");

        testBundle.start();
        try (Connect conn = awaitOpen("test:///default")) {
            assertEquals(TEST_TYPE, conn.getType());
            assertArrayEquals(new int[] {1}, conn.listDomains());
            assertEquals("test", conn.lookupById(1).getName());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private ServiceRegistration<Driver> register(Driver driver, int ranking) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Driver.SCHEME_PROPERTY, "rank");
        props.put(Constants.SERVICE_RANKING, ranking);
        return context.registerService(Driver.class, driver, props);
    }

    /** The type of the driver that opens the URI, or null when the open fails with NO_CONNECT. */
    private static String typeOf(String uri) {
        try (Connect conn = Connect.open(uri)) {
            return conn.getType();
        } catch (VirtException e) {
            if (e.code() == ErrorCode.NO_CONNECT) {
                return null;
            }
            throw e;
        }
    }

    private static void assertNoConnect(String uri) {
        try (Connect conn = Connect.open(uri)) {
            fail(uri + " opened on " + conn.getType() + ", expected NO_CONNECT");
        } catch (VirtException e) {
            assertEquals("error code for " + uri + ": " + e, ErrorCode.NO_CONNECT, e.code());
        }
    }

    /** Opens a URI, waiting for its driver to show up (SCR activates components asynchronously). */
    private static Connect awaitOpen(String uri) {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            try {
                return Connect.open(uri);
            } catch (VirtException e) {
                if (e.code() != ErrorCode.NO_CONNECT || System.currentTimeMillis() > end) {
                    throw e;
                }
            }
            sleep();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out after " + WAIT_MS + " ms waiting for " + what);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + bsn + " is not installed"));
    }

    private void assertComponentActive(String bsn, String componentName) {
        Bundle b = bundle(bsn);
        ComponentDescriptionDTO desc = scr.getComponentDescriptionDTO(b, componentName);
        assertNotNull("component " + componentName + " is not declared by " + bsn
                + " (Service-Component header: " + b.getHeaders().get("Service-Component") + ")", desc);
        long end = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            List<ComponentConfigurationDTO> configs = List.copyOf(scr.getComponentConfigurationDTOs(desc));
            if (configs.stream().anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE)) {
                return;
            }
            if (System.currentTimeMillis() > end) {
                fail("component " + componentName + " is not active: " + configs.stream()
                        .map(c -> "state=" + c.state + " unsatisfied="
                                + Arrays.stream(c.unsatisfiedReferences).map(r -> r.name + " " + r.target)
                                        .collect(Collectors.toList())
                                + (c.failure != null ? " failure=" + c.failure : ""))
                        .collect(Collectors.joining("; ")));
            }
            sleep();
        }
    }

    /** A driver for scheme "rank" whose connections report the driver's name as their type. */
    public static final class FixedDriver implements Driver {
        private final String name;

        FixedDriver(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> schemes() {
            return Set.of("rank");
        }

        @Override
        public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
            return Optional.of(new DriverConnection() {
                @Override
                public String connectGetType() {
                    return name;
                }

                @Override
                public String connectGetURI() {
                    return "rank:///x";
                }

                @Override
                public void connectClose() {
                }
            });
        }
    }
}
