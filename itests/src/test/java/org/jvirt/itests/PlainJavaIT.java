package org.jvirt.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The same jars as in OSGi, on a flat class path without any framework: api-bundle, the test driver and
 * the exe vendor driver, found through ServiceLoader, in a fresh JVM running {@link PlainJavaMain}.
 */
class PlainJavaIT {

    @Test
    void bundlesWorkOnAFlatClassPath() throws Exception {
        Path testClasses = Paths.get(PlainJavaMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String cp = String.join(File.pathSeparator, System.getProperty("itest.bundle.api"),
                System.getProperty("itest.bundle.test"), System.getProperty("itest.bundle.exe"), testClasses.toString());
        String token = ExeDomains.uniqueSleep();
        Path state = ItestConfig.workDir("plain");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, PlainJavaMain.class.getName(), state.toString()).redirectErrorStream(true);
        pb.environment().put("PLAIN_TOKEN", token);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains("osgi: absent"), out);
        assertTrue(lines.contains("drivers: Test/classpath,exe/classpath"), out);
        assertTrue(lines.contains("test: test RUNNING"), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("exe: pid \\d+ paused=T then RUNNING, alive after destroy=false")),
                out);
    }
}
