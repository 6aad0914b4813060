package org.jvirt.remote.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libvirt-python, the stock client, calls the procedures jvirt added (and one no driver has) on
 * {@code test:///default} in its own process and on jvirtd serving it: every result and every error (code,
 * domain, message) must be the same. Skipped without python3-libvirt, unless CI=true.
 */
class PythonAgainstJvirtdTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void newProceduresAnswerAsLibvirtsTestDriver() throws Exception {
        Path script = dir.resolve("new-procedures.py");
        try (InputStream in = PythonAgainstJvirtdTest.class.getResourceAsStream("/interop/new-procedures.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> expected = run(script, "test:///default", "test:///default");
        try (JvirtdTestNode node = new JvirtdTestNode(dir.resolve("run"))) {
            List<String> actual = run(script, "test+unix:///default?socket=" + node.socket(),
                    "test+unix:///default?socket=" + node.readOnlySocket());
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                assertEquals(expected.get(i), actual.get(i), "line " + (i + 1));
            }
            assertEquals(expected.size(), actual.size(), "lines");
        }
    }

    private static List<String> run(Path script, String uri, String readOnlyUri) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("/usr/bin/python3 with python3-libvirt is required when CI=true");
            }
            Assumptions.abort("/usr/bin/python3 is not installed");
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), uri, readOnlyUri)
                .redirectOutput(script.resolveSibling("out.txt").toFile())
                .redirectError(script.resolveSibling("err.txt").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("libvirt-python timed out on " + uri);
        }
        String err = Files.readString(script.resolveSibling("err.txt"), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            if (err.contains("No module named 'libvirt'") && !"true".equals(System.getenv("CI"))) {
                Assumptions.abort("libvirt-python (python3-libvirt) is not installed");
            }
            fail("libvirt-python failed on " + uri + ": " + err);
        }
        return Files.readAllLines(script.resolveSibling("out.txt"), StandardCharsets.UTF_8);
    }
}
