package org.jvirt.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * The framework set-up shared by the in-container tests. Runs outside the framework only (from the
 * {@code @Configuration} methods).
 *
 * <p>jvirt's own bundles are provisioned as {@code file:} URLs from {@code target/bundles}: reactor
 * snapshots are not in the local repository during a build, so {@code mvn:} URLs cannot be used. The
 * pom hands over each module's file as Maven resolved it: the bundle jar under {@code mvn verify}, the
 * module's output folder (holding bnd's {@code META-INF/MANIFEST.MF}) under {@code mvn test}; a folder is
 * jarred here so that both phases install a real bundle jar.
 */
public final class ItestConfig {

    /** Symbolic names of jvirt's bundles, as set in their bnd.bnd. */
    public static final String API_BSN = "org.jvirt.api";
    public static final String TEST_DRIVER_BSN = "org.jvirt.driver.test";
    public static final String PLATFORM_BSN = "org.jvirt.platform";
    public static final String EXE_DRIVER_BSN = "org.example.driver.exe";

    private ItestConfig() {
    }

    /** Felix SCR and its API bundles, api-bundle, and the given extra jvirt bundles. */
    public static Option base(Option... extra) {
        return composite(
                cleanCaches(true),
                systemTimeout(30_000),
                // pax-logging (Pax Exam's own) logs at DEBUG inside the framework unless told
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                junitBundles(),
                thirdParty("org.osgi.util.function.jar"),
                thirdParty("org.osgi.util.promise.jar"),
                thirdParty("org.osgi.service.component.jar"),
                thirdParty("org.apache.felix.scr.jar"),
                jvirt("itest.bundle.api", "api-bundle.jar"),
                composite(extra));
    }

    /** jvirt's test driver bundle. */
    public static Option testDriver() {
        return jvirt("itest.bundle.test", "test-bundle.jar");
    }

    /** jvirt's platform bundle (EventAdmin bridge, driver failure monitor, Gogo scope jvirt) and the shell it uses. */
    public static Option platform() {
        return composite(jvirt("itest.bundle.shell", "shell-bundle.jar"),
                jvirt("itest.bundle.platform", "platform-bundle.jar"));
    }

    public static Option configAdmin() {
        return thirdParty("org.apache.felix.configadmin.jar");
    }

    public static Option eventAdmin() {
        return thirdParty("org.apache.felix.eventadmin.jar");
    }

    public static Option gogoRuntime() {
        return thirdParty("org.apache.felix.gogo.runtime.jar");
    }

    /** A jvirt bundle as a jar file (jarred from its output folder under `mvn test`). */
    public static Path jarOf(String property, String fileName) {
        return jarFile(property, fileName);
    }

    /** The example vendor driver as a bundle jar, for tests that install it at runtime. */
    public static Path exeDriverJar() {
        return jarFile("itest.bundle.exe", "exe-driver.jar");
    }

    /** The exe driver's bundle, provisioned at start (tests that don't need to install it themselves). */
    public static Option exeDriver() {
        return bundle(exeDriverJar().toUri().toString());
    }

    /** A fresh folder under target/itest-work for one test's state. */
    public static Path workDir(String name) {
        String dir = System.getProperty("itest.work.dir");
        if (dir == null || dir.isEmpty()) {
            dir = bundlesDir().resolveSibling("itest-work").toString();
        }
        try {
            Path base = Files.createDirectories(Paths.get(dir));
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** System properties that the in-container test code reads back (they are set in the test JVM). */
    public static Option propagate(String... names) {
        Option[] opts = new Option[names.length];
        for (int i = 0; i < names.length; i++) {
            String v = System.getProperty(names[i]);
            if (v == null) {
                throw new IllegalStateException("system property " + names[i] + " is not set: run the tests through Maven");
            }
            opts[i] = systemProperty(names[i]).value(v);
        }
        return composite(opts);
    }

    private static Path bundlesDir() {
        String dir = System.getProperty("itest.bundles.dir");
        if (dir == null || dir.isEmpty()) {
            throw new IllegalStateException("system property itest.bundles.dir is not set: run the tests through Maven");
        }
        return Paths.get(dir);
    }

    private static Option thirdParty(String fileName) {
        Path p = bundlesDir().resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: the pom copies it in generate-test-resources");
        }
        return bundle(p.toUri().toString());
    }

    private static Option jvirt(String property, String fileName) {
        return bundle(jarFile(property, fileName).toUri().toString());
    }

    private static Path jarFile(String property, String fileName) {
        String from = System.getProperty(property);
        if (from == null || from.isEmpty() || from.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        Path source = Paths.get(from);
        Path target = bundlesDir().resolve(fileName);
        try {
            Files.createDirectories(target.getParent());
            if (Files.isDirectory(source)) {
                jar(source, target);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot provision " + source + " as " + target, e);
        }
        return target;
    }

    /** Jars a bundle's output folder, manifest first as the JarInputStream readers expect. */
    private static void jar(Path dir, Path target) throws IOException {
        Path manifest = dir.resolve("META-INF/MANIFEST.MF");
        if (!Files.isRegularFile(manifest)) {
            throw new IOException(dir + " has no META-INF/MANIFEST.MF: is bnd-maven-plugin active for it?");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> !p.equals(dir) && !p.equals(manifest) && !p.equals(manifest.getParent()))
                    .sorted().toList();
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("META-INF/"));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/MANIFEST.MF"));
            Files.copy(manifest, jar);
            jar.closeEntry();
            for (Path f : files) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (Files.isDirectory(f)) {
                    jar.putNextEntry(new JarEntry(name + "/"));
                } else {
                    jar.putNextEntry(new JarEntry(name));
                    Files.copy(f, jar);
                }
                jar.closeEntry();
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
