package org.jvirt.remote.internal.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirtd.conf settings: {@code name = value} lines, values being integers, "strings" or
 * ["string", "lists"]; {@code #} starts a comment. Defaults are libvirtd's.
 */
public final class DaemonConfig {
    private final Map<String, Object> values;

    private DaemonConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static DaemonConfig empty() {
        return new DaemonConfig(new LinkedHashMap<>());
    }

    public static DaemonConfig of(Map<String, ?> settings) {
        return new DaemonConfig(new LinkedHashMap<>(settings));
    }

    public static DaemonConfig read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF,
                    "cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    public static DaemonConfig parse(String text, String source) {
        Map<String, Object> m = new LinkedHashMap<>();
        Lexer lx = new Lexer(text, source);
        while (lx.skipBlank()) {
            String key = lx.name();
            lx.expect('=');
            m.put(key, lx.value());
            lx.endOfLine();
        }
        return new DaemonConfig(m);
    }

    /** This configuration with some settings replaced. */
    public DaemonConfig with(Map<String, ?> overrides) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.putAll(overrides);
        return new DaemonConfig(m);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key, String def) {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long l && (key.endsWith("_port"))) {
            return l.toString();
        }
        throw typeError(key, "a string");
    }

    public long number(String key, long def) {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw typeError(key, "a number");
    }

    public boolean flag(String key, boolean def) {
        return number(key, def ? 1 : 0) != 0;
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return (List<String>) l;
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        throw typeError(key, "a list of strings");
    }

    private static VirtException typeError(String key, String what) {
        return new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF,
                "remoteReadConfigFile: " + key + ": expected " + what);
    }

    /** A minimal reader of libvirt's virConf syntax. */
    private static final class Lexer {
        private final String s;
        private final String source;
        private int pos;
        private int line = 1;

        Lexer(String s, String source) {
            this.s = s;
            this.source = source;
        }

        private VirtException error(String what) {
            return new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF,
                    source + ":" + line + ": " + what);
        }

        /** Skips blanks, newlines and comments; false at the end. */
        boolean skipBlank() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else {
                    return true;
                }
            }
            return false;
        }

        private void skipSpaces() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        String name() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
                    || s.charAt(pos) == '.')) {
                pos++;
            }
            if (start == pos) {
                throw error("expecting a name");
            }
            return s.substring(start, pos);
        }

        void expect(char c) {
            skipSpaces();
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expecting '" + c + "'");
            }
            pos++;
            skipSpaces();
        }

        Object value() {
            if (pos >= s.length()) {
                throw error("expecting a value");
            }
            char c = s.charAt(pos);
            if (c == '"' || c == '\'') {
                return string();
            }
            if (c == '[') {
                pos++;
                List<String> out = new ArrayList<>();
                while (true) {
                    skipBlank();
                    if (pos < s.length() && s.charAt(pos) == ']') {
                        pos++;
                        return List.copyOf(out);
                    }
                    out.add(string());
                    skipBlank();
                    if (pos < s.length() && s.charAt(pos) == ',') {
                        pos++;
                    } else if (pos >= s.length() || s.charAt(pos) != ']') {
                        throw error("expecting a separator in list");
                    }
                }
            }
            int start = pos;
            if (c == '-' || c == '+') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expecting a value");
            }
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("bad number");
            }
        }

        private String string() {
            if (pos >= s.length() || (s.charAt(pos) != '"' && s.charAt(pos) != '\'')) {
                throw error("expecting a string");
            }
            char q = s.charAt(pos++);
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != q) {
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

        void endOfLine() {
            skipSpaces();
            if (pos < s.length() && s.charAt(pos) == '#') {
                return;
            }
            if (pos < s.length() && s.charAt(pos) != '\n') {
                throw error("expecting end of line");
            }
        }
    }
}
