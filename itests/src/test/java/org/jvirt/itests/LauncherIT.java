package org.jvirt.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The repository's {@code ./jvirsh} launcher works from any current directory and through a symlink, as a
 * new user runs it: it builds what is missing (into its own target folders) and prints the list.
 */
class LauncherIT {
    private static final String EXPECTED = """
             Id   Name   State
            ----------------------
             1    test   running

            """;

    @Test
    void jvirshRunsFromTheRootDirectoryAndThroughASymlink() throws Exception {
        Path root = Path.of(System.getenv("JVIRT_PROJECT_ROOT")).toAbsolutePath();
        Path launcher = root.resolve("jvirsh");
        assertEquals(EXPECTED, run(launcher, Path.of("/")));

        Path links = ItestConfig.workDir("launcher");
        Path link = links.resolve("my-jvirsh");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, launcher);
        assertEquals(EXPECTED, run(link, links));
    }

    private static String run(Path jvirsh, Path cwd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(jvirsh.toString(), "-c", "test:///default", "list", "--all")
                .directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("JVIRT_BUILD_SUFFIX", "-launcher-it");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "jvirsh timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
