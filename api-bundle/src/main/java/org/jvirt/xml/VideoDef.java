package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A {@code <video>} adapter and its {@code <model>}. */
public final class VideoDef extends DeviceBase implements DeviceDef {
    private String modelType;
    private long ram;
    private long vram;
    private long vgamem;
    private int heads;
    private boolean primary;
    private final Map<String, String> otherModelAttributes = new LinkedHashMap<>();
    private XmlNode modelChildren;

    public VideoDef() {
    }

    public VideoDef(String modelType) {
        this.modelType = modelType;
    }

    @Override public String getElementName() { return "video"; }
    /** vga, cirrus, vmvga, xen, vbox, qxl, virtio, bochs, ramfb, none. */
    public String getModelType() { return modelType; }
    public void setModelType(String modelType) { this.modelType = modelType; }
    public long getRam() { return ram; }
    public void setRam(long ram) { this.ram = ram; }
    /** Video RAM in KiB, 0 when unset. */
    public long getVram() { return vram; }
    public void setVram(long vram) { this.vram = vram; }
    public long getVgamem() { return vgamem; }
    public void setVgamem(long vgamem) { this.vgamem = vgamem; }
    public int getHeads() { return heads; }
    public void setHeads(int heads) { this.heads = heads; }
    public boolean isPrimary() { return primary; }
    public void setPrimary(boolean primary) { this.primary = primary; }
    public Map<String, String> getOtherModelAttributes() { return otherModelAttributes; }

    @Override
    public VideoDef copy() {
        VideoDef d = new VideoDef(modelType);
        copyBaseTo(d);
        d.ram = ram;
        d.vram = vram;
        d.vgamem = vgamem;
        d.heads = heads;
        d.primary = primary;
        d.otherModelAttributes.putAll(otherModelAttributes);
        d.modelChildren = modelChildren == null ? null : modelChildren.copy();
        return d;
    }

    static VideoDef parse(XmlNode n) {
        VideoDef d = new VideoDef();
        for (XmlNode c : n.getChildren()) {
            if (c.getName().equals("model")) {
                for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                    String v = e.getValue();
                    switch (e.getKey()) {
                        case "type": d.modelType = v; break;
                        case "ram": d.ram = XmlIn.number(v, "video ram"); break;
                        case "vram": d.vram = XmlIn.number(v, "video vram"); break;
                        case "vgamem": d.vgamem = XmlIn.number(v, "video vgamem"); break;
                        case "heads": d.heads = XmlIn.integer(v, "video heads"); break;
                        case "primary": d.primary = "yes".equals(v); break; // libvirt ignores other values
                        default: d.otherModelAttributes.put(e.getKey(), v);
                    }
                }
                if (!c.getChildren().isEmpty()) {
                    d.modelChildren = c;
                }
            } else if (!d.parseCommon(c)) {
                d.extras.add(c);
            }
        }
        if (d.modelType == null) {
            d.modelType = "default";
        }
        switch (d.modelType) {
            case "default": case "vga": case "cirrus": case "vmvga": case "xen": case "vbox": case "qxl": case "parallels":
            case "virtio": case "gop": case "none": case "bochs": case "ramfb":
                break;
            default:
                throw XmlIn.xmlError("unknown video model '" + d.modelType + "'");
        }
        return d;
    }

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<video>\n");
        int in = indent + 2;
        XmlOut.indent(sb, in);
        sb.append("<model");
        XmlOut.attr(sb, "type", modelType);
        if (ram > 0) {
            XmlOut.attr(sb, "ram", ram);
        }
        if (vram > 0) {
            XmlOut.attr(sb, "vram", vram);
        }
        for (Map.Entry<String, String> e : otherModelAttributes.entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        if (vgamem > 0) {
            XmlOut.attr(sb, "vgamem", vgamem);
        }
        if (heads > 0) {
            XmlOut.attr(sb, "heads", heads);
        }
        if (primary) {
            XmlOut.attr(sb, "primary", "yes");
        }
        if (modelChildren == null) {
            sb.append("/>\n");
        } else {
            sb.append(">\n");
            for (XmlNode x : modelChildren.getChildren()) {
                x.format(sb, in + 2);
            }
            XmlOut.indent(sb, in);
            sb.append("</model>\n");
        }
        formatTail(sb, in);
        XmlOut.indent(sb, indent);
        sb.append("</video>\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(modelType);
    }
}
