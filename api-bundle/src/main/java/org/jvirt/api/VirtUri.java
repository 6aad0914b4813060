package org.jvirt.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A libvirt-style connection URI: {@code driver[+transport]://[user@][host][:port]/[path][?params]}.
 * Immutable; {@link #toString()} gives the normalized text.
 */
public final class VirtUri {
    private final String text;
    private final String driver;
    private final String transport;
    private final String user;
    private final String host;
    private final int port;
    private final String path;
    private final Map<String, String> params;

    private VirtUri(String text, String driver, String transport, String user, String host, int port,
            String path, Map<String, String> params) {
        this.text = text;
        this.driver = driver;
        this.transport = transport;
        this.user = user;
        this.host = host;
        this.port = port;
        this.path = path;
        this.params = params;
    }

    /** Parses a URI, or throws {@code INVALID_ARG}. */
    public static VirtUri parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw invalid(uri, "empty URI");
        }
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw invalid(uri, "no scheme");
        }
        String scheme = uri.substring(0, colon);
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.' || c == '_')) {
                throw invalid(uri, "bad character '" + c + "' in scheme");
            }
        }
        String driver = scheme;
        String transport = null;
        int plus = scheme.indexOf('+');
        if (plus >= 0) {
            driver = scheme.substring(0, plus);
            transport = scheme.substring(plus + 1);
            if (driver.isEmpty() || transport.isEmpty()) {
                throw invalid(uri, "bad driver or transport");
            }
        }
        String rest = uri.substring(colon + 1);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int hash = (query != null ? query : rest).indexOf('#');
        if (hash >= 0) {
            if (query != null) {
                query = query.substring(0, hash);
            } else {
                rest = rest.substring(0, hash);
            }
        }
        String user = null;
        String host = null;
        int port = 0;
        String path;
        if (rest.startsWith("//")) {
            String auth;
            int slash = rest.indexOf('/', 2);
            if (slash < 0) {
                auth = rest.substring(2);
                path = "";
            } else {
                auth = rest.substring(2, slash);
                path = rest.substring(slash);
            }
            int at = auth.lastIndexOf('@');
            if (at >= 0) {
                user = decode(uri, auth.substring(0, at));
                auth = auth.substring(at + 1);
            }
            String hostPart = auth;
            int portColon;
            if (auth.startsWith("[")) {
                int close = auth.indexOf(']');
                if (close < 0) {
                    throw invalid(uri, "unterminated IPv6 address");
                }
                hostPart = auth.substring(1, close);
                portColon = auth.indexOf(':', close);
            } else {
                portColon = auth.lastIndexOf(':');
                if (portColon >= 0) {
                    hostPart = auth.substring(0, portColon);
                }
            }
            if (portColon >= 0) {
                String p = auth.substring(portColon + 1);
                if (!p.isEmpty()) {
                    try {
                        port = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw invalid(uri, "bad port '" + p + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw invalid(uri, "port out of range");
                    }
                }
            }
            host = hostPart.isEmpty() ? null : hostPart;
        } else {
            path = rest;
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("[&;]")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(uri, eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(uri, pair.substring(eq + 1));
                params.put(k, v);
            }
        }
        return new VirtUri(uri, driver, transport, user, host, port, decode(uri, path),
                Collections.unmodifiableMap(params));
    }

    private static String decode(String uri, String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(uri, "bad escape in '" + s + "'");
        }
    }

    private static VirtException invalid(String uri, String why) {
        return new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                "Unable to parse URI " + (uri == null ? "(null)" : uri) + ": " + why);
    }

    /** The whole scheme, e.g. {@code qemu+tls}. */
    public String scheme() {
        return transport == null ? driver : driver + "+" + transport;
    }

    /** The driver part of the scheme, e.g. {@code qemu}. */
    public String driver() {
        return driver;
    }

    /** The transport after '+', or null. */
    public String transport() {
        return transport;
    }

    public String user() {
        return user;
    }

    /** The host name, or null for a local URI. */
    public String host() {
        return host;
    }

    /** The port, or 0 when none was given. */
    public int port() {
        return port;
    }

    /** The path, e.g. {@code /system}; empty when none. */
    public String path() {
        return path;
    }

    /** Query parameters, in order, decoded. */
    public Map<String, String> params() {
        return params;
    }

    public String param(String name) {
        return params.get(name);
    }

    /** True when the URI must go to the remote driver: it has a host or a transport. */
    public boolean isRemote() {
        return host != null || transport != null;
    }

    /** This URI with a different scheme and no host, transport or params, as the server side sees it. */
    public VirtUri localPart() {
        StringBuilder sb = new StringBuilder(driver).append("://").append(path);
        Map<String, String> kept = new LinkedHashMap<>();
        params.forEach((k, v) -> kept.put(k, v));
        return new VirtUri(sb.toString(), driver, null, null, null, 0, path, Collections.unmodifiableMap(kept));
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtUri u && u.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
