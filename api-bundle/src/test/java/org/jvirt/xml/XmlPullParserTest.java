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
            assertEquals(ErrorCode.XML_DETAIL, e.code(), "libvirt reports libxml2's errors as XML_DETAIL");
            assertEquals(org.jvirt.api.ErrorDomain.DOMAIN, e.domain());
            assertTrue(e.getMessage().startsWith("(domain_definition):"), e.getMessage());
        }
    }

    /** libvirt's words for libxml2's errors: the line, the message, the line of the error and a pointer. */
    @Test
    void malformedIsReportedAsLibvirtReportsIt() {
        // each expectation is what libvirt 9.0 said for the same document (virDomainDefineXML on test:///default)
        String[][] cases = {
            {"<domain", "(domain_definition):1: Couldn't find end of Start Tag domain line 1\n<domain\n-------^"},
            {"<domain type='test'><name>d</name></domai>", "(domain_definition):1: Opening and ending tag mismatch: "
                + "domain line 1 and domai\n<domain type='test'><name>d</name></domai>\n"
                + "------------------------------------------^"},
            {"  \n ", "(domain_definition):2: Start tag expected, '<' not found\n \n-^"},
            {"junk", "(domain_definition):1: Start tag expected, '<' not found\njunk\n^"},
            {"<domain><name>x</name>", "(domain_definition):1: Premature end of data in tag domain line 1\n"
                + "<domain><name>x</name>\n----------------------^"},
            {"<domain type=\"test\">\n  <name>x</name>\n  <memory>1</memory\n</domain>",
                "(domain_definition):4: expected '>'\n</domain>\n^"},
            {"<domain><name>x</name>\n", "(domain_definition):2: Premature end of data in tag domain line 1\n(null)\n^"},
        };
        for (String[] c : cases) {
            VirtException e = assertThrows(VirtException.class, () -> XmlIn.read(c[0], "domain_definition"), c[0]);
            assertEquals(c[1], e.getMessage());
        }
        VirtException net = assertThrows(VirtException.class, () -> XmlIn.read("<network", "network_definition"));
        assertEquals(org.jvirt.api.ErrorDomain.NETWORK, net.domain());
        assertEquals("(network_definition):1: Couldn't find end of Start Tag network line 1\n<network\n--------^",
                net.getMessage());
    }
}
