package org.jvirt.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * An xl.cfg file (xl.cfg(5)): settings in order, each a string, a number, a list of strings or a list of
 * such lists (vnuma). Parses
 * the syntax xl's libxlutil reads (quoted strings with either quote, decimal and hex numbers, lists over
 * several lines, {@code #} comments, {@code ;} or newline between settings) and writes it back as
 * libvirt writes it: {@code key = value}, one per line.
 */
public final class XlConfig {
    private final Map<String, Object> settings = new LinkedHashMap<>();

    // ---- access --------------------------------------------------------------------------------------

    public boolean has(String key) {
        return settings.containsKey(key);
    }

    /** A string or number setting as text, or null. */
    public String string(String key) {
        Object v = settings.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List) {
            throw syntax("setting '" + key + "' is a list, a single value was expected");
        }
        return v.toString();
    }

    /** A number (or a string holding one), or the default. */
    public long number(String key, long dflt) {
        String s = string(key);
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw syntax("setting '" + key + "' must be a number, not '" + s + "'");
        }
    }

    /** A boolean (0/1, or a string of those), or null when absent. */
    public Boolean bool(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        return number(key, 0) != 0;
    }

    /** A list setting; a single value counts as a list of one. */
    public List<String> list(String key) {
        Object v = settings.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (o instanceof List) {
                    throw syntax("setting '" + key + "' holds a list of lists, a list of strings was expected");
                }
                out.add(o.toString());
            }
            return out;
        }
        return List.of(v.toString());
    }

    /** Whether a setting is a list (of strings or of lists), not a single value. */
    public boolean isList(String key) {
        return settings.get(key) instanceof List;
    }

    /**
     * A setting's raw value: a String, a Long, or a List whose items are Strings, Longs or Lists of those
     * (null when absent).
     */
    public Object value(String key) {
        return settings.get(key);
    }

    public Map<String, Object> settings() {
        return Collections.unmodifiableMap(settings);
    }

    // ---- building ------------------------------------------------------------------------------------

    public XlConfig set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public XlConfig set(String key, long value) {
        settings.put(key, value);
        return this;
    }

    public XlConfig set(String key, List<String> value) {
        settings.put(key, List.copyOf(value));
        return this;
    }

    /** A list of lists of strings (vnuma). */
    public XlConfig setLists(String key, List<List<String>> value) {
        List<Object> copy = new ArrayList<>();
        for (List<String> l : value) {
            copy.add(List.copyOf(l));
        }
        settings.put(key, List.copyOf(copy));
        return this;
    }

    // ---- text ----------------------------------------------------------------------------------------

    /** The file: {@code key = value} lines, strings double-quoted, lists on one line. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            sb.append(e.getKey()).append(" = ");
            Object v = e.getValue();
            formatValue(sb, v);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void formatValue(StringBuilder sb, Object v) {
        if (v instanceof List<?> l) {
            sb.append("[ ");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                formatValue(sb, l.get(i));
            }
            sb.append(" ]");
        } else if (v instanceof Long) {
            sb.append(v);
        } else {
            sb.append(quote(v.toString()));
        }
    }

    /** As libvirt's virConf writes a string: in triple quotes when it holds a newline or both quotes. */
    private static String quote(String s) {
        if (s.indexOf('\n') >= 0) {
            return "\"\"\"" + s + "\"\"\"";
        }
        if (s.indexOf('"') < 0) {
            return '"' + s + '"';
        }
        if (s.indexOf('\'') < 0) {
            return '\'' + s + '\'';
        }
        return "\"\"\"" + s + "\"\"\"";
    }

    /** Parses an xl.cfg text. */
    public static XlConfig parse(String text) {
        XlConfig c = new XlConfig();
        new Parser(text).parse(c);
        return c;
    }

    private static VirtException syntax(String detail) {
        return new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL, detail);
    }

    private static final class Parser {
        private final String s;
        private int pos;
        private int line = 1;

        Parser(String s) {
            this.s = s;
        }

        void parse(XlConfig c) {
            while (true) {
                skipBlank(true);
                if (pos >= s.length()) {
                    return;
                }
                String key = ident();
                skipBlank(false);
                boolean append = false;
                if (s.startsWith("+=", pos)) {
                    append = true;
                    pos += 2;
                } else if (peek() == '=') {
                    pos++;
                } else {
                    throw error("expected '=' after '" + key + "'");
                }
                skipBlank(false);
                Object v = value();
                if (append && c.settings.get(key) instanceof List<?> old && v instanceof List<?> more) {
                    List<Object> joined = new ArrayList<>(old);
                    joined.addAll(more);
                    v = joined;
                }
                c.settings.put(key, v);
                skipBlank(false);
                char ch = peek();
                if (ch == ';' || ch == '\n') {
                    pos++;
                    if (ch == '\n') {
                        line++;
                    }
                } else if (pos < s.length()) {
                    throw error("unexpected '" + ch + "' after the value of '" + key + "'");
                }
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        /** Skips blanks and comments; newlines too when asked. */
        private void skipBlank(boolean newlines) {
            while (pos < s.length()) {
                char ch = s.charAt(pos);
                if (ch == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (ch == ' ' || ch == '\t' || ch == '\r') {
                    pos++;
                } else if ((ch == '\n' || ch == ';') && newlines) {
                    if (ch == '\n') {
                        line++;
                    }
                    pos++;
                } else {
                    return;
                }
            }
        }

        private String ident() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a setting name");
            }
            return s.substring(start, pos);
        }

        private Object value() {
            return value(0);
        }

        /** A value; lists nest one level (a list of lists, as vnuma has), as in libxlutil. */
        private Object value(int depth) {
            char ch = peek();
            if (ch == '[') {
                pos++;
                List<Object> items = new ArrayList<>();
                while (true) {
                    skipBlank(true);
                    if (peek() == ']') {
                        pos++;
                        return items;
                    }
                    Object item = value(depth + 1);
                    if (item instanceof List && depth > 0) {
                        throw error("a list of lists cannot hold a list");
                    }
                    items.add(item);
                    skipBlank(true);
                    if (peek() == ',') {
                        pos++;
                    } else if (peek() != ']') {
                        throw error("expected ',' or ']' in a list");
                    }
                }
            }
            if (ch == '"' && pos + 6 < s.length() && s.startsWith("\"\"\"", pos)) {
                // libvirt's virConf (which reads xen-xl and xen-xm configs) takes python-style triple quotes
                int start = pos + 3;
                int end = s.indexOf("\"\"\"", start);
                if (end < 0) {
                    throw error("unterminated string");
                }
                for (int i = start; i < end; i++) {
                    if (s.charAt(i) == '\n') {
                        line++;
                    }
                }
                pos = end + 3;
                return s.substring(start, end);
            }
            if (ch == '"' || ch == '\'') {
                int start = ++pos;
                while (pos < s.length() && s.charAt(pos) != ch) {
                    if (s.charAt(pos) == '\n') {
                        throw error("unterminated string");
                    }
                    pos++;
                }
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                return s.substring(start, pos++);
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.'
                    || s.charAt(pos) == '-')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a value");
            }
            String num = s.substring(start, pos);
            try {
                return num.startsWith("0x") ? Long.parseLong(num.substring(2), 16) : Long.parseLong(num);
            } catch (NumberFormatException e) {
                throw error("'" + num + "' is neither a number nor a quoted string");
            }
        }

        private VirtException error(String what) {
            return syntax("xl.cfg line " + line + ": " + what);
        }
    }
}
