package org.jvirt.xml;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/** A {@code <graphics>} console: vnc, sdl, spice, rdp, desktop, egl-headless, dbus. */
public final class GraphicsDef extends DeviceBase implements DeviceDef {
    private String type;
    private int port = -1;
    private boolean autoport;
    private String listen;
    private String listenType;
    private String listenNetwork;
    private String keymap;
    private String passwd;
    private String display;
    private String xauth;
    private String fullscreen;
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();

    public GraphicsDef() {
    }

    public GraphicsDef(String type) {
        this.type = type;
    }

    @Override public String getElementName() { return "graphics"; }
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    /** The port, -1 when it is chosen automatically. */
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public boolean isAutoport() { return autoport; }
    public void setAutoport(boolean autoport) { this.autoport = autoport; }
    /** The listen address, or null. */
    public String getListen() { return listen; }
    public void setListen(String listen) { this.listen = listen; }
    /** The {@code <listen type=...>}: address, network, socket, none; null when there is no listen. */
    public String getListenType() { return listenType; }
    public void setListenType(String listenType) { this.listenType = listenType; }
    public String getListenNetwork() { return listenNetwork; }
    public void setListenNetwork(String listenNetwork) { this.listenNetwork = listenNetwork; }
    public String getKeymap() { return keymap; }
    public void setKeymap(String keymap) { this.keymap = keymap; }
    /** The VNC/SPICE password; formatted only in secure output. */
    public String getPasswd() { return passwd; }
    public void setPasswd(String passwd) { this.passwd = passwd; }
    public String getDisplay() { return display; }
    public void setDisplay(String display) { this.display = display; }
    public String getXauth() { return xauth; }
    public void setXauth(String xauth) { this.xauth = xauth; }
    /** 'yes' or 'no' or null (SDL, desktop). */
    public String getFullscreen() { return fullscreen; }
    public void setFullscreen(String fullscreen) { this.fullscreen = fullscreen; }
    /** Other attributes (websocket, sharePolicy, tlsPort, passwdValidTo, connected, ...). */
    public Map<String, String> getOtherAttributes() { return otherAttributes; }

    @Override
    public GraphicsDef copy() {
        GraphicsDef d = new GraphicsDef(type);
        copyBaseTo(d);
        d.port = port;
        d.autoport = autoport;
        d.listen = listen;
        d.listenType = listenType;
        d.listenNetwork = listenNetwork;
        d.keymap = keymap;
        d.passwd = passwd;
        d.display = display;
        d.xauth = xauth;
        d.fullscreen = fullscreen;
        d.otherAttributes.putAll(otherAttributes);
        return d;
    }

    private boolean networked() {
        return "vnc".equals(type) || "spice".equals(type) || "rdp".equals(type);
    }

