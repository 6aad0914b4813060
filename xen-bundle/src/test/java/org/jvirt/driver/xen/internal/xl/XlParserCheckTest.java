package org.jvirt.driver.xen.internal.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvirt.driver.xen.internal.FakeXen;
import org.jvirt.driver.xen.internal.XenNative;
import org.jvirt.driver.xen.internal.XenXmlHooks;
import org.jvirt.driver.xen.internal.libxl.LibxlJson;
import org.jvirt.xml.DomainXml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The converters against the real xl parser: the xl.cfg jvirt writes for each golden case, given to
 * Xen 4.17's {@code xl -N create} on the faked host, gives exactly the libxl JSON jvirt predicts.
 */
class XlParserCheckTest {
    @TempDir
    static Path dir;
    static FakeXen xen;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        xen = FakeXen.start(dir);
    }

    @AfterAll
    static void stop() {
        if (xen != null) {
            xen.close();
        }
    }

    static Stream<String> cases() throws Exception {
        return XlGoldenTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void xlParsesOurCfgToTheJsonWePredict(String name) throws Exception {
        XenXmlHooks hooks = new XenXmlHooks();
        String xml = Files.readString(XlGoldenTest.DIR.resolve(name + ".xml"));
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(cfg, XenNative.toNative("xen-xl", xml, hooks));
        String out = FakeXen.run(List.of(FakeXen.XL.toString(), "-N", "create", cfg.toString()), xen.toolEnv());
        String actualText = out.substring(out.indexOf("{"));
        String golden = Files.readString(XlGoldenTest.DIR.resolve(name + ".json"));
        if (!golden.equals(actualText)) { // what xl printed, for a look (never written over the golden file)
            Files.writeString(Files.createDirectories(Path.of("target/golden-actual")).resolve(name + ".json"), actualText);
        }
        assertEquals(golden, actualText, "xl prints the golden JSON");
        JsonNode actual = json.readTree(actualText);
        JsonNode predicted = json.readTree(LibxlJson.predict(DomainXml.parse(xml, hooks)));
        assertEquals(predicted.toPrettyString(), actual.toPrettyString(), "libxl JSON of " + name);
    }
}
