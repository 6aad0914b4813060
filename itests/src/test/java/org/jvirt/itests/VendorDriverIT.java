package org.jvirt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainEvent;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ListDomainsFlag;
import org.jvirt.api.VirtException;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The example vendor driver (examples/vendor-driver), installed while the framework runs, serving
 * exe:/// with real host processes: define, start, SIGSTOP/SIGCONT, /proc figures, destroy, events
 * when a process exits, autostart, and adopting running processes after a bundle update.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class VendorDriverIT {

    private static final String URI = "exe:///session";

    @Inject
    private BundleContext context;

    private Bundle exe;
    private Path state;

    @Configuration
    public Option[] config() {
        return new Option[] {ItestConfig.base()};
    }

    private Bundle installExe() throws Exception {
        state = ItestConfig.workDir("exe");
        System.setProperty("jvirt.state.dir", state.toString());
        assertEquals("exe:/// before the driver is installed", ErrorCode.NO_CONNECT, Await.openError(URI));
        exe = context.installBundle(ItestConfig.exeDriverJar().toUri().toString());
        exe.start();
        return exe;
    }

    @After
    public void killLeftovers() throws Exception {
        // the driver leaves domains running when it goes (as guests outlive libvirtd): end the test's
        if (state != null && Files.isDirectory(state.resolve("exe/run"))) {
            try (var s = Files.list(state.resolve("exe/run"))) {
                s.forEach(f -> {
                    try {
                        String pid = Files.readAllLines(f).stream().filter(l -> l.startsWith("pid="))
                                .findFirst().orElse("pid=0").substring(4);
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    } catch (Exception e) {
                        // already gone
                    }
                });
            }
        }
        System.clearProperty("jvirt.state.dir");
    }

    @Test
    public void deployedAtRuntimeRunsAProcessDomain() throws Exception {
        installExe();
        try (Connect conn = Await.open(URI)) {
            assertEquals("EXE", conn.getType());
            BlockingQueue<DomainEvent> events = new LinkedBlockingQueue<>();
            conn.addDomainEventListener(events::add);

            String token = ExeDomains.uniqueSleep();
            Domain dom = conn.defineXML(ExeDomains.xml("sleeper", "/bin/sleep", token));
            expect(events, "sleeper", DomainEventType.DEFINED, DomainEventType.DEFINED_ADDED);
            assertTrue("definition persisted", Files.isRegularFile(state.resolve("exe/sleeper.xml")));
            assertEquals(DomainState.SHUTOFF, dom.getInfo().state());
            assertTrue(ExeDomains.process(token).isEmpty());

            dom.create();
            expect(events, "sleeper", DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
            ProcessHandle proc = ExeDomains.process(token).orElseThrow(() -> new AssertionError("no sleep process"));
            assertTrue(proc.isAlive());
            assertTrue(dom.isActive());
            assertTrue(dom.getID() > 0);
            DomainInfo info = dom.getInfo();
            assertEquals(DomainState.RUNNING, info.state());
            assertEquals(65536, info.maxMemKiB());
            assertTrue("resident memory from /proc: " + info, info.memoryKiB() > 0);
            assertEquals(dom.getName(), conn.lookupById(dom.getID()).getName());

            dom.suspend();
            expect(events, "sleeper", DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
            assertEquals('T', ExeDomains.procState(proc.pid()));
            assertEquals(DomainState.PAUSED, dom.getInfo().state());

            dom.resume();
            expect(events, "sleeper", DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
            assertNotEquals('T', ExeDomains.procState(proc.pid()));
            assertEquals(DomainState.RUNNING, dom.getInfo().state());

            dom.destroy();
            expect(events, "sleeper", DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED);
            assertTrue("process gone after destroy", proc.onExit().get(5, TimeUnit.SECONDS) != null);
            assertFalse(proc.isAlive());
            assertEquals(DomainState.SHUTOFF, dom.getInfo().state());
            assertEquals(Set.of("sleeper"), Set.copyOf(conn.listDefinedDomains()));

            // CPU time comes from /proc/PID/stat
            Domain spin = conn.createXML(ExeDomains.xml("spinner", "/bin/sh", "-c", "while :; do :; done"));
            expect(events, "spinner", DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
            Await.until("spinner to use CPU time", () -> spin.getInfo().cpuTimeNs() > 50_000_000L);
            spin.destroy();
            expect(events, "spinner", DomainEventType.STOPPED, DomainEventType.STOPPED_DESTROYED);

            // a process that ends by itself: a STOPPED event, and a transient domain is gone
            conn.createXML(ExeDomains.xml("quick", "/bin/sh", "-c", "sleep 0.2; exit 3"));
            expect(events, "quick", DomainEventType.STARTED, DomainEventType.STARTED_BOOTED);
            expect(events, "quick", DomainEventType.STOPPED, DomainEventType.STOPPED_FAILED);
            try {
                conn.lookupByName("quick");
                fail("transient domain quick still exists after its process ended");
            } catch (VirtException e) {
                assertEquals(ErrorCode.NO_DOMAIN, e.code());
            }

            dom.undefine();
            expect(events, "sleeper", DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
            assertFalse(Files.exists(state.resolve("exe/sleeper.xml")));
        }
    }

    @Test
    public void autostartAndRunningDomainsSurviveBundleRestartAndUpdate() throws Exception {
        installExe();
        String token = ExeDomains.uniqueSleep();
        try (Connect conn = Await.open(URI)) {
            Domain dom = conn.defineXML(ExeDomains.xml("auto", "/bin/sleep", token));
            dom.setAutostart(true);
            assertTrue(dom.getAutostart());
            assertEquals(1, conn.listAllDomains(Set.of(ListDomainsFlag.AUTOSTART)).size());
            assertTrue(ExeDomains.process(token).isEmpty());
        }

        // the driver starts: the autostart domain comes up
        exe.stop();
        exe.start();
        ProcessHandle proc;
        try (Connect conn = Await.open(URI)) {
            Domain dom = conn.lookupByName("auto");
            assertTrue("autostarted", dom.isActive());
            proc = ExeDomains.process(token).orElseThrow(() -> new AssertionError("autostart ran no process"));
        }

        // a new revision of the driver adopts the running process instead of starting another
        Connect old = Await.open(URI);
        exe.update();
        try {
            old.listDomains();
            fail("a connection to the replaced driver still works");
        } catch (VirtException e) {
            assertEquals(ErrorCode.INVALID_CONN, e.code());
        }
        old.close();
        try (Connect conn = Await.open(URI)) {
            Domain dom = conn.lookupByName("auto");
            assertTrue("still running after the update", dom.isActive());
            assertTrue(proc.isAlive());
            assertEquals("one process only", 1, ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                    .map(a -> java.util.Arrays.asList(a).contains(token)).orElse(false)).count());
            assertEquals(DomainState.RUNNING, dom.getInfo().state());
            dom.suspend();
            assertEquals('T', ExeDomains.procState(proc.pid()));
            dom.destroy();
            assertNotNull(proc.onExit().get(5, TimeUnit.SECONDS));
            dom.setAutostart(false);
            dom.undefine();
        }
    }

    /** Takes the next event, which must be for the domain with the type and detail. */
    static void expect(BlockingQueue<DomainEvent> events, String name, DomainEventType type, int detail)
            throws InterruptedException {
        DomainEvent e = events.poll(Await.WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull("no " + type + " event for " + name, e);
        assertEquals(name + " " + type + " " + type.detailLabel(detail),
                e.domain().getName() + " " + e.type() + " " + e.detailLabel());
    }
}
