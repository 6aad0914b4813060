package org.jvirt.xml;

import org.jvirt.api.VirtException;

import org.jvirt.api.ErrorDomain;

import org.jvirt.api.ErrorCode;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Parses and formats network XML in libvirt's layout. */
public final class NetworkXml {
    private static final Set<String> MODES = Set.of("nat", "route", "open", "bridge", "private", "vepa",
        "passthrough", "hostdev");

    private NetworkXml() {
    }

    public static NetworkDef parse(String xml) {
        return parse(xml, false);
    }

    /**
     * As {@link #parse(String)}; with {@code validateSchema} (libvirt's VALIDATE flag of network define and
     * create) the well-formed document must first pass libvirt's network.rng, see {@link LibvirtSchema#check}.
     */
    public static NetworkDef parse(String xml, boolean validateSchema) {
        XmlNode root = XmlIn.read(xml, "network_definition");
        if (validateSchema) {
            LibvirtSchema.check("network", xml);
        }
        if (!root.getName().equals("network")) {
            throw XmlIn.xmlError("expecting root element of 'network', not '" + root.getName() + "'");
        }
        NetworkDef def = new NetworkDef();
        def.getOtherAttributes().putAll(root.getAttributes());
        for (XmlNode c : root.getChildren()) {
            switch (c.getName()) {
                case "name": def.setName(XmlIn.trimToNull(c.getText())); break;
                case "uuid":
                    if (c.getText() == null || c.getText().isBlank()) {
                        throw XmlIn.xmlError("malformed uuid element");
                    }
                    try {
                        def.setUuid(XmlIn.uuid(c.getText(), "uuid"));
                    } catch (VirtException e) {
                        throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NETWORK, "malformed uuid element");
                    }
                    break;
                case "forward": {
                    String mode = c.attr("mode");
                    def.setForwardMode(mode == null ? "nat" : mode);
                    if (!MODES.contains(def.getForwardMode())) {
                        throw XmlIn.xmlError("unknown forwarding type '" + mode + "'");
                    }
                    def.setForwardDev(c.attr("dev"));
                    def.getForwardChildren().addAll(c.getChildren());
                    if (def.getForwardDev() != null && c.child("interface") == null) {
                        def.getForwardChildren().add(new XmlNode("interface").attr("dev", def.getForwardDev()));
                    }
                    break;
                }
                case "bridge":
                    def.setHasBridgeElement(true);
                    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                        switch (e.getKey()) {
                            case "name": def.setBridgeName(e.getValue()); break;
                            case "stp": def.setStp(XmlIn.yesNo(e.getValue(), "bridge stp")); break;
                            case "delay":
                                def.setDelay(XmlIn.integer(e.getValue(), "bridge delay"));
                                if (def.getDelay() < 0) {
                                    throw XmlIn.xmlError("Invalid delay value in network '" + def.getName() + "'");
                                }
                                break;
                            default: def.getBridgeOtherAttributes().put(e.getKey(), e.getValue());
                        }
                    }
                    break;
                case "mtu":
                    def.setMtu(XmlIn.integer(c.attr("size"), "mtu size"));
                    break;
                case "mac": {
                    String m = c.attr("address");
                    if (m == null || !InterfaceDef.validMac(m)) {
                        throw XmlIn.xmlError("Invalid bridge mac address '" + m + "' in network '" + def.getName() + "'");
                    }
                    def.setMac(m.toLowerCase(Locale.ROOT));
                    break;
                }
                case "domain":
                    def.setDomainName(c.attr("name"));
                    def.setDomainLocalOnly(c.attr("localOnly"));
                    break;
                case "dns": def.setDns(c); break;
                case "ip": def.getIps().add(parseIp(c, def)); break;
                case "route": def.getRoutes().add(c); break;
                default: def.getExtraElements().add(c);
            }
        }
        if (def.getName() == null) {
            throw new VirtException(ErrorCode.NO_NAME, ErrorDomain.NETWORK, null); // libvirt: no detail
        }
        if (def.getName().indexOf('/') >= 0) {
            throw XmlIn.xmlError("name " + def.getName() + " cannot contain '/'");
        }
        if (def.getUuid() == null) {
            def.setUuid(XmlIn.randomUuid());
        }
        NetworkRules.parse(root, def.getName());
        return def;
    }

    private static NetworkDef.Ip parseIp(XmlNode c, NetworkDef def) {
        NetworkDef.Ip ip = new NetworkDef.Ip();
        ip.setFamily(c.attr("family"));
        ip.setAddress(c.attr("address"));
        ip.setNetmask(c.attr("netmask"));
        ip.setLocalPtr(c.attr("localPtr"));
        if (ip.getAddress() == null) {
            throw XmlIn.xmlError("Missing required address attribute in network '" + def.getName() + "'");
        }
        if (c.attr("prefix") != null) {
            ip.setPrefix(XmlIn.integer(c.attr("prefix"), "ip prefix"));
            int max = "ipv6".equals(ip.getFamily()) || ip.getAddress().contains(":") ? 128 : 32;
            if (ip.getPrefix() < 0 || ip.getPrefix() > max) {
                throw XmlIn.xmlError("Invalid prefix '" + c.attr("prefix") + "' in network '" + def.getName() + "'");
            }
            if (ip.getNetmask() != null) {
                throw XmlIn.xmlError("Network '" + def.getName() + "' IP address cannot have both a prefix and a netmask");
            }
        }
        for (XmlNode x : c.getChildren()) {
            switch (x.getName()) {
                case "tftp": ip.setTftpRoot(x.attr("root")); break;
                case "dhcp":
                    ip.setDhcp(true);
                    for (XmlNode d : x.getChildren()) {
                        switch (d.getName()) {
                            case "range":
                                if (d.attr("start") == null || d.attr("end") == null) {
                                    throw XmlIn.xmlError("Missing 'start' or 'end' attribute in dhcp range for network '"
                                        + def.getName() + "'");
                                }
                                ip.getDhcpRanges().add(new NetworkDef.DhcpRange(d.attr("start"), d.attr("end")));
                                break;
                            case "host": {
                                String mac = d.attr("mac");
                                if (mac != null) {
                                    if (!InterfaceDef.validMac(mac)) {
                                        throw XmlIn.xmlError("Cannot parse MAC address '" + mac + "' in network '"
                                            + def.getName() + "'");
                                    }
                                }
                                ip.getDhcpHosts().add(new NetworkDef.DhcpHost(mac, d.attr("id"), d.attr("name"),
                                    d.attr("ip")));
                                break;
                            }
                            case "bootp":
                                ip.setBootpFile(d.attr("file"));
                                ip.setBootpServer(d.attr("server"));
                                break;
                            default:
                                break;
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return ip;
    }

    public static String format(NetworkDef def) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<network");
        for (Map.Entry<String, String> e : def.getOtherAttributes().entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        sb.append(">\n");
        XmlOut.elem(sb, 2, "name", def.getName());
        if (def.getUuid() != null) {
            XmlOut.elem(sb, 2, "uuid", def.getUuid().toString());
        }
        extras(sb, def, "metadata");
        if (def.getForwardMode() != null) {
            sb.append("  <forward");
            XmlOut.attr(sb, "dev", def.getForwardDev());
            XmlOut.attr(sb, "mode", def.getForwardMode());
            if (def.getForwardChildren().isEmpty()) {
                sb.append("/>\n");
            } else {
                sb.append(">\n");
                for (XmlNode x : def.getForwardChildren()) {
                    x.format(sb, 4);
                }
                sb.append("  </forward>\n");
            }
        }
        if (def.isManagedBridge()) {
            sb.append("  <bridge");
            XmlOut.attr(sb, "name", def.getBridgeName());
            XmlOut.attr(sb, "stp", def.isStp() ? "on" : "off");
            XmlOut.attr(sb, "delay", def.getDelay());
            for (Map.Entry<String, String> e : def.getBridgeOtherAttributes().entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
            sb.append("/>\n");
        } else if (def.getBridgeName() != null || !def.getBridgeOtherAttributes().isEmpty()) {
            sb.append("  <bridge");
            XmlOut.attr(sb, "name", def.getBridgeName());
            for (Map.Entry<String, String> e : def.getBridgeOtherAttributes().entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
            sb.append("/>\n");
        }
        if (def.getMtu() > 0) {
            sb.append("  <mtu size='").append(def.getMtu()).append("'/>\n");
        }
        XmlOut.empty(sb, 2, "mac", "address", def.getMac());
        if (def.getDomainName() != null) {
            sb.append("  <domain");
            XmlOut.attr(sb, "name", def.getDomainName());
            XmlOut.attr(sb, "localOnly", def.getDomainLocalOnly());
            sb.append("/>\n");
        }
        if (def.getDns() != null) {
            def.getDns().format(sb, 2);
        }
        extras(sb, def, "vlan");
        extras(sb, def, "bandwidth");
        extras(sb, def, "virtualport");
        extras(sb, def, "port");
        for (NetworkDef.Ip ip : def.getIps()) {
            formatIp(sb, ip);
        }
        for (XmlNode r : def.getRoutes()) {
            r.format(sb, 2);
        }
        extras(sb, def, "portgroup");
        for (XmlNode x : def.getExtraElements()) {
            switch (x.getName()) {
                case "metadata": case "vlan": case "bandwidth": case "virtualport": case "port": case "portgroup":
                    break;
                default:
                    x.format(sb, 2);
            }
        }
        sb.append("</network>\n");
        return sb.toString();
    }

    private static void extras(StringBuilder sb, NetworkDef def, String name) {
        for (XmlNode x : def.getExtraElements()) {
            if (x.getName().equals(name)) {
                x.format(sb, 2);
            }
        }
    }

    private static void formatIp(StringBuilder sb, NetworkDef.Ip ip) {
        sb.append("  <ip");
        XmlOut.attr(sb, "family", ip.getFamily());
        XmlOut.attr(sb, "address", ip.getAddress());
        XmlOut.attr(sb, "netmask", ip.getNetmask());
        if (ip.getPrefix() >= 0) {
            XmlOut.attr(sb, "prefix", ip.getPrefix());
        }
        XmlOut.attr(sb, "localPtr", ip.getLocalPtr());
        sb.append(">\n");
        XmlOut.empty(sb, 4, "tftp", "root", ip.getTftpRoot());
        if (ip.hasDhcp()) {
            if (ip.getDhcpRanges().isEmpty() && ip.getDhcpHosts().isEmpty() && ip.getBootpFile() == null) {
                sb.append("    <dhcp/>\n");
            } else {
                sb.append("    <dhcp>\n");
                for (NetworkDef.DhcpRange r : ip.getDhcpRanges()) {
                    sb.append("      <range");
                    XmlOut.attr(sb, "start", r.start());
                    XmlOut.attr(sb, "end", r.end());
                    sb.append("/>\n");
                }
                for (NetworkDef.DhcpHost h : ip.getDhcpHosts()) {
                    sb.append("      <host");
                    XmlOut.attr(sb, "mac", h.mac());
                    XmlOut.attr(sb, "id", h.id());
                    XmlOut.attr(sb, "name", h.name());
                    XmlOut.attr(sb, "ip", h.ip());
                    sb.append("/>\n");
                }
                if (ip.getBootpFile() != null) {
                    sb.append("      <bootp");
                    XmlOut.attr(sb, "file", ip.getBootpFile());
                    XmlOut.attr(sb, "server", ip.getBootpServer());
                    sb.append("/>\n");
                }
                sb.append("    </dhcp>\n");
            }
        }
        sb.append("  </ip>\n");
    }
}
