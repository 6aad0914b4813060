package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A {@code <disk>}: its source (file or block device), target, driver and flags. */
public final class DiskDef extends DeviceBase implements DeviceDef {
    private String type = "file";
    private String device = "disk";
    private String driverName;
    private String driverType;
    private final Map<String, String> driverAttributes = new LinkedHashMap<>();
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();
    private String sourcePath;
    private String startupPolicy;
    private XmlNode sourceNode;
    private String targetDev;
    private String targetBus;
    private final Map<String, String> targetAttributes = new LinkedHashMap<>();
    private boolean readonly;
    private boolean shareable;
    private boolean transientDisk;
    private String serial;

    @Override public String getElementName() { return "disk"; }
    /** file, block, dir, network, volume, nvme, vhostuser. */
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    /** disk, cdrom, floppy, lun. */
    public String getDevice() { return device; }
    public void setDevice(String device) { this.device = device; }
    public String getDriverName() { return driverName; }
    public void setDriverName(String driverName) { this.driverName = driverName; }
    public String getDriverType() { return driverType; }
    public void setDriverType(String driverType) { this.driverType = driverType; }
    /** Driver attributes besides name and type (cache, io, ...), in order. */
    public Map<String, String> getDriverAttributes() { return driverAttributes; }
    /** Attributes of {@code <disk>} besides type and device (snapshot, model, ...). */
    public Map<String, String> getOtherAttributes() { return otherAttributes; }
    /** The file (type file), device (type block) or directory (type dir); null for an empty drive. */
    public String getSourcePath() { return sourcePath; }
    public void setSourcePath(String sourcePath) { this.sourcePath = sourcePath; }
    public String getStartupPolicy() { return startupPolicy; }
    public void setStartupPolicy(String startupPolicy) { this.startupPolicy = startupPolicy; }
    /** The raw {@code <source>} of other disk types (network, volume, ...), or null. */
    public XmlNode getSourceNode() { return sourceNode; }
    public void setSourceNode(XmlNode sourceNode) { this.sourceNode = sourceNode; }
    public String getTargetDev() { return targetDev; }
    public void setTargetDev(String targetDev) { this.targetDev = targetDev; }
    /** ide, scsi, virtio, xen, usb, sata, sd, fdc. */
    public String getTargetBus() { return targetBus; }
    public void setTargetBus(String targetBus) { this.targetBus = targetBus; }
    public Map<String, String> getTargetAttributes() { return targetAttributes; }
    public boolean isReadonly() { return readonly; }
    public void setReadonly(boolean readonly) { this.readonly = readonly; }
    public boolean isShareable() { return shareable; }
    public void setShareable(boolean shareable) { this.shareable = shareable; }
    public boolean isTransient() { return transientDisk; }
    public void setTransient(boolean t) { this.transientDisk = t; }
    public String getSerial() { return serial; }
    public void setSerial(String serial) { this.serial = serial; }

    @Override
    public DiskDef copy() {
        DiskDef d = new DiskDef();
        copyBaseTo(d);
        d.type = type;
        d.device = device;
        d.driverName = driverName;
        d.driverType = driverType;
        d.driverAttributes.putAll(driverAttributes);
        d.otherAttributes.putAll(otherAttributes);
        d.sourcePath = sourcePath;
        d.startupPolicy = startupPolicy;
        d.sourceNode = sourceNode == null ? null : sourceNode.copy();
        d.targetDev = targetDev;
        d.targetBus = targetBus;
        d.targetAttributes.putAll(targetAttributes);
        d.readonly = readonly;
        d.shareable = shareable;
        d.transientDisk = transientDisk;
        d.serial = serial;
        return d;
    }

    private String sourceAttribute() {
        switch (type) {
            case "file": return "file";
            case "block": return "dev";
            case "dir": return "dir";
            default: return null;
        }
    }

