package org.jvirt.driver.xen.internal.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvirt.api.VirtException;
import org.jvirt.driver.xen.internal.XenNative;
import org.jvirt.driver.xen.internal.XenXmlHooks;
import org.jvirt.driver.xen.internal.libxl.LibxlJson;
import org.jvirt.xml.DomainXml;

/**
 * Golden files over {@code src/test/resources/xl2xml/}: each {@code NAME.cfg} gives {@code NAME.xml}
 * (domxml-from-native xen-xl); that XML is written as {@code NAME.native.cfg} (domxml-to-native), which
 * reads back as the same XML; the libxl JSON predicted for it is {@code NAME.json}. {@code bad/NAME.cfg}
 * must be refused with the message in {@code bad/NAME.err}. A missing expected file fails; what the code
 * gave is left in {@code target/golden-actual/} for review, never in the expected file.
 */
class XlGoldenTest {
    static final Path DIR = Path.of("src/test/resources/xl2xml");
    static final Path ACTUAL = Path.of("target/golden-actual");
    final XenXmlHooks hooks = new XenXmlHooks();

    static Stream<String> cases() throws IOException {
        return names(DIR);
    }

    static Stream<String> badCases() throws IOException {
        return names(DIR.resolve("bad"));
    }

    private static Stream<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> n = s.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".cfg") && !f.endsWith(".native.cfg"))
                    .map(f -> f.substring(0, f.length() - 4)).sorted().toList();
            return n.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cfgToXmlToCfgToJson(String name) throws IOException {
        String xml = XenNative.fromNative("xen-xl", Files.readString(DIR.resolve(name + ".cfg")), hooks);
        expect(name + ".xml", xml);
        String cfg = XenNative.toNative("xen-xl", xml, hooks);
        expect(name + ".native.cfg", cfg);
        // libvirt's writer adds defaults (a bridge's script=vif-bridge), so the XML of the written cfg may gain
        // them; writing that XML again must give the same cfg
        assertEquals(cfg, XenNative.toNative("xen-xl", XenNative.fromNative("xen-xl", cfg, hooks), hooks),
                "the written cfg is a fixed point");
        expect(name + ".json", LibxlJson.predict(DomainXml.parse(xml, hooks)) + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCases")
    void refused(String name) throws IOException {
        Path err = DIR.resolve("bad/" + name + ".err");
        if (!Files.exists(err)) {
            fail("missing expected error file " + err);
        }
        String cfg = Files.readString(DIR.resolve("bad/" + name + ".cfg"));
        VirtException e = assertThrows(VirtException.class, () -> XenNative.fromNative("xen-xl", cfg, hooks));
        assertTrue(e.getMessage().contains(Files.readString(err).trim()), e.getMessage());
    }

    private static void expect(String file, String actual) throws IOException {
        Path expected = DIR.resolve(file);
        if (!Files.exists(expected) || !Files.readString(expected).equals(actual)) {
            Files.createDirectories(ACTUAL);
            Files.writeString(ACTUAL.resolve(file), actual);
        }
        if (!Files.exists(expected)) {
            fail("missing expected file " + expected + " (what the code gave is in " + ACTUAL.resolve(file) + ")");
        }
        assertEquals(Files.readString(expected), actual, file);
    }
}
