package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** An {@code <interface>}: a guest NIC of any of libvirt's networking modes. */
public final class InterfaceDef extends DeviceBase implements DeviceDef {
    private String type;
    private String mac;
    private String sourceNetwork;
    private String sourcePortgroup;
    private String sourceBridge;
    private String sourceDev;
    private String sourceMode;
    private String sourceAddress;
    private String sourcePort;
    private final Map<String, String> sourceOtherAttributes = new LinkedHashMap<>();
    /** The children of {@code <source>}: a udp source's {@code <local>}, a hostdev's {@code <address>}, ... */
    private final java.util.List<XmlNode> sourceChildren = new java.util.ArrayList<>(0);
    private String script;
    private String targetDev;
    private String model;
    private final Map<String, String> driverAttributes = new LinkedHashMap<>();
    private String linkState;
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();

    public InterfaceDef() {
    }

    public InterfaceDef(String type) {
        this.type = type;
    }

    @Override public String getElementName() { return "interface"; }
    /** user, network, bridge, ethernet, mcast, server, client, udp, direct, vhostuser, ... */
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    /** The MAC address, lower case, or null (drivers generate one). */
    public String getMac() { return mac; }
    public void setMac(String mac) { this.mac = mac == null ? null : mac.toLowerCase(Locale.ROOT); }
    public String getSourceNetwork() { return sourceNetwork; }
    public void setSourceNetwork(String v) { this.sourceNetwork = v; }
    public String getSourcePortgroup() { return sourcePortgroup; }
    public void setSourcePortgroup(String v) { this.sourcePortgroup = v; }
    public String getSourceBridge() { return sourceBridge; }
    public void setSourceBridge(String v) { this.sourceBridge = v; }
    /** The host device of a 'direct' interface. */
    public String getSourceDev() { return sourceDev; }
    public void setSourceDev(String v) { this.sourceDev = v; }
    /** The macvtap mode of a 'direct' interface (vepa, bridge, private, passthrough). */
    public String getSourceMode() { return sourceMode; }
    public void setSourceMode(String v) { this.sourceMode = v; }
    /** The address of a mcast, server, client or udp interface. */
    public String getSourceAddress() { return sourceAddress; }
    public void setSourceAddress(String v) { this.sourceAddress = v; }
    public String getSourcePort() { return sourcePort; }
    public void setSourcePort(String v) { this.sourcePort = v; }
    public Map<String, String> getSourceOtherAttributes() { return sourceOtherAttributes; }
    /** The {@code <local>} child of a udp source, or null. */
    public XmlNode getSourceLocal() {
        for (XmlNode c : sourceChildren) {
            if (c.getName().equals("local")) {
                return c;
            }
        }
        return null;
    }
    /** The children of {@code <source>}, in order. */
    public java.util.List<XmlNode> getSourceChildren() { return sourceChildren; }
    public String getScript() { return script; }
    public void setScript(String script) { this.script = script; }
    public String getTargetDev() { return targetDev; }
    public void setTargetDev(String targetDev) { this.targetDev = targetDev; }
    /** The model type: virtio, e1000, rtl8139, ne2k_pci, ... */
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    /** {@code <driver>} attributes (name, queues, ...), in order. */
    public Map<String, String> getDriverAttributes() { return driverAttributes; }
    /** The {@code <link state=.../>}: up, down, or null. */
    public String getLinkState() { return linkState; }
    public void setLinkState(String linkState) { this.linkState = linkState; }
    /** Attributes of {@code <interface>} besides type (trustGuestRxFilters, ...). */
    public Map<String, String> getOtherAttributes() { return otherAttributes; }

    @Override
    public InterfaceDef copy() {
        InterfaceDef d = new InterfaceDef(type);
        copyBaseTo(d);
        d.mac = mac;
        d.sourceNetwork = sourceNetwork;
        d.sourcePortgroup = sourcePortgroup;
        d.sourceBridge = sourceBridge;
        d.sourceDev = sourceDev;
        d.sourceMode = sourceMode;
        d.sourceAddress = sourceAddress;
        d.sourcePort = sourcePort;
        d.sourceOtherAttributes.putAll(sourceOtherAttributes);
        for (XmlNode c : sourceChildren) {
            d.sourceChildren.add(c.copy());
        }
        d.script = script;
        d.targetDev = targetDev;
        d.model = model;
        d.driverAttributes.putAll(driverAttributes);
        d.linkState = linkState;
        d.otherAttributes.putAll(otherAttributes);
        return d;
    }

