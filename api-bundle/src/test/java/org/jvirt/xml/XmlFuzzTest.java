package org.jvirt.xml;

import java.nio.charset.StandardCharsets;

import org.jvirt.api.VirtException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for the XML parsers (Jazzer): whatever the bytes, parsing, the driver-less post-parse and
 * validation, and formatting either succeed or refuse with a {@link VirtException}; anything else escaping
 * (a RuntimeException, a StackOverflowError, an OutOfMemoryError) is a finding.
 *
 * <p>In every build this is a regression pass over the committed seeds in
 * {@code src/test/resources/org/jvirt/xml/XmlFuzzTestInputs/<target>/} (golden inputs and bad cases).
 * To fuzz one target for 10^6 inputs (the bench; see docs/performance.md):
 * {@code JAZZER_FUZZ=1 mvn -B -ntp -o test -pl api-bundle -Dtest='XmlFuzzTest#domain'}.
 */
class XmlFuzzTest {
    private static final long RUNS = 1_000_000;

    @FuzzTest(maxExecutions = RUNS, maxDuration = "4h")
    void domain(byte[] data) {
        String xml = new String(data, StandardCharsets.UTF_8);
        try {
            DomainDef def = DomainXml.parse(xml);
            DomainXml.format(def, DomainXml.Format.DEFAULT);
            DomainXml.format(def, DomainXml.Format.INACTIVE);
        } catch (VirtException refused) {
            // refused cleanly
        }
    }

    @FuzzTest(maxExecutions = RUNS, maxDuration = "4h")
    void network(byte[] data) {
        String xml = new String(data, StandardCharsets.UTF_8);
        try {
            NetworkXml.format(NetworkXml.parse(xml));
        } catch (VirtException refused) {
            // refused cleanly
        }
    }

    @FuzzTest(maxExecutions = RUNS, maxDuration = "4h")
    void capabilities(byte[] data) {
        String xml = new String(data, StandardCharsets.UTF_8);
        try {
            CapabilitiesXml.format(CapabilitiesXml.parse(xml));
        } catch (VirtException refused) {
            // refused cleanly
        }
    }
}
