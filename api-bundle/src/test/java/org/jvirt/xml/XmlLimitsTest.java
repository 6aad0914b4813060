package org.jvirt.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;

/**
 * libxml2's limits as libvirt meets them (depth, name and attribute lengths), libvirt's way with elements
 * it does not know (ignored and dropped), and {@code --validate}: libvirt's messages, taken from real virsh.
 */
class XmlLimitsTest {
    private static final String HEAD = "<domain type='test'><name>d</name><memory>1024</memory><os><type>hvm</type></os></domain>";

    private static String nested(int levels) {
        StringBuilder sb = new StringBuilder(HEAD.length() + levels * 7 + 64).append(HEAD, 0, HEAD.length() - 9).append("<metadata>");
        sb.append("<a>".repeat(levels)).append("</a>".repeat(levels));
        return sb.append("</metadata></domain>").toString();
    }

    private static VirtException refused(String xml) {
        return assertThrows(VirtException.class, () -> DomainXml.parse(xml));
    }

    @Test
    void aDocumentAHundredThousandLevelsDeepIsAnXmlError() {
        for (int depth : new int[] {100_000, 200_000}) {
            VirtException e = refused(nested(depth));
            assertEquals(ErrorCode.XML_ERROR, e.code());
            assertTrue(e.getMessage().contains("Excessive depth in document: 256 use XML_PARSE_HUGE option"),
                    e.getMessage());
        }
        // and the same without a well-formed end: nothing recurses on the way down
        assertEquals(ErrorCode.XML_ERROR, refused(HEAD.replace("</domain>", "<x>".repeat(100_000))).code());
        assertEquals(ErrorCode.XML_ERROR, assertThrows(VirtException.class,
                () -> NetworkXml.parse("<network><name>n</name>" + "<a>".repeat(100_000) + "</a>".repeat(100_000)
                        + "</network>")).code());
        assertEquals(ErrorCode.XML_ERROR, assertThrows(VirtException.class,
                () -> CapabilitiesXml.parse("<capabilities>" + "<a>".repeat(100_000) + "</capabilities>")).code());
    }

    @Test
    void depthLimitIsLibxml2s() {
        // libxml2 refuses an element with more than 256 ancestors: domain, metadata and 255 <a> are 257 levels
        DomainXml.parse(nested(255));
        assertEquals(ErrorCode.XML_ERROR, refused(nested(256)).code());
    }

    @Test
    void attributeValuesAndNamesHaveLibxml2sLimits() {
        String ok = "x".repeat(XmlPullParser.MAX_ATTRIBUTE_LENGTH);
        DomainXml.parse(HEAD.replace("<name>", "<name a='" + ok + "'>"));
        VirtException e = refused(HEAD.replace("<name>", "<name a='" + ok + "x'>"));
        assertEquals(ErrorCode.XML_ERROR, e.code());
        assertTrue(e.getMessage().contains("AttValue length too long"), e.getMessage());

        String name = "x".repeat(XmlPullParser.MAX_NAME_LENGTH);
        DomainXml.parse(HEAD.replace("<os>", "<" + name + "/><os>"));
        e = refused(HEAD.replace("<os>", "<" + name + "x/><os>"));
        assertTrue(e.getMessage().contains("Name too long: NCName"), e.getMessage());
        e = refused(HEAD.replace("<os>", "<b " + name + "x='1'/><os>"));
        assertTrue(e.getMessage().contains("Name too long: NCName"), e.getMessage());
        // text has no limit below libxml2's huge one: 20 MB of description is fine, as in libvirt
        DomainXml.parse(HEAD.replace("<os>", "<description>" + "y".repeat(20_000_000) + "</description><os>"));
    }

    @Test
    void unknownElementsAndAttributesAreIgnoredAndDropped() {
        DomainDef d = DomainXml.parse("<domain type='test' bogus='1'><name>u</name><memory>1024</memory><bogus><x/></bogus>"
                + "<os><type>hvm</type></os><devices><bogusdev foo='1'/>"
                + "<disk type='file' device='disk'><source file='/a'/><target dev='vda'/></disk></devices></domain>");
        String out = DomainXml.format(d, DomainXml.Format.INACTIVE);
        assertFalse(out.contains("bogus"), out);
        assertEquals(1, d.getAllDevices().size());
    }

