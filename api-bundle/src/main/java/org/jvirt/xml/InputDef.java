package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An {@code <input>}: mouse, tablet, keyboard, passthrough or evdev, on ps2, usb, xen or virtio. */
public final class InputDef extends DeviceBase implements DeviceDef {
    private String type;
    private String bus;
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();

    public InputDef() {
    }

    public InputDef(String type, String bus) {
        this.type = type;
        this.bus = bus;
    }

    @Override public String getElementName() { return "input"; }
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    /** ps2, usb, xen, virtio, none; null until defaulted. */
    public String getBus() { return bus; }
    public void setBus(String bus) { this.bus = bus; }
    public Map<String, String> getOtherAttributes() { return otherAttributes; }

    @Override
    public InputDef copy() {
        InputDef d = new InputDef(type, bus);
        copyBaseTo(d);
        d.otherAttributes.putAll(otherAttributes);
        return d;
    }

    static InputDef parse(XmlNode n) {
        InputDef d = new InputDef();
        for (Map.Entry<String, String> e : n.getAttributes().entrySet()) {
            switch (e.getKey()) {
                case "type": d.type = e.getValue(); break;
                case "bus": d.bus = e.getValue(); break;
                default: d.otherAttributes.put(e.getKey(), e.getValue());
            }
        }
        if (d.type == null) {
            throw XmlIn.xmlError("missing input device type");
        }
        switch (d.type) {
            case "mouse": case "tablet": case "keyboard": case "passthrough": case "evdev":
                break;
            default:
                throw XmlIn.xmlError("unknown input device type '" + d.type + "'");
        }
        if (d.bus != null) {
            switch (d.bus) {
                case "ps2": case "usb": case "xen": case "parallels": case "virtio": case "none":
                    break;
                default:
                    throw XmlIn.xmlError("unknown input bus type '" + d.bus + "'");
            }
        }
        d.parseChildren(n);
        return d;
    }

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<input");
        XmlOut.attr(sb, "type", type);
        XmlOut.attr(sb, "bus", bus);
        closeElement(sb, indent, "input", otherAttributes);
    }

    @Override
    public String toString() {
        return "input " + type + " " + bus;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, bus);
    }
}
