package org.jvirt.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A character device: {@code <serial>}, {@code <parallel>}, {@code <console>} or {@code <channel>}. */
public final class CharDeviceDef extends DeviceBase implements DeviceDef {
    private String kind = "serial";
    private String type = "pty";
    private String sourcePath;
    private String sourceMode;
    private String sourceHost;
    private String sourceService;
    private final Map<String, String> sourceOtherAttributes = new LinkedHashMap<>();
    private final List<XmlNode> sourceExtra = new ArrayList<>(0);
    private String protocolType;
    private String targetType;
    private int targetPort = -1;
    private final Map<String, String> targetOtherAttributes = new LinkedHashMap<>();
    private final List<XmlNode> targetChildren = new ArrayList<>(0);

    public CharDeviceDef() {
    }

    /** @param kind serial, parallel, console or channel */
    public CharDeviceDef(String kind, String type) {
        this.kind = kind;
        this.type = type;
    }

    @Override public String getElementName() { return kind; }
    /** serial, parallel, console or channel. */
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    /** pty, file, dev, pipe, unix, tcp, udp, null, vc, stdio, spicevmc, ... */
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getSourcePath() { return sourcePath; }
    public void setSourcePath(String sourcePath) { this.sourcePath = sourcePath; }
    /** bind or connect (tcp, unix, udp). */
    public String getSourceMode() { return sourceMode; }
    public void setSourceMode(String sourceMode) { this.sourceMode = sourceMode; }
    public String getSourceHost() { return sourceHost; }
    public void setSourceHost(String sourceHost) { this.sourceHost = sourceHost; }
    public String getSourceService() { return sourceService; }
    public void setSourceService(String sourceService) { this.sourceService = sourceService; }
    public Map<String, String> getSourceOtherAttributes() { return sourceOtherAttributes; }
    /** Further {@code <source>} elements after the first (a udp device's connect source after its bind source). */
    public List<XmlNode> getSourceExtra() { return sourceExtra; }
    /** The tcp {@code <protocol type=...>}: raw, telnet, telnets, tls. */
    public String getProtocolType() { return protocolType; }
    public void setProtocolType(String protocolType) { this.protocolType = protocolType; }
    /** Target type: for consoles serial, virtio, xen, ...; for channels virtio, guestfwd, xen. */
    public String getTargetType() { return targetType; }
    public void setTargetType(String targetType) { this.targetType = targetType; }
    /** Target port, -1 when unset. */
    public int getTargetPort() { return targetPort; }
    public void setTargetPort(int targetPort) { this.targetPort = targetPort; }
    /** Other target attributes: name and state (virtio channels), address and port (guestfwd). */
    public Map<String, String> getTargetOtherAttributes() { return targetOtherAttributes; }

    @Override
    public CharDeviceDef copy() {
        CharDeviceDef d = new CharDeviceDef(kind, type);
        copyBaseTo(d);
        copyDataTo(d);
        return d;
    }

    /** Copies the source, protocol and target of this device into another. */
    void copyDataTo(CharDeviceDef d) {
        d.type = type;
        d.sourcePath = sourcePath;
        d.sourceMode = sourceMode;
        d.sourceHost = sourceHost;
        d.sourceService = sourceService;
        d.sourceOtherAttributes.clear();
        d.sourceOtherAttributes.putAll(sourceOtherAttributes);
        d.sourceExtra.clear();
        for (XmlNode x : sourceExtra) {
            d.sourceExtra.add(x.copy());
        }
        d.protocolType = protocolType;
        d.targetType = targetType;
        d.targetPort = targetPort;
        d.targetOtherAttributes.clear();
        d.targetOtherAttributes.putAll(targetOtherAttributes);
        d.targetChildren.clear();
        for (XmlNode x : targetChildren) {
            d.targetChildren.add(x.copy());
        }
    }

