package org.jvirt.driver.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A manual measurement, not a gate: the comparison of {@link LibvirtCorpusTest} over more of libvirt's test
 * XML, chiefly the QEMU driver's ({@code qemuxml2argvdata}, {@code qemuxml2xmloutdata}). Runs only with
 * {@code -Djvirt.corpus.extra=all} (or a comma-separated list of tests/ directories), for example
 * <pre>
 * mvn -o -q -pl test-bundle -am test -Dtest=LibvirtCorpusExtraTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Djvirt.corpus.extra=all -Djvirt.corpus=/path/to/libvirt-9.0.0
 * </pre>
 * and writes per-directory agreement and the disagreements grouped by cause to
 * {@code target/corpus-extra-report.txt}.
 */
@EnabledIfSystemProperty(named = "jvirt.corpus.extra", matches = ".+")
class LibvirtCorpusExtraTest {
    static final List<String> ALL = List.of("qemuxml2argvdata", "qemuxml2xmloutdata", "genericxml2xmloutdata",
            "lxcxml2xmloutdata", "bhyvexml2xmloutdata", "xlconfigdata", "xmconfigdata", "libxlxml2domconfigdata");

    @Test
    void report() throws Exception {
        String which = System.getProperty("jvirt.corpus.extra");
        Map<String, String> dirs = new LinkedHashMap<>();
        for (String d : which.equals("all") ? ALL : List.of(which.split(","))) {
            dirs.put(d.trim(), "domain");
        }
        Path tests = LibvirtCorpusTest.corpus();
        dirs.keySet().removeIf(d -> !Files.isDirectory(tests.resolve(d)));
        long t0 = System.nanoTime();
        LibvirtCorpusTest.Comparison c = LibvirtCorpusTest.compare(tests, dirs);
        StringBuilder sb = new StringBuilder(c.summary());
        sb.append(String.format("%n  (%.1f s)%n%nDisagreements by cause:%n", (System.nanoTime() - t0) / 1e9));
        c.byCause.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size()).forEach(e -> {
            sb.append(String.format("%n%4d  %s%n", e.getValue().size(), e.getKey()));
            e.getValue().forEach(l -> sb.append("        ").append(l).append('\n'));
        });
        sb.append(String.format("%nAccepted by both: %d; written back exactly as libvirt writes them: %d%n",
                c.bothAccept, c.sameOutput));
        sb.append(String.format("%nRefused by both: %d; with another code or message than libvirt's: %d%n",
                c.bothRefuse, c.otherError.size()));
        c.otherError.forEach(l -> sb.append("        ").append(l).append('\n'));
        sb.append("\nOutput refused by the schema (").append(c.invalidOutput.size()).append("):\n");
        c.invalidOutput.forEach(l -> sb.append(l.lines().findFirst().orElse("")).append('\n'));
        sb.append("\nOutput refused by the schema, as libvirt's own output is (").append(c.invalidAsLibvirts.size())
                .append("):\n");
        c.invalidAsLibvirts.forEach(l -> sb.append(l.lines().findFirst().orElse("")).append('\n'));
        sb.append("\nNot stable in a round trip (").append(c.unstable.size()).append("):\n");
        c.unstable.forEach(l -> sb.append(l.lines().findFirst().orElse("")).append('\n'));
        Path out = Paths.get("target", "corpus-extra-report.txt");
        Files.writeString(out, sb, StandardCharsets.UTF_8);
        System.out.println(c.summary() + "\nreport: " + out.toAbsolutePath());
    }
}
