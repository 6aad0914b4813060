package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The {@code <memballoon model=...>}: virtio, xen or none. */
public final class MemballoonDef extends DeviceBase implements DeviceDef {
    private String model;
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();

    public MemballoonDef() {
    }

    public MemballoonDef(String model) {
        this.model = model;
    }

    @Override public String getElementName() { return "memballoon"; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    /** Other attributes (autodeflate, freePageReporting). */
    public Map<String, String> getOtherAttributes() { return otherAttributes; }

    @Override
    public MemballoonDef copy() {
        MemballoonDef d = new MemballoonDef(model);
        copyBaseTo(d);
        d.otherAttributes.putAll(otherAttributes);
        return d;
    }

    static MemballoonDef parse(XmlNode n) {
        MemballoonDef d = new MemballoonDef();
        for (Map.Entry<String, String> e : n.getAttributes().entrySet()) {
            if (e.getKey().equals("model")) {
                d.model = e.getValue();
            } else {
                d.otherAttributes.put(e.getKey(), e.getValue());
            }
        }
        if (d.model == null) {
            throw XmlIn.xmlError("balloon memory must contain model name");
        }
        switch (d.model) {
            case "virtio": case "xen": case "none": case "virtio-transitional": case "virtio-non-transitional":
                break;
            default:
                throw XmlIn.xmlError("unknown memory balloon model '" + d.model + "'");
        }
        d.parseChildren(n);
        return d;
    }

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<memballoon");
        XmlOut.attr(sb, "model", model);
        closeElement(sb, indent, "memballoon", otherAttributes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemballoonDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(model);
    }
}
