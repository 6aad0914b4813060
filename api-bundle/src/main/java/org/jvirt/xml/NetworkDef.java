package org.jvirt.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A virtual network definition: the model behind {@code <network>} XML. */
public final class NetworkDef {
    /** A DHCP address range. */
    public record DhcpRange(String start, String end) { }

    /** A static DHCP host. Any field but one of mac/id and ip may be null. */
    public record DhcpHost(String mac, String id, String name, String ip) { }

    /** An {@code <ip>} block with its DHCP configuration. */
    public static final class Ip {
        private String family;
        private String address;
        private String netmask;
        private int prefix = -1;
        private String localPtr;
        private String tftpRoot;
        private final List<DhcpRange> dhcpRanges = new ArrayList<>();
        private final List<DhcpHost> dhcpHosts = new ArrayList<>();
        private String bootpFile;
        private String bootpServer;
        private boolean dhcp;

        public String getFamily() { return family; }
        public void setFamily(String family) { this.family = family; }
        public String getAddress() { return address; }
        public void setAddress(String address) { this.address = address; }
        public String getNetmask() { return netmask; }
        public void setNetmask(String netmask) { this.netmask = netmask; }
        /** The prefix length, -1 when the netmask is used. */
        public int getPrefix() { return prefix; }
        public void setPrefix(int prefix) { this.prefix = prefix; }
        public String getLocalPtr() { return localPtr; }
        public void setLocalPtr(String localPtr) { this.localPtr = localPtr; }
        public String getTftpRoot() { return tftpRoot; }
        public void setTftpRoot(String tftpRoot) { this.tftpRoot = tftpRoot; }
        public List<DhcpRange> getDhcpRanges() { return dhcpRanges; }
        public List<DhcpHost> getDhcpHosts() { return dhcpHosts; }
        public String getBootpFile() { return bootpFile; }
        public void setBootpFile(String bootpFile) { this.bootpFile = bootpFile; }
        public String getBootpServer() { return bootpServer; }
        public void setBootpServer(String bootpServer) { this.bootpServer = bootpServer; }
        /** Whether a {@code <dhcp>} element is present (it may be empty). */
        public boolean hasDhcp() { return dhcp || !dhcpRanges.isEmpty() || !dhcpHosts.isEmpty() || bootpFile != null; }
        public void setDhcp(boolean dhcp) { this.dhcp = dhcp; }

        public Ip copy() {
            Ip i = new Ip();
            i.family = family;
            i.address = address;
            i.netmask = netmask;
            i.prefix = prefix;
            i.localPtr = localPtr;
            i.tftpRoot = tftpRoot;
            i.dhcpRanges.addAll(dhcpRanges);
            i.dhcpHosts.addAll(dhcpHosts);
            i.bootpFile = bootpFile;
            i.bootpServer = bootpServer;
            i.dhcp = dhcp;
            return i;
        }
    }

    private String name;
    private UUID uuid;
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();
    private String forwardMode;
    private String forwardDev;
    private final List<XmlNode> forwardChildren = new ArrayList<>(0);
    private boolean hasBridge;
    private String bridgeName;
    private boolean stp = true;
    private int delay;
    private final Map<String, String> bridgeOtherAttributes = new LinkedHashMap<>();
    private int mtu;
    private String mac;
    private String domainName;
    private String domainLocalOnly;
    private XmlNode dns;
    private final List<Ip> ips = new ArrayList<>();
    private final List<XmlNode> routes = new ArrayList<>(0);
    private final List<XmlNode> extras = new ArrayList<>(0);

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public UUID getUuid() { return uuid; }
    public void setUuid(UUID uuid) { this.uuid = uuid; }
    /** Other {@code <network>} attributes (ipv6, trustGuestRxFilters, connections). */
    public Map<String, String> getOtherAttributes() { return otherAttributes; }
    /** nat, route, open, bridge, private, vepa, passthrough, hostdev; null for an isolated network. */
    public String getForwardMode() { return forwardMode; }
    public void setForwardMode(String forwardMode) { this.forwardMode = forwardMode; }
    public String getForwardDev() { return forwardDev; }
    public void setForwardDev(String forwardDev) { this.forwardDev = forwardDev; }
    /** Children of {@code <forward>}: nat, interface, pf, address. */
    public List<XmlNode> getForwardChildren() { return forwardChildren; }
    public String getBridgeName() { return bridgeName; }
    public void setBridgeName(String bridgeName) { this.bridgeName = bridgeName; hasBridge |= bridgeName != null; }
    public boolean isStp() { return stp; }
    public void setStp(boolean stp) { this.stp = stp; }
    /** The bridge forward delay in seconds. */
    public int getDelay() { return delay; }
    public void setDelay(int delay) { this.delay = delay; }
    public Map<String, String> getBridgeOtherAttributes() { return bridgeOtherAttributes; }
    /** The MTU, 0 when unset. */
    public int getMtu() { return mtu; }
    public void setMtu(int mtu) { this.mtu = mtu; }
    public String getMac() { return mac; }
    public void setMac(String mac) { this.mac = mac; }
    public String getDomainName() { return domainName; }
    public void setDomainName(String domainName) { this.domainName = domainName; }
    public String getDomainLocalOnly() { return domainLocalOnly; }
    public void setDomainLocalOnly(String domainLocalOnly) { this.domainLocalOnly = domainLocalOnly; }
    public XmlNode getDns() { return dns; }
    public void setDns(XmlNode dns) { this.dns = dns; }
    public List<Ip> getIps() { return ips; }
    public List<XmlNode> getRoutes() { return routes; }
    /** Other top-level elements kept as trees (metadata, portgroup, bandwidth, vlan, ...). */
    public List<XmlNode> getExtraElements() { return extras; }

    /** Whether the network uses a libvirt-managed bridge (isolated, nat, route, open). */
    public boolean isManagedBridge() {
        return forwardMode == null || forwardMode.equals("nat") || forwardMode.equals("route")
            || forwardMode.equals("open");
    }

    boolean hasBridgeElement() { return hasBridge; }
    void setHasBridgeElement(boolean b) { hasBridge = b; }

    public NetworkDef copy() {
        NetworkDef d = new NetworkDef();
        d.name = name;
        d.uuid = uuid;
        d.otherAttributes.putAll(otherAttributes);
        d.forwardMode = forwardMode;
        d.forwardDev = forwardDev;
        for (XmlNode x : forwardChildren) {
            d.forwardChildren.add(x.copy());
        }
        d.hasBridge = hasBridge;
        d.bridgeName = bridgeName;
        d.stp = stp;
        d.delay = delay;
        d.bridgeOtherAttributes.putAll(bridgeOtherAttributes);
        d.mtu = mtu;
        d.mac = mac;
        d.domainName = domainName;
        d.domainLocalOnly = domainLocalOnly;
        d.dns = dns == null ? null : dns.copy();
        for (Ip i : ips) {
            d.ips.add(i.copy());
        }
        for (XmlNode x : routes) {
            d.routes.add(x.copy());
        }
        for (XmlNode x : extras) {
            d.extras.add(x.copy());
        }
        return d;
    }

    @Override
    public String toString() {
        return NetworkXml.format(this);
    }
}
