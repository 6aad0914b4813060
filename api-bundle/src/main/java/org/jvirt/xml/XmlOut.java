package org.jvirt.xml;

/** Output helpers shared by the formatters: escaping and indentation. */
final class XmlOut {
    private static final String SPACES = "                                                                ";

    private XmlOut() {
    }

    static void indent(StringBuilder sb, int n) {
        while (n > SPACES.length()) {
            sb.append(SPACES);
            n -= SPACES.length();
        }
        sb.append(SPACES, 0, n);
    }

    /** Appends {@code  key='value'} when value is not null. */
    static void attr(StringBuilder sb, String key, String value) {
        if (value == null) {
            return;
        }
        sb.append(' ').append(key).append("='");
        escape(sb, value, true);
        sb.append('\'');
    }

    static void attr(StringBuilder sb, String key, long value) {
        sb.append(' ').append(key).append("='").append(value).append('\'');
    }

    static void text(StringBuilder sb, String value) {
        escape(sb, value, false);
    }

    /** {@code <name>text</name>} on its own line, when text is not null. */
    static void elem(StringBuilder sb, int indent, String name, String text) {
        if (text == null) {
            return;
        }
        indent(sb, indent);
        sb.append('<').append(name).append('>');
        escape(sb, text, false);
        sb.append("</").append(name).append(">\n");
    }

    /** {@code <name key='value'/>} on its own line, when value is not null. */
    static void empty(StringBuilder sb, int indent, String name, String key, String value) {
        if (value == null) {
            return;
        }
        indent(sb, indent);
        sb.append('<').append(name);
        attr(sb, key, value);
        sb.append("/>\n");
    }

    static void escape(StringBuilder sb, String s, boolean attribute) {
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String rep;
            switch (c) {
                case '<': rep = "&lt;"; break;
                case '>': rep = "&gt;"; break;
                case '&': rep = "&amp;"; break;
                case '\'': rep = "&apos;"; break;
                case '"': rep = "&quot;"; break;
                case '\n': rep = attribute ? "&#10;" : null; break;
                case '\r': rep = "&#13;"; break;
                case '\t': rep = attribute ? "&#9;" : null; break;
                default: rep = null;
            }
            if (rep != null) {
                sb.append(s, start, i).append(rep);
                start = i + 1;
            }
        }
        sb.append(s, start, n);
    }
}