    static InterfaceDef parse(XmlNode n, boolean partial) {
        InterfaceDef d = new InterfaceDef();
        for (Map.Entry<String, String> e : n.getAttributes().entrySet()) {
            if (e.getKey().equals("type")) {
                d.type = e.getValue();
            } else {
                d.otherAttributes.put(e.getKey(), e.getValue());
            }
        }
        if (d.type == null) {
            throw XmlIn.xmlError("missing type attribute for element 'interface'");
        }
        switch (d.type) {
            case "user": case "network": case "bridge": case "ethernet": case "mcast": case "server": case "client":
            case "udp": case "direct": case "vhostuser": case "hostdev": case "internal": case "vdpa": case "null":
            case "vds":
                break;
            default:
                throw XmlIn.xmlError("unknown interface type '" + d.type + "'");
        }
        for (XmlNode c : n.getChildren()) {
            switch (c.getName()) {
                case "mac": {
                    String m = c.attr("address");
                    if (m == null || !validMac(m)) {
                        throw XmlIn.xmlError("unable to parse mac address '" + m + "'");
                    }
                    d.mac = m.toLowerCase(Locale.ROOT);
                    break;
                }
                case "source":
                    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                        String v = e.getValue();
                        switch (e.getKey()) {
                            case "network": d.sourceNetwork = v; break;
                            case "portgroup": d.sourcePortgroup = v; break;
                            case "bridge": d.sourceBridge = v; break;
                            case "dev": d.sourceDev = v; break;
                            case "mode": d.sourceMode = v; break;
                            case "address": d.sourceAddress = v; break;
                            case "port": d.sourcePort = v; break;
                            default: d.sourceOtherAttributes.put(e.getKey(), v);
                        }
                    }
                    d.sourceChildren.addAll(c.getChildren());
                    break;
                case "script": d.script = c.attr("path"); break;
                case "target": d.targetDev = c.attr("dev"); break;
                case "model": d.model = c.attr("type"); break;
                case "driver": d.driverAttributes.putAll(c.getAttributes()); break;
                case "link": d.linkState = c.attr("state"); break;
                default:
                    if (!d.parseCommon(c)) {
                        d.extras.add(c);
                    }
            }
        }
        if (!partial) {
            switch (d.type) {
                case "network":
                    if (d.sourceNetwork == null) {
                        throw XmlIn.xmlError("No <source> 'network' attribute specified with <interface type='network'/>");
                    }
                    break;
                case "bridge":
                    if (d.sourceBridge == null) {
                        throw XmlIn.xmlError("No <source> 'bridge' attribute specified with <interface type='bridge'/>");
                    }
                    break;
                case "direct":
                    if (d.sourceDev == null) {
                        throw XmlIn.xmlError("No <source> 'dev' attribute specified with <interface type='direct'/>");
                    }
                    break;
                case "mcast": case "server": case "client": case "udp":
                    if (d.sourcePort == null || (d.sourceAddress == null && !d.type.equals("server"))) {
                        throw XmlIn.xmlError("No <source> 'address' and 'port' specified with socket interface");
                    }
                    break;
                default:
                    break;
            }
        }
        return d;
    }

    static boolean validMac(String m) {
        String[] parts = m.split(":", -1);
        if (parts.length != 6) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || Character.digit(p.charAt(0), 16) < 0
                || (p.length() == 2 && Character.digit(p.charAt(1), 16) < 0)) {
                return false;
            }
        }
        return true;
    }

    /** Kept elements that libvirt writes between source and script, in its order. */
    private static final List<String> AFTER_SOURCE = List.of("vlan", "virtualport", "bandwidth", "port", "ip", "route");
    private static final java.util.Set<String> AFTER_SOURCE_SET = java.util.Set.copyOf(AFTER_SOURCE);

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<interface");
        XmlOut.attr(sb, "type", type);
        for (Map.Entry<String, String> e : otherAttributes.entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        sb.append(">\n");
        int in = indent + 2;
        XmlOut.empty(sb, in, "mac", "address", mac);
        if (sourceNetwork != null || sourceBridge != null || sourceDev != null || sourceAddress != null
            || sourcePort != null || !sourceOtherAttributes.isEmpty() || !sourceChildren.isEmpty()) {
            XmlOut.indent(sb, in);
            sb.append("<source");
            XmlOut.attr(sb, "network", sourceNetwork);
            XmlOut.attr(sb, "portgroup", sourcePortgroup);
            XmlOut.attr(sb, "bridge", sourceBridge);
            XmlOut.attr(sb, "dev", sourceDev);
            XmlOut.attr(sb, "mode", sourceMode);
            XmlOut.attr(sb, "address", sourceAddress);
            XmlOut.attr(sb, "port", sourcePort);
            for (Map.Entry<String, String> e : sourceOtherAttributes.entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
            if (!sourceChildren.isEmpty()) {
                sb.append(">\n");
                for (XmlNode c : sourceChildren) {
                    c.format(sb, in + 2);
                }
                XmlOut.indent(sb, in);
                sb.append("</source>\n");
            } else {
                sb.append("/>\n");
            }
        }
        for (String name : AFTER_SOURCE) {
            for (XmlNode x : extras) {
                if (x.getName().equals(name)) {
                    x.format(sb, in);
                }
            }
        }
        XmlOut.empty(sb, in, "script", "path", script);
        XmlOut.empty(sb, in, "target", "dev", targetDev);
        XmlOut.empty(sb, in, "model", "type", model);
        if (!driverAttributes.isEmpty()) {
            XmlOut.indent(sb, in);
            sb.append("<driver");
            for (Map.Entry<String, String> e : driverAttributes.entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
            sb.append("/>\n");
        }
        XmlOut.empty(sb, in, "link", "state", linkState);
        formatTail(sb, in, AFTER_SOURCE_SET);
        XmlOut.indent(sb, indent);
        sb.append("</interface>\n");
    }

    /** Detach matching: by MAC when the partial names one, else by type plus target dev or source. */
    boolean matches(InterfaceDef p) {
        if (p.mac != null) {
            return p.mac.equals(mac) && (p.address == null || p.address.equals(address));
        }
        if (p.type != null && p.mac == null && !p.type.equals(type)) {
            return false;
        }
        if (p.targetDev != null && !p.targetDev.equals(targetDev)) {
            return false;
        }
        if (p.sourceNetwork != null && !p.sourceNetwork.equals(sourceNetwork)) {
            return false;
        }
        if (p.sourceBridge != null && !p.sourceBridge.equals(sourceBridge)) {
            return false;
        }
        if (p.sourceDev != null && !p.sourceDev.equals(sourceDev)) {
            return false;
        }
        if (p.address != null && !p.address.equals(address)) {
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "interface " + type + (mac == null ? "" : " " + mac);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterfaceDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, mac);
    }
}
