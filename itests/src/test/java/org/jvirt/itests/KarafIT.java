package org.jvirt.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * jvirt's Karaf feature in a real Apache Karaf 4.4 (the distribution from Maven Central, unpacked
 * fresh): the features repository is added by its Maven coordinates, {@code feature:install jvirt}
 * pulls in SCR, and the Gogo command {@code jvirt:list} lists the domains of test:///default. Karaf
 * runs offline: what it needs is put into its system/ folder first; its ports are free ones.
 */
class KarafIT {

    private static final long WAIT_MS = 90_000;

    private Process karaf;
    private Path home;
    private int sshPort;

    @Test
    void featureInstallsAndJvirtCommandListsDomains() throws Exception {
        long t0 = System.nanoTime();
        String version = System.getProperty("itest.karaf.version");
        String jvirtVersion = System.getProperty("itest.project.version");
        Path dist = Paths.get(System.getProperty("itest.karaf.dist"));
        Path work = ItestConfig.workDir("karaf");
        run(work, "tar", "xzf", dist.resolve("apache-karaf-" + version + ".tar.gz").toString());
        home = work.resolve("apache-karaf-" + version);

        // offline: Karaf's own system/ repository gets SCR and jvirt's artifacts, in Maven layout
        Path system = home.resolve("system");
        put(system, "org.apache.felix", "org.apache.felix.scr", "2.2.6", "jar", dist.resolve("org.apache.felix.scr-2.2.6.jar"));
        put(system, "org.osgi", "org.osgi.service.component", "1.5.1", "jar",
                dist.resolve("org.osgi.service.component-1.5.1.jar"));
        put(system, "org.osgi", "org.osgi.util.promise", "1.3.0", "jar", dist.resolve("org.osgi.util.promise-1.3.0.jar"));
        put(system, "org.osgi", "org.osgi.util.function", "1.2.0", "jar", dist.resolve("org.osgi.util.function-1.2.0.jar"));
        put(system, "org.apache.felix", "org.apache.felix.inventory", "1.1.0", "jar",
                dist.resolve("org.apache.felix.inventory-1.1.0.jar"));
        put(system, "org.apache.felix", "org.apache.felix.webconsole.plugins.ds", "2.2.0", "jar",
                dist.resolve("org.apache.felix.webconsole.plugins.ds-2.2.0.jar"));
        put(system, "org.jvirt", "api-bundle", jvirtVersion, "jar", ItestConfig.jarOf("itest.bundle.api", "api-bundle.jar"));
        put(system, "org.jvirt", "test-bundle", jvirtVersion, "jar", ItestConfig.jarOf("itest.bundle.test", "test-bundle.jar"));
        put(system, "org.jvirt", "shell-bundle", jvirtVersion, "jar",
                ItestConfig.jarOf("itest.bundle.shell", "shell-bundle.jar"));
        put(system, "org.jvirt", "platform-bundle", jvirtVersion, "jar",
                ItestConfig.jarOf("itest.bundle.platform", "platform-bundle.jar"));
        Path features = Paths.get(System.getProperty("itest.karaf.features"));
        assertTrue(Files.isRegularFile(features), features + " missing: build the karaf-feature module");
        Path repo = system.resolve("org/jvirt/karaf-feature/" + jvirtVersion);
        Files.createDirectories(repo);
        Files.copy(features, repo.resolve("karaf-feature-" + jvirtVersion + "-features.xml"));

        Path etc = home.resolve("etc");
        edit(etc.resolve("org.ops4j.pax.url.mvn.cfg"), s -> s
                .replaceAll("(?m)^org\\.ops4j\\.pax\\.url\\.mvn\\.repositories\\s*=(.*\\\\\\n)*.*$",
                        "org.ops4j.pax.url.mvn.repositories =")
                + "\norg.ops4j.pax.url.mvn.offline = true\n"
                + "org.ops4j.pax.url.mvn.localRepository = " + work.resolve("m2") + "\n");
        // login is disabled by default: enable the karaf user and its admin group
        edit(etc.resolve("users.properties"), s -> s.replace("#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup")
                .replace("#_g_\\:admingroup", "_g_\\:admingroup"));
        // the scr feature's conditional bundles from org.apache.karaf.scr (JMX management, bundle state)
        // have a parent pom that is missing from Maven Central, so the build cannot fetch them for this
        // offline run: Karaf's features processing leaves them out (Karaf fetches conditional bundles
        // to resolve, whether their condition holds or not)
        edit(etc.resolve("org.apache.karaf.features.xml"), s -> s.replace("<!-- <blacklistedRepositories/> -->",
                "<blacklistedBundles><bundle>mvn:org.apache.karaf.scr/org.apache.karaf.scr.management/" + version
                        + "</bundle><bundle>mvn:org.apache.karaf.scr/org.apache.karaf.scr.state/" + version
                        + "</bundle></blacklistedBundles>"));
        sshPort = freePort();
        edit(etc.resolve("org.apache.karaf.shell.cfg"), s -> s.replaceAll("(?m)^sshPort\\s*=.*$", "sshPort = " + sshPort)
                .replaceAll("(?m)^sshHost\\s*=.*$", "sshHost = 127.0.0.1"));
        int rmiRegistry = freePort();
        int rmiServer = freePort();
        edit(etc.resolve("org.apache.karaf.management.cfg"), s -> s
                .replaceAll("(?m)^rmiRegistryPort\\s*=.*$", "rmiRegistryPort = " + rmiRegistry)
                .replaceAll("(?m)^rmiServerPort\\s*=.*$", "rmiServerPort = " + rmiServer));

        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .redirectErrorStream(true).redirectOutput(work.resolve("karaf.out").toFile());
        karaf = pb.start();

        String repoAdd = client("feature:repo-add mvn:org.jvirt/karaf-feature/" + jvirtVersion + "/xml/features");
        assertTrue(!repoAdd.contains("Error"), repoAdd);
        String install = client("feature:install jvirt");
        assertTrue(!install.contains("Error"), install + "\n" + log());
        String list = "";
        long end = System.currentTimeMillis() + 20_000;
        while (!list.matches("(?s).*\\b1\\s+test\\s+running.*")) {
            if (System.currentTimeMillis() > end) {
                fail("jvirt:list did not list test:///default's domain:\n" + list + "\n" + log());
            }
            list = client("jvirt:list -c test:///default --all");
        }
        String drivers = client("jvirt:drivers");
        assertTrue(drivers.contains("Test"), drivers);
        System.out.println("KarafIT: done in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    @AfterEach
    void stopKaraf() throws Exception {
        if (karaf == null) {
            return;
        }
        // bin/karaf runs Karaf's JVM as its child: SIGTERM that JVM (a clean Karaf shutdown), then the script
        List<ProcessHandle> jvms = karaf.toHandle().descendants().toList();
        jvms.forEach(ProcessHandle::destroy);
        boolean clean = true;
        for (ProcessHandle h : jvms) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                clean = false;
                h.destroyForcibly();
            }
        }
        karaf.toHandle().destroy();
        if (!karaf.waitFor(10, TimeUnit.SECONDS)) {
            karaf.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(clean, "Karaf did not stop on SIGTERM");
    }

    /** Runs one command through bin/client, waiting for SSH to come up; returns its output. */
    private String client(String command) throws Exception {
        List<String> argv = new ArrayList<>(List.of(home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "60", "-d", "1",
                command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write('\n'); // bin/client with stdin at EOF only prints "Closed"
        p.getOutputStream().flush();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("bin/client " + command + " hangs:\n" + out);
        }
        assertTrue(karaf.isAlive(), () -> "Karaf died:\n" + log());
        assertEquals(0, p.exitValue(), () -> "bin/client " + command + ":\n" + out + "\n" + log());
        return out;
    }

    private String log() {
        try {
            return Files.readString(home.getParent().resolve("karaf.out")) + "\n---- karaf.log:\n"
                    + Files.readString(home.resolve("data/log/karaf.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void put(Path system, String group, String artifact, String version, String type, Path file)
            throws IOException {
        Path dir = system.resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        Files.copy(file, dir.resolve(artifact + "-" + version + "." + type), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void edit(Path file, java.util.function.UnaryOperator<String> change) throws IOException {
        Files.writeString(file, change.apply(Files.readString(file)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> String.join(" ", cmd) + ": " + out);
    }
}
