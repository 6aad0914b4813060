package org.jvirt.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;

/**
 * Data-driven XML tests in the manner of libvirt's genericxml2xmltest: {@code xml2xml/KIND/in/NAME.xml}
 * is parsed and formatted and compared with {@code out/NAME.xml}; {@code bad/NAME.xml} must fail with
 * the code named on its first line ({@code <!-- ERROR: XML_ERROR -->}), and with libvirt's message when the line
 * gives it ({@code <!-- ERROR: XML_ERROR: XML error: ... -->}, taken from real virsh). Run with
 * {@code -Djvirt.regenerate=true} to rewrite the expected files, then review the diff.
 */
class XmlGoldenTest {
    static final Path ROOT = Paths.get("src/test/resources/xml2xml");
    static final boolean REGENERATE = Boolean.getBoolean("jvirt.regenerate");
    private static final Pattern ID = Pattern.compile("<domain[^>]*\\sid='(\\d+)'");
    /** {@code <!-- ERROR: CODE -->}, or {@code <!-- ERROR: CODE: libvirt's message -->}. */
    private static final Pattern ERROR = Pattern.compile("<!--\\s*ERROR:\\s*([A-Z_]+)\\s*(?::\\s*(.*?)\\s*)?-->");

    static List<Path> files(String kind, String sub) {
        try (Stream<Path> s = Files.list(ROOT.resolve(kind).resolve(sub))) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and formats a document of the given kind, as the golden files expect. */
    static String convert(String kind, String xml) {
        switch (kind) {
            case "domain": {
                Matcher m = ID.matcher(xml);
                int id = m.find() ? Integer.parseInt(m.group(1)) : -1;
                return DomainXml.format(DomainXml.parse(xml), new DomainXml.Format(id, true, false));
            }
            case "network":
                return NetworkXml.format(NetworkXml.parse(xml));
            case "capabilities":
                return CapabilitiesXml.format(CapabilitiesXml.parse(xml));
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    static String schemaName(String kind) {
        return kind.equals("capabilities") ? "capability" : kind;
    }

    private static Stream<DynamicTest> perKind(java.util.function.BiFunction<String, Path, DynamicTest> f, String sub) {
        return Stream.of("domain", "network", "capabilities")
            .flatMap(kind -> files(kind, sub).stream().map(p -> f.apply(kind, p)));
    }

    @TestFactory
    Stream<DynamicTest> xml2xml() {
        return perKind((kind, in) -> DynamicTest.dynamicTest(kind + "/" + in.getFileName(), () -> {
            String actual = convert(kind, read(in));
            Path out = ROOT.resolve(kind).resolve("out").resolve(in.getFileName());
            if (REGENERATE) {
                Files.writeString(out, actual, StandardCharsets.UTF_8);
            }
            assertTrue(Files.exists(out), "no expected output " + out + " (write it with -Djvirt.regenerate=true, "
                    + "then review it)");
            assertEquals(read(out), actual);
        }), "in");
    }

    @TestFactory
    Stream<DynamicTest> roundTrip() {
        return perKind((kind, in) -> DynamicTest.dynamicTest(kind + "/" + in.getFileName(), () -> {
            String once = convert(kind, read(in));
            assertEquals(once, convert(kind, once), "format(parse(format(x))) must equal format(x)");
        }), "in");
    }

    /** The expected output of the libvirt test driver's own objects is libvirt's text, byte for byte. */
    @TestFactory
    Stream<DynamicTest> libvirtOutputIsAFixedPoint() {
        return Stream.of("domain/in/test-driver-default.xml", "network/in/test-driver-default.xml",
                "capabilities/in/test-driver.xml", "capabilities/in/qemu-kvm-host.xml")
            .map(f -> DynamicTest.dynamicTest(f, () -> {
                String xml = read(ROOT.resolve(f));
                assertEquals(xml, convert(f.substring(0, f.indexOf('/')), xml));
            }));
    }

    @TestFactory
    Stream<DynamicTest> bad() {
        return perKind((kind, in) -> DynamicTest.dynamicTest(kind + "/" + in.getFileName(), () -> {
            String xml = read(in);
            Matcher m = ERROR.matcher(xml);
            assertTrue(m.find(), "bad file needs a first-line <!-- ERROR: CODE --> comment");
            ErrorCode expected = ErrorCode.valueOf(m.group(1));
            String body = xml.substring(m.end()).strip();
            VirtException e = assertThrows(VirtException.class, () -> convert(kind, body));
            assertEquals(expected, e.code(), e.getMessage());
            if (m.group(2) != null) {
                // libvirt's text; a libxml2 report may go on with the line and a pointer, so it is contained
                assertTrue(e.getMessage().contains(m.group(2)), "expected libvirt's message \"" + m.group(2)
                        + "\", got \"" + e.getMessage() + "\"");
            }
        }), "bad");
    }

    /** Every expected output is valid under libvirt's own RELAX NG schema (Jing, in process). */
    @TestFactory
    Stream<DynamicTest> outputValidatesAgainstLibvirtSchema() {
        if (!LibvirtSchemas.installed()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("libvirt's schemas are not installed in " + LibvirtSchemas.DIR
                        + " (Debian package libvirt0), and CI=true requires the schema check");
            }
            Assumptions.abort("libvirt's schemas are not installed in " + LibvirtSchemas.DIR);
        }
        return perKind((kind, out) -> DynamicTest.dynamicTest(kind + "/" + out.getFileName(), () -> {
            List<String> errors = LibvirtSchemas.validate(schemaName(kind), read(out));
            assertTrue(errors.isEmpty(), String.join("\n", errors));
        }), "out");
    }

    /** The schema check can fail: a document libvirt's schema refuses is reported with the reason. */
    @org.junit.jupiter.api.Test
    void schemaCheckRefusesAnInvalidDomain() throws Exception {
        if (!LibvirtSchemas.installed() && "true".equals(System.getenv("CI"))) {
            fail("libvirt's schemas are not installed (libvirt0), and CI=true requires them");
        }
        Assumptions.assumeTrue(LibvirtSchemas.installed(), "libvirt's schemas are not installed");
        List<String> errors = LibvirtSchemas.validate("domain",
                "<domain type='bogus'><name>x</name><memory>1</memory><os><type>hvm</type></os></domain>");
        assertTrue(errors.stream().anyMatch(e -> e.contains("\"type\" is invalid")), errors.toString());
    }
}