    @Test
    void unknownElementsAndAttributesInsideDevicesAreDropped() {
        DomainDef d = DomainXml.parse("<domain type='test'><name>u</name><memory>1024</memory><os><type>hvm</type></os>"
                + "<devices><disk type='file' device='disk' bogus='1'><source file='/a'/><target dev='vda'/><frob/></disk>"
                + "<watchdog model='i6300esb' action='reset' colour='red'><wag/></watchdog>"
                + "<interface type='user' speed='9'><mac address='52:54:00:00:00:01'/><bogus/></interface></devices></domain>");
        String out = DomainXml.format(d, DomainXml.Format.INACTIVE);
        assertFalse(out.contains("bogus") || out.contains("frob") || out.contains("colour") || out.contains("wag")
                || out.contains("speed"), out);
        assertTrue(out.contains("<watchdog model='i6300esb' action='reset'/>"), out);
    }

    @Test
    void validateRefusesAnUnknownElementWithLibvirtsMessage() {
        if (!LibvirtSchema.installed("domain") && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("libvirt's schemas are not installed (libvirt0), and CI=true requires them");
        }
        Assumptions.assumeTrue(LibvirtSchema.installed("domain"), "libvirt's schemas are not installed");
        String xml = HEAD.replace("<os>", "<bogus/><os>");
        DomainXml.parse(xml); // plain parse ignores it
        VirtException e = assertThrows(VirtException.class, () -> DomainXml.parse(xml, DomainXmlHooks.NONE, true));
        assertEquals(ErrorCode.XML_INVALID_SCHEMA, e.code());
        // virsh -c test:///default define --validate: libvirt's words, libxml2's reason
        assertEquals("XML document failed to validate against schema: Unable to validate doc against "
                + "/usr/share/libvirt/schemas/domain.rng\nElement domain has extra content: bogus\n", e.getMessage());

        e = assertThrows(VirtException.class, () -> DomainXml.parse(HEAD.replace("type='test'", "type='test' foo='bar'"),
                DomainXmlHooks.NONE, true));
        assertTrue(e.getMessage().endsWith("\nInvalid attribute foo for element domain\n"), e.getMessage());
        // a valid document passes
        DomainXml.parse(HEAD, DomainXmlHooks.NONE, true);
        // well-formedness comes first, as libvirt parses before it validates
        assertEquals(ErrorCode.XML_DETAIL, assertThrows(VirtException.class,
                () -> DomainXml.parse("<domain>", DomainXmlHooks.NONE, true)).code());
    }

    @Test
    void networkValidateRefusesAnUnknownElementWithLibvirtsMessage() {
        if (!LibvirtSchema.installed("network") && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("libvirt's schemas are not installed (libvirt0), and CI=true requires them");
        }
        Assumptions.assumeTrue(LibvirtSchema.installed("network"), "libvirt's schemas are not installed");
        String xml = "<network><name>v</name><bogus/><bridge name='virbr9'/></network>";
        NetworkXml.parse(xml); // plain parse ignores it
        VirtException e = assertThrows(VirtException.class, () -> NetworkXml.parse(xml, true));
        assertEquals(ErrorCode.XML_INVALID_SCHEMA, e.code());
        // virsh -c test:///default net-define --validate
        assertEquals("XML document failed to validate against schema: Unable to validate doc against "
                + "/usr/share/libvirt/schemas/network.rng\nElement network has extra content: bogus\n", e.getMessage());
        NetworkXml.parse(xml.replace("<bogus/>", ""), true);
    }

    /** Found by the fuzzer: an address naming a huge controller implies controllers only up to a bound. */
    @Test
    void aHugeDriveControllerImpliesBoundedControllers() {
        DomainDef d = DomainXml.parse("<domain type='test'><name>c</name><memory>1024</memory><os><type>hvm</type></os>"
                + "<devices><disk type='file'><source file='/a'/><target dev='hda'/>"
                + "<address type='drive' controller='4294967295' bus='0' target='0' unit='0'/></disk></devices></domain>");
        assertEquals(ImplicitDevices.MAX_IMPLIED_INDEX + 1, d.getControllers().size());
    }
}
