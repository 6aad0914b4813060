package org.jvirt.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;

/** The fast parser must build the same trees as the JDK's StAX reader, and refuse what it refuses. */
class XmlPullParserTest {

    @TestFactory
    Stream<DynamicTest> sameTreeAsStax() {
        return Stream.of("domain", "network", "capabilities").flatMap(kind -> Stream.concat(
                XmlGoldenTest.files(kind, "in").stream(), XmlGoldenTest.files(kind, "out").stream())
            .map((Path p) -> DynamicTest.dynamicTest(kind + "/" + p.getParent().getFileName() + "/" + p.getFileName(),
                () -> {
                    String xml = XmlGoldenTest.read(p);
                    assertEquals(XmlIn.readStax(xml, "t"), XmlIn.read(xml, "t"));
                })));
    }

    @Test
    void entitiesAndNormalisation() {
        XmlNode n = XmlIn.read("<?xml version='1.0'?>\n<!-- c --><a x=\"1&amp;2\" y='a\tb&#10;'>t&lt;&#x41;&#66;"
            + "<![CDATA[<raw>]]><!-- c2 --></a>", "t");
        assertEquals("1&2", n.attr("x"));
        assertEquals("a b\n", n.attr("y"));
        assertEquals("t<AB<raw>", n.getText());
    }

    @Test
    void malformed() {
        String[] bad = {"<a>", "<a></b>", "<a x='1' x='2'/>", "<a x=1/>", "<a>&bogus;</a>", "<a/><b/>", "text",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", "<a x='<'/>", "<a><b></a>", "<1a/>", "<a>&#0;</a>", "<a",
            "<a x='1'"};
        for (String b : bad) {
            VirtException e = assertThrows(VirtException.class, () -> XmlIn.read(b, "domain_definition"), b);
            assertEquals(ErrorCode.XML_ERROR, e.code());
            assertTrue(e.getMessage().contains("(domain_definition):"), e.getMessage());
        }
    }
}
