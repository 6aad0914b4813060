package org.jvirt.xml;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.jvirt.api.VirtException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input never escapes as anything but {@link VirtException}: every golden input, cut, spliced
 * and corrupted in many seeded ways, either parses (and formats) or is refused with a VirtException.
 */
class MutatedXmlTest {
    private static final int MUTATIONS = 1000;
    private static final String[] JUNK = {"<", ">", "&", "&amp;", "&#0;", "&#x110000;", "'", "\"", "<!--", "]]>",
        "<![CDATA[", "</domain>", "<devices>", "=", "\u0000", "\uFFFF", "-1", "99999999999999999999", "0x", " ",
        "<?xml version='1.0'?>", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", "&e;", "unit='PiB'"};

    @TestFactory
    Stream<DynamicTest> mutatedInputsOnlyEverRaiseVirtException() throws IOException {
        List<Path> inputs;
        try (Stream<Path> s = Files.walk(XmlGoldenTest.ROOT)) {
            inputs = s.filter(p -> p.toString().endsWith(".xml") && p.getParent().getFileName().toString().equals("in"))
                    .sorted().toList();
        }
        return inputs.stream().map(p -> DynamicTest.dynamicTest(XmlGoldenTest.ROOT.relativize(p).toString(), () -> {
            String xml = Files.readString(p, StandardCharsets.UTF_8);
            String kind = p.getParent().getParent().getFileName().toString();
            Random random = new Random(p.getFileName().toString().hashCode());
            for (int i = 0; i < MUTATIONS; i++) {
                String mutated = mutate(xml, random);
                try {
                    switch (kind) {
                        case "domain" -> DomainXml.format(DomainXml.parse(mutated), DomainXml.Format.DEFAULT);
                        case "network" -> NetworkXml.format(NetworkXml.parse(mutated));
                        case "capabilities" -> CapabilitiesXml.format(CapabilitiesXml.parse(mutated));
                        default -> throw new IllegalStateException(kind);
                    }
                } catch (VirtException expected) {
                    // refused cleanly
                } catch (RuntimeException | StackOverflowError e) {
                    fail("mutation " + i + " of " + p + " threw " + e + " for:\n" + mutated, e);
                }
            }
        }));
    }

    private static String mutate(String xml, Random r) {
        StringBuilder sb = new StringBuilder(xml);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.setLength(at); // truncated
                case 1 -> sb.insert(at, JUNK[r.nextInt(JUNK.length)]);
                case 2 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(20)));
                default -> {
                    int from = r.nextInt(sb.length());
                    int len = Math.min(sb.length() - from, 1 + r.nextInt(60));
                    sb.insert(at, sb.substring(from, from + len)); // a spliced fragment
                }
            }
        }
        return sb.toString();
    }
}
