package org.jvirt.xml;

import java.util.Map;
import java.util.Objects;

/**
 * A device this model does not describe field by field (hostdev, channel-less redirdev, watchdog,
 * rng, filesystem, tpm, panic, ...): its element is kept as a tree so that it round-trips.
 */
public final class GenericDeviceDef extends DeviceBase implements DeviceDef {
    private XmlNode node;

    public GenericDeviceDef(XmlNode node) {
        this.node = node;
    }

    @Override public String getElementName() { return node.getName(); }
    /** The element, without its address and alias (see {@link #getAddress()}). */
    public XmlNode getNode() { return node; }
    public void setNode(XmlNode node) { this.node = node; }

    @Override
    public GenericDeviceDef copy() {
        GenericDeviceDef d = new GenericDeviceDef(node.copy());
        copyBaseTo(d);
        return d;
    }

    static GenericDeviceDef parse(XmlNode n) {
        XmlNode copy = new XmlNode(n.getName());
        copy.getAttributes().putAll(n.getAttributes());
        copy.setText(n.getText());
        GenericDeviceDef d = new GenericDeviceDef(copy);
        for (XmlNode c : n.getChildren()) {
            if (!d.parseCommon(c)) {
                copy.getChildren().add(c);
            }
        }
        return d;
    }

    void format(StringBuilder sb, int indent) {
        if (!hasTail()) {
            node.format(sb, indent);
            return;
        }
        XmlOut.indent(sb, indent);
        sb.append('<').append(node.getName());
        for (Map.Entry<String, String> e : node.getAttributes().entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        sb.append(">\n");
        if (node.getText() != null && !node.getText().isBlank()) {
            XmlOut.indent(sb, indent + 2);
            XmlOut.text(sb, node.getText().trim());
            sb.append('\n');
        }
        for (XmlNode c : node.getChildren()) {
            c.format(sb, indent + 2);
        }
        formatTail(sb, indent + 2);
        XmlOut.indent(sb, indent);
        sb.append("</").append(node.getName()).append(">\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenericDeviceDef d && DomainXml.formatDevice(this).equals(DomainXml.formatDevice(d));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(node.getName());
    }
}
