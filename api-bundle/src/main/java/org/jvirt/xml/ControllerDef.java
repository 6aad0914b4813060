package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A {@code <controller>}: ide, fdc, scsi, sata, usb, pci, virtio-serial, ccid, xenbus, ... */
public final class ControllerDef extends DeviceBase implements DeviceDef {
    private String type;
    private int index = -1;
    private String model;
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();

    public ControllerDef() {
    }

    public ControllerDef(String type, int index) {
        this.type = type;
        this.index = index;
    }

    @Override public String getElementName() { return "controller"; }
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    /** The index, -1 until assigned. */
    public int getIndex() { return index; }
    public void setIndex(int index) { this.index = index; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    /** Other attributes (ports, vectors, maxGrantFrames, ...). */
    public Map<String, String> getOtherAttributes() { return otherAttributes; }

    @Override
    public ControllerDef copy() {
        ControllerDef d = new ControllerDef(type, index);
        copyBaseTo(d);
        d.model = model;
        d.otherAttributes.putAll(otherAttributes);
        return d;
    }

    static ControllerDef parse(XmlNode n) {
        ControllerDef d = new ControllerDef();
        for (Map.Entry<String, String> e : n.getAttributes().entrySet()) {
            switch (e.getKey()) {
                case "type": d.type = e.getValue(); break;
                case "index":
                    // virXMLPropInt, base 10, non-negative
                    String v = e.getValue();
                    if (!v.strip().matches("[-+]?\\d{1,10}") || Long.parseLong(v.strip()) > Integer.MAX_VALUE
                            || Long.parseLong(v.strip()) < Integer.MIN_VALUE) {
                        throw XmlIn.xmlError("Invalid value for attribute 'index' in element 'controller': '" + v
                            + "'. Expected integer value");
                    }
                    d.index = (int) Long.parseLong(v.strip());
                    if (d.index < 0) {
                        throw XmlIn.xmlError("Invalid value for attribute 'index' in element 'controller': '" + v
                            + "'. Expected non-negative value");
                    }
                    break;
                case "model": d.model = e.getValue(); break;
                default: d.otherAttributes.put(e.getKey(), e.getValue());
            }
        }
        if (d.type == null) {
            d.type = "ide";
        }
        switch (d.type) {
            case "ide": case "fdc": case "scsi": case "sata": case "virtio-serial": case "ccid": case "usb": case "pci":
            case "xenbus": case "isa": case "nvme":
                break;
            default:
                throw XmlIn.xmlError("Unknown controller type '" + d.type + "'");
        }
        d.parseChildren(n);
        return d;
    }

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<controller");
        XmlOut.attr(sb, "type", type);
        XmlOut.attr(sb, "index", Math.max(index, 0));
        XmlOut.attr(sb, "model", model);
        closeElement(sb, indent, "controller", otherAttributes);
    }

    @Override
    public String toString() {
        return "controller " + type + " " + index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControllerDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, index);
    }
}
