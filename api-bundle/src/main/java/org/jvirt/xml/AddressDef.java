package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A device's {@code <address/>}: its type ('pci', 'drive', 'usb', ...) and the other attributes in
 * libvirt's order. PCI and drive addresses are normalised as libvirt writes them.
 */
public final class AddressDef {
    private String type;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    public AddressDef(String type) {
        this.type = type;
    }

    /** A PCI address, e.g. {@code pci(0, 1, 0, 0)} for 0000:01:00.0. */
    public static AddressDef pci(int domain, int bus, int slot, int function) {
        AddressDef a = new AddressDef("pci");
        a.attributes.put("domain", hex(4, domain));
        a.attributes.put("bus", hex(2, bus));
        a.attributes.put("slot", hex(2, slot));
        a.attributes.put("function", hex(1, function));
        return a;
    }

    public static AddressDef drive(int controller, int bus, int target, int unit) {
        AddressDef a = new AddressDef("drive");
        a.attributes.put("controller", Integer.toString(controller));
        a.attributes.put("bus", Integer.toString(bus));
        a.attributes.put("target", Integer.toString(target));
        a.attributes.put("unit", Integer.toString(unit));
        return a;
    }

    private static String hex(int width, long v) {
        String h = Long.toHexString(v);
        if (h.length() >= width) {
            return "0x" + h;
        }
        return "0x" + "0000".substring(0, width - h.length()) + h;
    }

    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    /** The attributes other than type, in output order. */
    public Map<String, String> getAttributes() { return attributes; }
    public String get(String key) { return attributes.get(key); }

    public AddressDef copy() {
        AddressDef a = new AddressDef(type);
        a.attributes.putAll(attributes);
        return a;
    }

    /** libvirt's virDomainDeviceAddress types ("none" is not one a document may give). */
    private static final java.util.Set<String> TYPES = java.util.Set.of("pci", "drive", "virtio-serial", "ccid",
        "usb", "spapr-vio", "virtio-s390", "ccw", "virtio-mmio", "isa", "dimm", "unassigned");

    static AddressDef parse(XmlNode n) {
        String type = n.attr("type");
        if (type == null) {
            throw XmlIn.xmlError("No type specified for device address");
        }
        if (!TYPES.contains(type)) {
            throw new org.jvirt.api.VirtException(org.jvirt.api.ErrorCode.CONFIG_UNSUPPORTED,
                org.jvirt.api.ErrorDomain.DOMAIN, "unknown address type '" + type + "'");
        }
        AddressDef a = new AddressDef(type);
        Map<String, String> in = n.getAttributes();
        if (type.equals("pci")) {
            a.attributes.put("domain", hex(4, num(in.get("domain"), "domain")));
            a.attributes.put("bus", hex(2, num(in.get("bus"), "bus")));
            a.attributes.put("slot", hex(2, num(in.get("slot"), "slot")));
            a.attributes.put("function", hex(1, num(in.get("function"), "function")));
            copyRest(in, a, "type", "domain", "bus", "slot", "function");
        } else if (type.equals("drive")) {
            for (String k : new String[] {"controller", "bus", "target", "unit"}) {
                a.attributes.put(k, Long.toString(num(in.get(k), k)));
            }
            copyRest(in, a, "type", "controller", "bus", "target", "unit");
        } else {
            copyRest(in, a, "type");
        }
        return a;
    }

    private static void copyRest(Map<String, String> in, AddressDef a, String... skip) {
        outer:
        for (Map.Entry<String, String> e : in.entrySet()) {
            for (String s : skip) {
                if (s.equals(e.getKey())) {
                    continue outer;
                }
            }
            a.attributes.put(e.getKey(), e.getValue());
        }
    }

    private static long num(String v, String what) {
        if (v == null) {
            return 0;
        }
        long n = XmlIn.number(v, "address attribute '" + what + "'");
        if (n < 0) {
            throw XmlIn.xmlError("invalid address attribute '" + what + "': " + v);
        }
        return n;
    }

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<address");
        XmlOut.attr(sb, "type", type);
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        sb.append("/>\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressDef a && Objects.equals(type, a.type) && attributes.equals(a.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, attributes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        format(sb, 0);
        return sb.toString().trim();
    }
}
