package org.jvirt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirt.api.Connect;
import org.jvirt.api.DriverInfo;
import org.jvirt.api.ErrorCode;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Driver settings come from ConfigAdmin: changing the exe driver's PID moves its state directory at
 * once, and a setting it cannot use makes it a rejected driver, listed with the reason.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ConfigAdminIT {

    private static final String PID = "org.example.driver.exe";
    private static final String URI = "exe:///session";

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return new Option[] {ItestConfig.base(ItestConfig.configAdmin(), ItestConfig.platform(),
                ItestConfig.exeDriver())};
    }

    @Test
    public void stateDirectoryChangeTakesEffectAndBadSettingIsListedWithReason() throws Exception {
        Path a = ItestConfig.workDir("cm-a");
        Path b = ItestConfig.workDir("cm-b");
        org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration(PID, "?");
        cfg.update(props(a));
        Await.until("the driver to use " + a, () -> Files.isDirectory(a.resolve("run")));
        try (Connect conn = Await.open(URI)) {
            conn.defineXML(ExeDomains.xml("in-a", "/bin/true"));
        }
        assertTrue(Files.isRegularFile(a.resolve("in-a.xml")));

        cfg.update(props(b));
        Await.until("the driver to use " + b, () -> Files.isDirectory(b.resolve("run")));
        try (Connect conn = Await.open(URI)) {
            assertEquals(List.of(), conn.listDefinedDomains());
            conn.defineXML(ExeDomains.xml("in-b", "/bin/true"));
        }
        assertTrue(Files.isRegularFile(b.resolve("in-b.xml")));
        assertFalse(Files.exists(a.resolve("in-b.xml")));

        // a state directory the driver cannot create: activation fails, the driver is listed as rejected
        Dictionary<String, Object> bad = new Hashtable<>();
        bad.put("stateDir", "/proc/jvirt-cannot-create-this");
        cfg.update(bad);
        Await.until("the exe driver to be rejected", () -> rejected().isPresent());
        String reason = rejected().get().rejectedReason();
        assertTrue(reason, reason.contains("cannot use state directory /proc/jvirt-cannot-create-this"));
        assertEquals(ErrorCode.NO_CONNECT, Await.openError(URI));

        // fixed: usable again, the rejection is gone, and the definitions in a are back
        cfg.update(props(a));
        Await.until("the rejection to clear", () -> rejected().isEmpty());
        try (Connect conn = Await.open(URI)) {
            assertEquals(List.of("in-a"), conn.listDefinedDomains());
        }
        cfg.delete();
    }

    private static Optional<DriverInfo> rejected() {
        return Connect.listDrivers().stream().filter(d -> !d.isActive() && d.name().contains(PID)).findFirst();
    }

    private static Dictionary<String, Object> props(Path stateDir) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("stateDir", stateDir.toString());
        return p;
    }
}
