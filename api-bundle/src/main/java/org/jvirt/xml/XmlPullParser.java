package org.jvirt.xml;

import java.util.ArrayList;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * A small, strict, non-validating XML parser that builds {@link XmlNode} trees directly. It is much
 * faster than a StAX reader for the few-kilobyte documents libvirt deals in, and it is secure by
 * construction: a document type declaration is refused, so there are no external or custom entities.
 * It checks well-formedness: matching tags, one root, unique attributes, quoted values, known entities.
 */
final class XmlPullParser {
    private final String s;
    private final int n;
    private final String what;
    private int pos;

    private XmlPullParser(String s, String what) {
        this.s = s;
        this.n = s.length();
        this.what = what;
    }

    static XmlNode parse(String xml, String what) {
        return new XmlPullParser(xml, what).document();
    }

    /**
     * A document that is not well-formed, reported as libvirt reports libxml2's fatal errors: XML_DETAIL
     * in the error domain of the document's kind, "(what):LINE: message", then the line of the error and a
     * pointer under the column where the parser stopped.
     */
    private VirtException error(String msg) {
        int at = Math.min(pos, n);
        int cur = at;
        while (cur > 0 && isEol(cur)) {
            cur--;
        }
        while (cur > 0 && !isEol(cur)) {
            cur--;
        }
        if (isEol(cur)) {
            cur++;
        }
        int col = at - cur;
        int end = cur;
        while (end < n && !isEol(end)) {
            end++;
        }
        String context = s.substring(Math.min(cur, n), end);
        if (context.isEmpty()) {
            context = "(null)"; // libvirt prints an empty context line (a NULL string) so
        }
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < col && i < end - cur; i++) {
            pointer.append(context.charAt(i) == '\t' ? '\t' : '-');
        }
        pointer.append('^');
        return new VirtException(new org.jvirt.api.VirtError(ErrorCode.XML_DETAIL, domainOf(what),
                "(" + what + "):" + lineAt(at) + ": " + msg + "\n" + context + "\n" + pointer));
    }

    /** A document beyond libxml2's limits (depth, name and value lengths): XML_ERROR, as issue 12 asks. */
    private VirtException limit(String msg) {
        return new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML, "(" + what + "):" + lineAt(pos) + ": " + msg);
    }

    private boolean isEol(int i) {
        return i < n && (s.charAt(i) == '\n' || s.charAt(i) == '\r');
    }

    private int lineAt(int at) {
        int line = 1;
        for (int i = 0; i < at && i < n; i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The error domain libvirt's parser of each kind of document reports in. */
    static ErrorDomain domainOf(String what) {
        return switch (what) {
            case "domain_definition", "device_definition" -> ErrorDomain.DOMAIN;
            case "network_definition" -> ErrorDomain.NETWORK;
            case "capabilities" -> ErrorDomain.CAPABILITIES;
            default -> ErrorDomain.XML;
        };
    }

    private XmlNode document() {
        if (n > 0 && s.charAt(0) == '\uFEFF') {
            pos = 1;
        }
        XmlNode root = null;
        while (true) {
            skipSpace();
            if (pos >= n) {
                break;
            }
            if (s.charAt(pos) != '<') {
                throw error(root == null ? "Start tag expected, '<' not found" : "Extra content at the end of the document");
            }
            if (s.startsWith("<?", pos)) {
                pi();
            } else if (s.startsWith("<!--", pos)) {
                comment();
            } else if (s.startsWith("<!DOCTYPE", pos) || s.startsWith("<!", pos)) {
                throw error("document type declarations are not allowed");
            } else {
                if (root != null) {
                    throw error("Extra content at the end of the document");
                }
                root = element();
            }
        }
        if (root == null) {
            throw error(n == 0 ? "Document is empty" : "Start tag expected, '<' not found");
        }
        return root;
    }

    private void skipSpace() {
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                pos++;
            } else {
                break;
            }
        }
    }

    private void pi() {
        int end = s.indexOf("?>", pos + 2);
        if (end < 0) {
            throw error("ParsePI: PI not terminated");
        }
        pos = end + 2;
    }

    private void comment() {
        int end = s.indexOf("-->", pos + 4);
        if (end < 0) {
            throw error("Comment not terminated");
        }
        pos = end + 3;
    }

    private static boolean nameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c > 0x7f;
    }

    private static boolean nameChar(char c) {
        return nameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }

    private String name() {
        int start = pos;
        if (pos >= n || !nameStart(s.charAt(pos))) {
            throw error("invalid element name");
        }
        pos++;
        while (pos < n && nameChar(s.charAt(pos))) {
            pos++;
        }
        if (pos - start > MAX_NAME_LENGTH) {
            throw limit("Name too long: NCName");
        }
        return s.substring(start, pos);
    }

    /** An open element while its content is read: the node and its character data so far. */
    private static final class Open {
        final XmlNode node;
        final Open parent;
        final int depth;
        /** Where its start tag begins, for libxml2's "line N" in messages. */
        final int start;
        StringBuilder text;
        String plain;

        Open(XmlNode node, Open parent, int start) {
            this.node = node;
            this.parent = parent;
            this.start = start;
            this.depth = parent == null ? 1 : parent.depth + 1;
        }

        void append(String chunk) {
            if (plain == null && text == null) {
                plain = chunk;
            } else {
                if (text == null) {
                    text = new StringBuilder(plain == null ? "" : plain);
                    plain = null;
                }
                text.append(chunk);
            }
        }
    }

    /**
     * Reads the element at pos and everything inside it. Iterative, with an explicit stack of open
     * elements, so that depth costs heap, not Java stack; and, as libxml2, it refuses an element with
     * more than {@value #MAX_DEPTH} ancestors.
     */
    private XmlNode element() {
        int rootStart = pos;
        XmlNode root = startTag(null);
        if (root == null) {
            return lastEmpty;
        }
        Open top = new Open(root, null, rootStart);
        while (true) {
            String name = top.node.getName();
            if (pos >= n) {
                throw error("Premature end of data in tag " + name + " line " + lineAt(top.start));
            }
            int lt = s.indexOf('<', pos);
            if (lt < 0) {
                pos = n;
                throw error("Premature end of data in tag " + name + " line " + lineAt(top.start));
            }
            if (lt > pos) {
                top.append(textValue(pos, lt));
                pos = lt;
            }
            if (s.startsWith("</", pos)) {
                pos += 2;
                String end = name();
                if (!end.equals(name)) {
                    skipSpace(); // libxml2 reads the whole end tag before it reports the mismatch
                    if (pos < n && s.charAt(pos) == '>') {
                        pos++;
                    }
                    throw error("Opening and ending tag mismatch: " + name + " line " + lineAt(top.start) + " and " + end);
                }
                skipSpace();
                if (pos >= n || s.charAt(pos) != '>') {
                    throw error("expected '>'");
                }
                pos++;
                XmlNode node = top.node;
                String t = top.text != null ? top.text.toString() : top.plain;
                if (t != null && (node.getChildren().isEmpty() || !t.isBlank())) {
                    node.setText(t);
                }
                if (top.parent == null) {
                    return node;
                }
                top = top.parent;
            } else if (s.startsWith("<!--", pos)) {
                comment();
            } else if (s.startsWith("<![CDATA[", pos)) {
                int end = s.indexOf("]]>", pos + 9);
                if (end < 0) {
                    throw error("CData section not finished");
                }
                String chunk = s.substring(pos + 9, end);
                if (top.text == null) {
                    top.text = new StringBuilder(top.plain == null ? "" : top.plain);
                    top.plain = null;
                }
                top.text.append(chunk);
                pos = end + 3;
            } else if (s.startsWith("<?", pos)) {
                pi();
            } else if (s.startsWith("<!", pos)) {
                throw error("document type declarations are not allowed");
            } else {
                if (top.depth > MAX_DEPTH) {
                    throw limit("Excessive depth in document: " + MAX_DEPTH + " use XML_PARSE_HUGE option");
                }
                int childStart = pos;
                XmlNode child = startTag(top.node);
                if (child != null) {
                    top = new Open(child, top, childStart);
                }
            }
        }
    }

    /** libxml2's xmlParserMaxDepth: an element may have at most this many ancestors. */
    static final int MAX_DEPTH = 256;
    /** libxml2's XML_MAX_NAME_LENGTH. */
    static final int MAX_NAME_LENGTH = 50000;
    /** libxml2's XML_MAX_TEXT_LENGTH, which bounds an attribute value (as written). */
    static final int MAX_ATTRIBUTE_LENGTH = 10_000_000;

    private XmlNode lastEmpty;

    /**
     * Reads a start tag at pos and adds its element to {@code parent}. Returns the element when content
     * follows, or null for an empty element ({@code <x/>}), which is then left in {@link #lastEmpty}.
     */
    private XmlNode startTag(XmlNode parent) {
        int tagStart = pos;
        pos++; // '<'
        String name = name();
        XmlNode node = new XmlNode(name);
        if (parent != null) {
            parent.getChildren().add(node);
        }
        while (true) {
            int before = pos;
            skipSpace();
            if (pos >= n) {
                throw error("Couldn't find end of Start Tag " + name + " line " + lineAt(tagStart));
            }
            char c = s.charAt(pos);
            if (c == '/') {
                if (pos + 1 < n && s.charAt(pos + 1) == '>') {
                    pos += 2;
                    lastEmpty = node;
                    return null;
                }
                throw error("Couldn't find end of Start Tag " + name + " line " + lineAt(tagStart));
            }
            if (c == '>') {
                pos++;
                return node;
            }
            if (before == pos) {
                throw error("attributes construct error in element " + name);
            }
            String an = name();
            skipSpace();
            if (pos >= n || s.charAt(pos) != '=') {
                throw error("Specification mandates value for attribute " + an);
            }
            pos++;
            skipSpace();
            if (pos >= n || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                throw error("AttValue: \" or ' expected");
            }
            char q = s.charAt(pos++);
            int end = s.indexOf(q, pos);
            if (end < 0) {
                throw error("AttValue: ' expected");
            }
            if (end - pos > MAX_ATTRIBUTE_LENGTH) {
                throw limit("AttValue length too long");
            }
            String v = attrValue(pos, end);
            pos = end + 1;
            if (node.getAttributes().put(an, v) != null) {
                throw error("Attribute " + an + " redefined");
            }
        }
    }

    private String attrValue(int start, int end) {
        boolean simple = true;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '&' || c == '\t' || c == '\n' || c == '\r') {
                simple = false;
            } else if (c == '<') {
                pos = i;
                throw error("Unescaped '<' not allowed in attributes values");
            }
        }
        if (simple) {
            return s.substring(start, end);
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '&') {
                i = entity(sb, i, end);
            } else if (c == '\t' || c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < end && s.charAt(i + 1) == '\n') {
                    i++;
                }
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private String textValue(int start, int end) {
        boolean simple = true;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '&' || c == '\r') {
                simple = false;
                break;
            }
        }
        if (simple) {
            return s.substring(start, end);
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '&') {
                i = entity(sb, i, end);
            } else if (c == '\r') {
                if (!(i + 1 < end && s.charAt(i + 1) == '\n')) {
                    sb.append('\n');
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Decodes the reference at i into sb; returns the index of its ';'. */
    private int entity(StringBuilder sb, int i, int end) {
        int semi = s.indexOf(';', i);
        if (semi < 0 || semi >= end || semi - i > 12) {
            pos = i;
            throw error("EntityRef: expecting ';'");
        }
        String ref = s.substring(i + 1, semi);
        switch (ref) {
            case "lt": sb.append('<'); break;
            case "gt": sb.append('>'); break;
            case "amp": sb.append('&'); break;
            case "apos": sb.append('\''); break;
            case "quot": sb.append('"'); break;
            default:
                if (ref.startsWith("#")) {
                    int cp;
                    try {
                        cp = ref.startsWith("#x") ? Integer.parseInt(ref.substring(2), 16) : Integer.parseInt(ref.substring(1));
                    } catch (NumberFormatException e) {
                        pos = i;
                        throw error("invalid character reference &" + ref + ";");
                    }
                    if (cp == 0 || !Character.isValidCodePoint(cp) || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13)) {
                        pos = i;
                        throw error("xmlParseCharRef: invalid xmlChar value " + cp);
                    }
                    sb.appendCodePoint(cp);
                } else {
                    pos = i;
                    throw error("Entity '" + ref + "' not defined");
                }
        }
        return semi;
    }

    /** For tests: the children list type used. */
    static Class<?> listType() {
        return ArrayList.class;
    }
}