    static GraphicsDef parse(XmlNode n) {
        GraphicsDef d = new GraphicsDef();
        String autoport = null;
        String port = null;
        for (Map.Entry<String, String> e : n.getAttributes().entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "type": d.type = v; break;
                case "port": port = v; break;
                case "autoport": autoport = v; break;
                case "listen": d.listen = v; break;
                case "keymap": d.keymap = v; break;
                case "passwd": d.passwd = v; break;
                case "display": d.display = v; break;
                case "xauth": d.xauth = v; break;
                case "fullscreen": d.fullscreen = v; break;
                default: d.otherAttributes.put(e.getKey(), v);
            }
        }
        if (d.type == null) {
            throw XmlIn.xmlError("missing graphics device type");
        }
        switch (d.type) {
            case "sdl": case "vnc": case "rdp": case "desktop": case "spice": case "egl-headless": case "dbus":
                break;
            default:
                throw XmlIn.xmlError("unknown graphics device type '" + d.type + "'");
        }
        if (port != null) {
            if (d.type.equals("vnc") || d.type.equals("rdp")) {
                try {
                    Integer.parseInt(port.trim());
                } catch (NumberFormatException e) {
                    throw new org.jvirt.api.VirtException(org.jvirt.api.ErrorCode.INTERNAL_ERROR,
                            org.jvirt.api.ErrorDomain.DOMAIN, "cannot parse " + d.type + " port " + port);
                }
            }
            d.port = XmlIn.integer(port, "graphics port");
            if (d.port < -1) {
                throw XmlIn.xmlError("invalid graphics port '" + port + "'");
            }
        }
        if (d.networked()) {
            // as libvirt: no port (or -1) means autoport, which autoport='yes'/'no' then overrides; any other
            // value is ignored (virStringParseYesNo's result is not checked)
            d.autoport = port == null || d.port == -1;
            if ("yes".equals(autoport) || "no".equals(autoport)) {
                d.autoport = autoport.equals("yes");
            }
            if (d.autoport) {
                d.port = -1;
            }
        }
        String socketCompat = "vnc".equals(d.type) ? d.otherAttributes.get("socket") : null;
        for (XmlNode c : n.getChildren()) {
            if (c.getName().equals("listen")) {
                if (d.listenType == null) {
                    d.listenType = c.attr("type") == null ? "address" : c.attr("type");
                    String addr = c.attr("address");
                    if (addr != null && "address".equals(d.listenType)) {
                        if (d.listen != null && !d.listen.equals(addr)) {
                            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                                "graphics 'listen' attribute '" + d.listen
                                + "' must match 'address' attribute of first listen element (found '" + addr + "')");
                        }
                        d.listen = addr;
                    }
                    if ("network".equals(d.listenType) && addr != null) {
                        d.listen = addr;
                    }
                    d.listenNetwork = c.attr("network");
                    String sock = c.attr("socket");
                    if (sock != null && "socket".equals(d.listenType)) {
                        if (socketCompat != null && !socketCompat.equals(sock)) {
                            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                                "graphics 'socket' attribute '" + socketCompat
                                + "' must match 'socket' attribute of first listen element (found '" + sock + "')");
                        }
                        d.otherAttributes.put("socket", sock);
                    }
                    if (d.listenNetwork != null && !d.listenNetwork.isEmpty() && !"network".equals(d.listenType)) {
                        throw XmlIn.xmlError("'network' attribute is valid only for listen type 'network'");
                    }
                    if (sock != null && !sock.isEmpty() && !"socket".equals(d.listenType)) {
                        throw XmlIn.xmlError("'socket' attribute is valid only for listen type 'socket'");
                    }
                    if (socketCompat != null && ("address".equals(d.listenType) || "network".equals(d.listenType))) {
                        // libvirt: the graphics socket attribute replaces a first address or network listen
                        d.listenType = "socket";
                        d.listen = null;
                        d.listenNetwork = null;
                    }
                }
            } else if (!d.parseCommon(c)) {
                d.extras.add(c);
            }
        }
        if (d.networked() && d.listenType == null && !d.otherAttributes.containsKey("socket")) {
            d.listenType = "address";
        }
        return d;
    }

    private static final String[] VNC_ORDER = {"socket", "port", "autoport", "websocket", "websocketGenerated",
        "listen", "keymap", "sharePolicy", "passwd", "passwdValidTo", "connected", "powerControl"};
    private static final String[] SPICE_ORDER = {"port", "tlsPort", "autoport", "listen", "keymap", "defaultMode",
        "passwd", "passwdValidTo", "connected"};
    private static final String[] RDP_ORDER = {"port", "autoport", "replaceUser", "multiUser", "listen", "passwd"};
    private static final String[] SDL_ORDER = {"display", "xauth", "fullscreen"};

    void format(StringBuilder sb, int indent, boolean secure, boolean inactive) {
        XmlOut.indent(sb, indent);
        sb.append("<graphics");
        XmlOut.attr(sb, "type", type);
        String[] order;
        switch (type) {
            case "vnc": order = VNC_ORDER; break;
            case "spice": order = SPICE_ORDER; break;
            case "rdp": order = RDP_ORDER; break;
            default: order = SDL_ORDER;
        }
        Set<String> done = new HashSet<>();
        for (String k : order) {
            done.add(k);
            String v;
            switch (k) {
                case "port":
                    if (listenType != null && listenType.equals("socket") || otherAttributes.containsKey("socket")) {
                        v = null;
                    } else if ("spice".equals(type)) {
                        v = port > 0 && !(autoport && inactive) ? Integer.toString(port) : null;
                    } else {
                        v = Integer.toString(autoport && inactive ? -1 : port);
                    }
                    break;
                case "tlsPort":
                    v = otherAttributes.get(k);
                    if (v != null && autoport && (inactive || "-1".equals(v))) {
                        v = null;
                    }
                    break;
                case "autoport":
                    v = otherAttributes.containsKey("socket") ? null : autoport ? "yes" : "no";
                    break;
                case "listen":
                    v = "address".equals(listenType) || listenType == null ? listen : null;
                    break;
                case "keymap": v = keymap; break;
                case "passwd": v = secure ? passwd : null; break;
                case "display": v = display; break;
                case "xauth": v = xauth; break;
                case "fullscreen": v = fullscreen; break;
                default: v = otherAttributes.get(k);
            }
            XmlOut.attr(sb, k, v);
        }
        for (Map.Entry<String, String> e : otherAttributes.entrySet()) {
            // only VNC has a socket attribute; the others keep the socket on <listen>
            if (!done.contains(e.getKey()) && !(e.getKey().equals("socket") && !"vnc".equals(type))) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
        }
        if (!networked()) {
            // sdl and friends keep display/xauth/fullscreen above; other types' attrs were in the map
        }
        boolean children = listenType != null || hasTail();
        if (!children) {
            sb.append("/>\n");
            return;
        }
        sb.append(">\n");
        int in = indent + 2;
        if (listenType != null) {
            XmlOut.indent(sb, in);
            sb.append("<listen");
            XmlOut.attr(sb, "type", listenType);
            switch (listenType) {
                case "address": XmlOut.attr(sb, "address", listen); break;
                case "network":
                    XmlOut.attr(sb, "network", listenNetwork);
                    if (!inactive) {
                        XmlOut.attr(sb, "address", listen);
                    }
                    break;
                case "socket": XmlOut.attr(sb, "socket", otherAttributes.get("socket")); break;
                default: break;
            }
            sb.append("/>\n");
        }
        formatTail(sb, in);
        XmlOut.indent(sb, indent);
        sb.append("</graphics>\n");
    }

    @Override
    public String toString() {
        return "graphics " + type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GraphicsDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, port);
    }
}