    static DiskDef parse(XmlNode n, boolean partial) {
        DiskDef d = new DiskDef();
        for (Map.Entry<String, String> e : n.getAttributes().entrySet()) {
            switch (e.getKey()) {
                case "type": d.type = e.getValue(); break;
                case "device": d.device = e.getValue(); break;
                default: d.otherAttributes.put(e.getKey(), e.getValue());
            }
        }
        switch (d.type) {
            case "file": case "block": case "dir": case "network": case "volume": case "nvme": case "vhostuser":
                break;
            default:
                throw XmlIn.xmlError("unknown disk type '" + d.type + "'");
        }
        switch (d.device) {
            case "disk": case "cdrom": case "floppy": case "lun":
                break;
            default:
                throw XmlIn.xmlError("unknown disk device '" + d.device + "'");
        }
        String srcAttr = d.sourceAttribute();
        for (XmlNode c : n.getChildren()) {
            switch (c.getName()) {
                case "driver":
                    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                        switch (e.getKey()) {
                            case "name": d.driverName = e.getValue(); break;
                            case "type": d.driverType = e.getValue(); break;
                            default: d.driverAttributes.put(e.getKey(), e.getValue());
                        }
                    }
                    break;
                case "source":
                    boolean simple = srcAttr != null && c.getChildren().isEmpty();
                    if (simple) {
                        for (String k : c.getAttributes().keySet()) {
                            if (!k.equals(srcAttr) && !k.equals("startupPolicy")) {
                                simple = false;
                            }
                        }
                    }
                    if (simple) {
                        d.sourcePath = c.attr(srcAttr);
                        d.startupPolicy = c.attr("startupPolicy");
                    } else {
                        d.sourceNode = c.copy();
                        d.sourcePath = srcAttr == null ? null : c.attr(srcAttr);
                    }
                    break;
                case "target":
                    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                        switch (e.getKey()) {
                            case "dev": d.targetDev = e.getValue(); break;
                            case "bus": d.targetBus = e.getValue(); break;
                            default: d.targetAttributes.put(e.getKey(), e.getValue());
                        }
                    }
                    break;
                case "readonly": d.readonly = true; break;
                case "shareable": d.shareable = true; break;
                case "transient": d.transientDisk = true; break;
                case "serial": d.serial = c.getText() == null ? "" : c.getText().trim(); break;
                default:
                    if (!d.parseCommon(c)) {
                        d.extras.add(c);
                    }
            }
        }
        if (d.targetDev == null || d.targetDev.isEmpty()) {
            if (partial) {
                return d;
            }
            XmlNode src = n.child("source");
            String what = src != null && src.attr("pool") != null && "volume".equals(d.type)
                ? "pool = '" + src.attr("pool") + "', volume = '" + src.attr("volume") + "'" : d.sourcePath;
            throw new org.jvirt.api.VirtException(org.jvirt.api.ErrorCode.NO_TARGET, org.jvirt.api.ErrorDomain.DOMAIN,
                what);
        }
        if (d.targetBus == null) {
            d.targetBus = busFromDev(d.targetDev, d.device);
        }
        switch (d.targetBus) {
            case "ide": case "fdc": case "scsi": case "virtio": case "xen": case "usb": case "uml": case "sata": case "sd":
                break;
            default:
                throw XmlIn.xmlError("unknown disk bus type '" + d.targetBus + "'");
        }
        if (n.child("source") == null && !partial) {
            // libvirt: a disk without a source is of type file, whatever the document says
            d.type = "file";
        }
        if (d.device.equals("cdrom")) {
            d.readonly = true;
        }
        return d;
    }

    static String busFromDev(String dev, String device) {
        if (dev.startsWith("hd")) {
            return "ide";
        } else if (dev.startsWith("sd")) {
            return "scsi";
        } else if (dev.startsWith("vd")) {
            return "virtio";
        } else if (dev.startsWith("xvd")) {
            return "xen";
        } else if (dev.startsWith("ubd")) {
            return "uml";
        } else if (dev.startsWith("fd") || "floppy".equals(device)) {
            return "fdc";
        }
        return "ide";
    }

    void format(StringBuilder sb, int indent) {
        XmlOut.indent(sb, indent);
        sb.append("<disk");
        XmlOut.attr(sb, "type", type);
        XmlOut.attr(sb, "device", device);
        for (Map.Entry<String, String> e : otherAttributes.entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        sb.append(">\n");
        int in = indent + 2;
        if (driverName != null || driverType != null || !driverAttributes.isEmpty()) {
            XmlOut.indent(sb, in);
            sb.append("<driver");
            XmlOut.attr(sb, "name", driverName);
            XmlOut.attr(sb, "type", driverType);
            for (Map.Entry<String, String> e : driverAttributes.entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
            sb.append("/>\n");
        }
        if (sourceNode != null) {
            sourceNode.format(sb, in);
        } else if (sourcePath != null || startupPolicy != null) {
            XmlOut.indent(sb, in);
            sb.append("<source");
            String a = sourceAttribute();
            XmlOut.attr(sb, a == null ? "file" : a, sourcePath);
            XmlOut.attr(sb, "startupPolicy", startupPolicy);
            sb.append("/>\n");
        }
        XmlOut.indent(sb, in);
        sb.append("<target");
        XmlOut.attr(sb, "dev", targetDev);
        XmlOut.attr(sb, "bus", targetBus);
        for (Map.Entry<String, String> e : targetAttributes.entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        sb.append("/>\n");
        if (readonly) {
            XmlOut.indent(sb, in);
            sb.append("<readonly/>\n");
        }
        if (shareable) {
            XmlOut.indent(sb, in);
            sb.append("<shareable/>\n");
        }
        if (transientDisk) {
            XmlOut.indent(sb, in);
            sb.append("<transient/>\n");
        }
        XmlOut.elem(sb, in, "serial", serial);
        formatTail(sb, in);
        XmlOut.indent(sb, indent);
        sb.append("</disk>\n");
    }

    /** Detach matching: a partial disk matches by target dev, else by source path. */
    boolean matches(DiskDef partial) {
        if (partial.targetDev != null) {
            return partial.targetDev.equals(targetDev);
        }
        if (partial.sourcePath != null) {
            return partial.sourcePath.equals(sourcePath);
        }
        return false;
    }

    @Override
    public String toString() {
        return "disk " + targetDev + (sourcePath == null ? "" : " (" + sourcePath + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiskDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetDev, sourcePath);
    }
}