    static CharDeviceDef parse(XmlNode n) {
        CharDeviceDef d = new CharDeviceDef(n.getName(), n.attr("type") == null ? "null" : n.attr("type"));
        switch (d.type) {
            case "null": case "vc": case "pty": case "dev": case "file": case "pipe": case "stdio": case "udp":
            case "tcp": case "unix": case "spicevmc": case "spiceport": case "nmdm": case "qemu-vdagent": case "dbus":
                break;
            default:
                throw XmlIn.xmlError("unknown type presented to host for character device: " + d.type);
        }
        for (XmlNode c : n.getChildren()) {
            switch (c.getName()) {
                case "source":
                    if (d.sourceMode != null || d.sourcePath != null || d.sourceHost != null) {
                        d.sourceExtra.add(c);
                        break;
                    }
                    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                        switch (e.getKey()) {
                            case "path": d.sourcePath = e.getValue(); break;
                            case "mode": d.sourceMode = e.getValue(); break;
                            case "host": d.sourceHost = e.getValue(); break;
                            case "service": d.sourceService = e.getValue(); break;
                            default: d.sourceOtherAttributes.put(e.getKey(), e.getValue());
                        }
                    }
                    break;
                case "protocol": d.protocolType = c.attr("type"); break;
                case "target":
                    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                        switch (e.getKey()) {
                            case "type": d.targetType = e.getValue(); break;
                            case "port":
                                if (d.kind.equals("channel")) {
                                    d.targetOtherAttributes.put("port", e.getValue());
                                } else {
                                    d.targetPort = XmlIn.integer(e.getValue(), "target port of " + d.kind);
                                    if (d.targetPort < 0) {
                                        throw XmlIn.xmlError("invalid target port '" + e.getValue() + "'");
                                    }
                                }
                                break;
                            default: d.targetOtherAttributes.put(e.getKey(), e.getValue());
                        }
                    }
                    d.targetChildren.addAll(c.getChildren());
                    break;
                default:
                    if (!d.parseCommon(c)) {
                        d.extras.add(c);
                    }
            }
        }
        return d;
    }

    void format(StringBuilder sb, int indent, boolean inactive) {
        XmlOut.indent(sb, indent);
        sb.append('<').append(kind);
        XmlOut.attr(sb, "type", type);
        boolean showPath = sourcePath != null && !(type.equals("pty") && inactive);
        if (showPath && type.equals("pty") && kind.equals("console") && targetPort <= 0) {
            XmlOut.attr(sb, "tty", sourcePath); // libvirt's legacy tty= on a running guest's first console
        }
        sb.append(">\n");
        int in = indent + 2;
        if (showPath || sourceMode != null || sourceHost != null || sourceService != null
            || !sourceOtherAttributes.isEmpty()) {
            XmlOut.indent(sb, in);
            sb.append("<source");
            XmlOut.attr(sb, "mode", sourceMode);
            XmlOut.attr(sb, "host", sourceHost);
            XmlOut.attr(sb, "service", sourceService);
            XmlOut.attr(sb, "path", showPath ? sourcePath : null);
            for (Map.Entry<String, String> e : sourceOtherAttributes.entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
            sb.append("/>\n");
        }
        for (XmlNode x : sourceExtra) {
            x.format(sb, in);
        }
        XmlOut.empty(sb, in, "protocol", "type", protocolType);
        XmlOut.indent(sb, in);
        sb.append("<target");
        XmlOut.attr(sb, "type", targetType);
        if (targetPort >= 0) {
            XmlOut.attr(sb, "port", targetPort);
        }
        for (Map.Entry<String, String> e : targetOtherAttributes.entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        if (targetChildren.isEmpty()) {
            sb.append("/>\n");
        } else {
            sb.append(">\n");
            for (XmlNode x : targetChildren) {
                x.format(sb, in + 2);
            }
            XmlOut.indent(sb, in);
            sb.append("</target>\n");
        }
        formatTail(sb, in);
        XmlOut.indent(sb, indent);
        sb.append("</").append(kind).append(">\n");
    }

    boolean matches(CharDeviceDef p) {
        if (!kind.equals(p.kind)) {
            return false;
        }
        if (p.targetPort >= 0 && p.targetPort != targetPort) {
            return false;
        }
        if (p.targetType != null && !p.targetType.equals(targetType)) {
            return false;
        }
        String name = p.targetOtherAttributes.get("name");
        if (name != null && !name.equals(targetOtherAttributes.get("name"))) {
            return false;
        }
        return p.type == null || p.type.equals(type);
    }

    @Override
    public String toString() {
        return kind + " " + type + (targetPort >= 0 ? " port " + targetPort : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharDeviceDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, type, targetPort);
    }
}
