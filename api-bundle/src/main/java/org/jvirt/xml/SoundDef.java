package org.jvirt.xml;

import java.util.Objects;

/** A {@code <sound model=...>} card: es1370, sb16, ac97, ich6, ich9, usb, ... */
public final class SoundDef extends DeviceBase implements DeviceDef {
    private String model;

    public SoundDef() {
    }

    public SoundDef(String model) {
        this.model = model;
    }

    @Override public String getElementName() { return "sound"; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }

    @Override
    public SoundDef copy() {
        SoundDef d = new SoundDef(model);
        copyBaseTo(d);
        return d;
    }

    static SoundDef parse(XmlNode n) {
        SoundDef d = new SoundDef(n.attr("model"));
        if (d.model == null) {
            throw XmlIn.xmlError("missing sound model");
        }
        d.parseChildren(n);
        return d;
    }

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<sound");
        XmlOut.attr(sb, "model", model);
        if (!hasTail()) {
            sb.append("/>\n");
            return;
        }
        sb.append(">\n");
        formatTail(sb, indent + 2);
        XmlOut.indent(sb, indent);
        sb.append("</sound>\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoundDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(model);
    }
}
