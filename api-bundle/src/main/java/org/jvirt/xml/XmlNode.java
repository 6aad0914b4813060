package org.jvirt.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, mutable XML element tree. The parsers read documents into it; the models keep
 * elements they do not model as nodes so that they round-trip.
 */
public final class XmlNode {
    private String name;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<XmlNode> children = new ArrayList<>();
    private String text;

    public XmlNode(String name) {
        this.name = name;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    /** Attributes in document order. */
    public Map<String, String> getAttributes() { return attributes; }
    public List<XmlNode> getChildren() { return children; }
    /** The element's text content (concatenated character data), or null when it has none. */
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }

    public String attr(String key) {
        return attributes.get(key);
    }

    public XmlNode attr(String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
        return this;
    }

    public XmlNode child(String childName) {
        for (int i = 0, n = children.size(); i < n; i++) {
            XmlNode c = children.get(i);
            if (c.name.equals(childName)) {
                return c;
            }
        }
        return null;
    }

    public List<XmlNode> children(String childName) {
        List<XmlNode> out = new ArrayList<>(2);
        for (int i = 0, n = children.size(); i < n; i++) {
            XmlNode c = children.get(i);
            if (c.name.equals(childName)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Text of the named child, trimmed, or null. */
    public String childText(String childName) {
        XmlNode c = child(childName);
        if (c == null) {
            return null;
        }
        return c.text == null ? "" : c.text.trim();
    }

    public XmlNode add(XmlNode child) {
        children.add(child);
        return this;
    }

    public XmlNode copy() {
        XmlNode n = new XmlNode(name);
        n.attributes.putAll(attributes);
        n.text = text;
        for (XmlNode c : children) {
            n.children.add(c.copy());
        }
        return n;
    }

    /** Formats this element in libvirt's layout (2-space indentation, single quotes). */
    public void format(StringBuilder sb, int indent) {
        format(sb, indent, name.equals("metadata"));
    }

    /** @param dq quote attributes with double quotes, as libxml2 dumps foreign content (metadata) */
    void format(StringBuilder sb, int indent, boolean dq) {
        XmlOut.indent(sb, indent);
        sb.append('<').append(name);
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (dq && !name.equals("metadata")) {
                sb.append(' ').append(e.getKey()).append("=\"");
                XmlOut.escape(sb, e.getValue(), true);
                sb.append('"');
            } else {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
        }
        String t = text == null ? null : text.trim();
        boolean hasText = t != null && !t.isEmpty();
        if (children.isEmpty() && !hasText) {
            sb.append("/>\n");
            return;
        }
        sb.append('>');
        if (hasText && children.isEmpty()) {
            XmlOut.text(sb, t);
        } else {
            sb.append('\n');
            if (hasText) {
                XmlOut.indent(sb, indent + 2);
                XmlOut.text(sb, t);
                sb.append('\n');
            }
            for (XmlNode c : children) {
                c.format(sb, indent + 2, dq);
            }
            XmlOut.indent(sb, indent);
        }
        sb.append("</").append(name).append(">\n");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        format(sb, 0);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof XmlNode x)) {
            return false;
        }
        return name.equals(x.name) && attributes.equals(x.attributes) && children.equals(x.children)
            && java.util.Objects.equals(text == null ? null : text.trim(), x.text == null ? null : x.text.trim());
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + attributes.hashCode();
    }
}
