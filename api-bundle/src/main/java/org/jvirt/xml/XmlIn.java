package org.jvirt.xml;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.UUID;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/** Input helpers shared by the parsers: a secure StAX reader into {@link XmlNode}s, and value parsing. */
final class XmlIn {
    /** Loaded only when the StAX cross-check runs, so that startup never pays for JAXP. */
    private static final class Stax {
        static final XMLInputFactory FACTORY = newFactory();
    }

    private XmlIn() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        return f;
    }

    static VirtException xmlError(String detail) {
        return new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML, detail);
    }

    static VirtException invalid(String detail) {
        return new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.XML, detail);
    }

    /**
     * Reads a whole document into a tree. {@code what} names the document in error messages, as
     * libvirt's "(domain_definition)" does.
     */
    static XmlNode read(String xml, String what) {
        if (xml == null) {
            throw xmlError("(" + what + "):1: empty document");
        }
        return XmlPullParser.parse(xml, what);
    }

    /** The same tree through the JDK's StAX reader; kept to cross-check the fast parser in tests. */
    static XmlNode readStax(String xml, String what) {
        if (xml == null || xml.isBlank()) {
            throw xmlError("(" + what + "):1: empty document");
        }
        XMLStreamReader r = null;
        try {
            r = Stax.FACTORY.createXMLStreamReader(new StringReader(xml));
            ArrayDeque<XmlNode> stack = new ArrayDeque<>();
            XmlNode root = null;
            StringBuilder text = null;
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT: {
                        XmlNode n = new XmlNode(r.getLocalName().isEmpty() ? r.getName().toString() : qname(r));
                        for (int i = 0, c = r.getAttributeCount(); i < c; i++) {
                            String p = r.getAttributePrefix(i);
                            String ln = r.getAttributeLocalName(i);
                            n.getAttributes().put(p == null || p.isEmpty() ? ln : p + ":" + ln, r.getAttributeValue(i));
                        }
                        for (int i = 0, c = r.getNamespaceCount(); i < c; i++) {
                            String p = r.getNamespacePrefix(i);
                            n.getAttributes().put(p == null || p.isEmpty() ? "xmlns" : "xmlns:" + p, r.getNamespaceURI(i));
                        }
                        if (stack.isEmpty()) {
                            root = n;
                        } else {
                            stack.peek().getChildren().add(n);
                        }
                        stack.push(n);
                        text = null;
                        break;
                    }
                    case XMLStreamConstants.END_ELEMENT: {
                        XmlNode n = stack.pop();
                        if (text != null && n.getChildren().isEmpty()) {
                            n.setText(text.toString());
                        } else if (text != null && !text.toString().isBlank()) {
                            n.setText(text.toString());
                        }
                        text = null;
                        break;
                    }
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                    case XMLStreamConstants.SPACE:
                        if (!stack.isEmpty()) {
                            if (text == null) {
                                text = new StringBuilder();
                            }
                            text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                        }
                        break;
                    case XMLStreamConstants.DTD:
                        throw xmlError("(" + what + "): document type definitions are not allowed");
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        throw xmlError("(" + what + "): entity references are not allowed");
                    default:
                        break;
                }
            }
            if (root == null) {
                throw xmlError("(" + what + "):1: no root element");
            }
            return root;
        } catch (XMLStreamException e) {
            Location loc = e.getLocation();
            String msg = e.getMessage();
            int i = msg == null ? -1 : msg.indexOf("Message: ");
            if (i >= 0) {
                msg = msg.substring(i + 9);
            }
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML,
                "(" + what + "):" + (loc == null ? 1 : loc.getLineNumber()) + ": " + msg, e);
        } catch (RuntimeException e) {
            if (e instanceof VirtException v) {
                throw v;
            }
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML, "(" + what + "): " + e.getMessage(), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release
                }
            }
        }
    }

    private static String qname(XMLStreamReader r) {
        String p = r.getPrefix();
        return p == null || p.isEmpty() ? r.getLocalName() : p + ":" + r.getLocalName();
    }

    static String trimToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    static UUID uuid(String s, String element) {
        String t = s.trim();
        // libvirt accepts the 32 hex digits with or without dashes (and with dashes anywhere)
        StringBuilder hex = new StringBuilder(32);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '-' || c == ' ') {
                continue;
            }
            if (Character.digit(c, 16) < 0) {
                throw xmlError("malformed uuid element '" + element + "': " + s);
            }
            hex.append(c);
        }
        if (hex.length() != 32) {
            throw xmlError("malformed uuid element '" + element + "': " + s);
        }
        long hi = Long.parseUnsignedLong(hex.substring(0, 16), 16);
        long lo = Long.parseUnsignedLong(hex.substring(16), 16);
        return new UUID(hi, lo);
    }

    /** Parses an unsigned decimal, or hexadecimal with 0x, integer. */
    static long number(String s, String what) {
        if (s == null) {
            throw xmlError("missing value for " + what);
        }
        String t = s.trim();
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                v = Long.parseLong(t.substring(2), 16);
            } else {
                v = Long.parseLong(t);
            }
            return v;
        } catch (NumberFormatException e) {
            throw xmlError("invalid value '" + s + "' for " + what);
        }
    }

    static int integer(String s, String what) {
        long v = number(s, what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw xmlError("value '" + s + "' out of range for " + what);
        }
        return (int) v;
    }

    /** A memory size with its unit, in KiB (rounded up), as libvirt's virDomainParseMemory does. */
    static long memoryKiB(XmlNode n, String what) {
        String unit = n.attr("unit");
        String text = n.getText() == null ? null : n.getText().trim();
        if (text == null || text.isEmpty()) {
            throw xmlError("missing value for element '" + what + "'");
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw xmlError("invalid value '" + text + "' for element '" + what + "'");
        }
        if (v < 0) {
            throw xmlError("invalid value '" + text + "' for element '" + what + "'");
        }
        long scale = unitScale(unit == null ? "KiB" : unit, what);
        try {
            long bytes = Math.multiplyExact(v, scale);
            return (bytes + 1023) / 1024;
        } catch (ArithmeticException e) {
            throw xmlError("value '" + text + "' is too large for element '" + what + "'");
        }
    }

    /** The bytes in one unit, as libvirt's virScaleInteger reads a unit: case-insensitive, "k", "KiB", "KB". */
    static long unitScale(String unit, String what) {
        if (unit.isEmpty()) {
            return 1024L;
        }
        String u = unit.toLowerCase(java.util.Locale.ROOT);
        if (u.equals("b") || u.equals("byte") || u.equals("bytes")) {
            return 1L;
        }
        long base;
        if (u.length() == 1 || u.substring(1).equals("ib")) {
            base = 1024;
        } else if (u.length() == 2 && u.charAt(1) == 'b') {
            base = 1000;
        } else {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "unknown suffix '" + unit + "'");
        }
        int power = "kmgtpe".indexOf(u.charAt(0)) + 1;
        if (power == 0) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "unknown suffix '" + unit + "'");
        }
        long scale = 1;
        for (int i = 0; i < power; i++) {
            scale *= base;
        }
        return scale;
    }

    static boolean yesNo(String v, String what) {
        if (v == null) {
            return false;
        }
        switch (v) {
            case "yes": case "on": return true;
            case "no": case "off": return false;
            default: throw xmlError("invalid value '" + v + "' for " + what);
        }
    }

    /** A random (version 4) UUID for a definition without one; no cryptographic randomness is needed. */
    static java.util.UUID randomUuid() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xf000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new java.util.UUID(msb, lsb);
    }
}
