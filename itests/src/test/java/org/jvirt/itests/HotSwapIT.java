package org.jvirt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Uninstalling, reinstalling and updating a driver bundle while connections to it are open: open
 * connections fail at once with a clear INVALID_CONN (never hang), new opens fail with NO_CONNECT
 * naming the URI while no driver serves the scheme, and a driver that goes leaves no thread behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapIT {

    private static final String TEST_URI = "test:///default";

    @Inject
    private BundleContext context;

    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @Configuration
    public Option[] config() {
        return new Option[] {ItestConfig.base(ItestConfig.testDriver())};
    }

    @Test
    public void updateUninstallReinstallWithOpenConnections() throws Exception {
        Bundle driver = bundle(ItestConfig.TEST_DRIVER_BSN);
        String location = driver.getLocation();
        Connect before = Await.open(TEST_URI);
        Domain defined = before.defineXML("<domain type='test'><name>hot</name><memory>8192</memory>"
                + "<os><type>hvm</type></os></domain>");
        assertEquals("hot", defined.getName());

        // update: the old connection fails clearly; a new one reaches the new driver instance
        driver.update();
        assertGone(before, "after update");
        before.close(); // closing a connection whose driver went is fine, and idempotent
        before.close();
        try (Connect after = Await.open(TEST_URI)) {
            assertTrue("the new instance has fresh state: " + after.listDefinedDomains(),
                    !after.listDefinedDomains().contains("hot"));
            assertEquals("test", after.lookupById(1).getName());
        }

        // uninstall: no driver for the scheme, a clear error for new opens and open connections
        Connect open = Await.open(TEST_URI);
        driver.uninstall();
        Await.until("test scheme gone", () -> Await.openError(TEST_URI) == ErrorCode.NO_CONNECT);
        try (Connect c = Connect.open(TEST_URI)) {
            fail("opened " + TEST_URI + " with the driver uninstalled");
        } catch (VirtException e) {
            assertEquals(ErrorCode.NO_CONNECT, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(TEST_URI));
        }
        assertGone(open, "after uninstall");
        open.close();

        // reinstall from the same jar
        Bundle again = context.installBundle(location);
        again.start();
        try (Connect c = Await.open(TEST_URI)) {
            assertEquals("TEST", c.getType());
            assertEquals("test", c.lookupById(1).getName());
        }
    }

    @Test
    public void removedVendorDriverLeavesNoThreadsAndFailsOpenConnections() throws Exception {
        System.setProperty("jvirt.state.dir", ItestConfig.workDir("hotswap").toString());
        try {
            Bundle exe = context.installBundle(ItestConfig.exeDriverJar().toUri().toString());
            exe.start();
            Connect conn = Await.open("exe:///session");
            String token = ExeDomains.uniqueSleep();
            Domain dom = conn.createXML(ExeDomains.xml("left", "/bin/sleep", token));
            ProcessHandle proc = ExeDomains.process(token).orElseThrow();
            dom.suspend();
            dom.resume();

            exe.uninstall();
            assertGone(conn, "after uninstall of the exe driver");
            conn.close();
            Await.until("exe scheme gone", () -> Await.openError("exe:///session") == ErrorCode.NO_CONNECT);
            List<String> leaks = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                boolean inDriver = Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().startsWith("org.example.driver.exe"));
                ClassLoader cl = t.getContextClassLoader();
                boolean driverLoader = cl != null && cl.toString().contains(ItestConfig.EXE_DRIVER_BSN);
                if (inDriver || driverLoader || t.getName().contains("exe")) {
                    leaks.add(t.getName());
                }
            }
            assertTrue("threads left by the removed driver: " + leaks, leaks.isEmpty());
            // its domain's process is left running, as a guest outlives libvirtd; the test ends it
            assertTrue(proc.isAlive());
            proc.destroyForcibly();
        } finally {
            System.clearProperty("jvirt.state.dir");
        }
    }

    /** A call on the connection fails promptly with INVALID_CONN. */
    private void assertGone(Connect conn, String when) throws Exception {
        Future<?> call = caller.submit(conn::listDomains);
        try {
            call.get(5, TimeUnit.SECONDS);
            fail("a connection still works " + when);
        } catch (TimeoutException e) {
            fail("a call on a connection hangs " + when);
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue("not a VirtException: " + e.getCause(), e.getCause() instanceof VirtException);
            VirtException ve = (VirtException) e.getCause();
            assertEquals(ErrorCode.INVALID_CONN, ve.code());
            assertTrue(ve.getMessage(), ve.getMessage().contains("removed"));
        }
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + bsn + " is not installed"));
    }
}
