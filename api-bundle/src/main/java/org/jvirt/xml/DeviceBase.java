package org.jvirt.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fields every device has: address, alias, boot order and unknown child elements. */
abstract class DeviceBase {
    AddressDef address;
    String alias;
    int bootOrder;
    final List<XmlNode> extras = new ArrayList<>(0);

    public AddressDef getAddress() { return address; }
    public void setAddress(AddressDef address) { this.address = address; }
    public String getAlias() { return alias; }
    public void setAlias(String alias) { this.alias = alias; }
    public int getBootOrder() { return bootOrder; }
    public void setBootOrder(int order) { this.bootOrder = order; }
    public List<XmlNode> getExtraElements() { return extras; }

    void copyBaseTo(DeviceBase d) {
        d.address = address == null ? null : address.copy();
        d.alias = alias;
        d.bootOrder = bootOrder;
        for (XmlNode x : extras) {
            d.extras.add(x.copy());
        }
    }

    /** Handles the common children; returns false when the child is not one of them. */
    boolean parseCommon(XmlNode c) {
        switch (c.getName()) {
            case "address":
                address = AddressDef.parse(c);
                return true;
            case "alias":
                alias = c.attr("name");
                return true;
            case "boot":
                bootOrder = XmlIn.integer(c.attr("order"), "boot order");
                if (bootOrder <= 0) {
                    throw XmlIn.xmlError("incorrect boot order '" + c.attr("order") + "', expecting positive integer");
                }
                return true;
            default:
                return false;
        }
    }

    /** Formats unknown children, then boot order, alias and address, as libvirt ends each device. */
    void formatTail(StringBuilder sb, int indent) {
        formatTail(sb, indent, java.util.Set.of());
    }

    /** The common tail, leaving out the extra elements already written in their own place. */
    void formatTail(StringBuilder sb, int indent, java.util.Set<String> written) {
        for (XmlNode x : extras) {
            if (!written.contains(x.getName())) {
                x.format(sb, indent);
            }
        }
        if (bootOrder > 0) {
            XmlOut.indent(sb, indent);
            sb.append("<boot order='").append(bootOrder).append("'/>\n");
        }
        XmlOut.empty(sb, indent, "alias", "name", alias);
        if (address != null) {
            address.format(sb, indent);
        }
    }

    /** Parses the children that are not the device's own: the common ones, and unknown ones kept as they are. */
    void parseChildren(XmlNode n) {
        for (XmlNode c : n.getChildren()) {
            if (!parseCommon(c)) {
                extras.add(c);
            }
        }
    }

    /** Writes the element's remaining attributes and closes it: empty, or with the common tail. */
    void closeElement(StringBuilder sb, int indent, String name, Map<String, String> otherAttributes) {
        for (Map.Entry<String, String> e : otherAttributes.entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        if (!hasTail()) {
            sb.append("/>\n");
            return;
        }
        sb.append(">\n");
        formatTail(sb, indent + 2);
        XmlOut.indent(sb, indent);
        sb.append("</").append(name).append(">\n");
    }

    boolean hasTail() {
        return !extras.isEmpty() || bootOrder > 0 || alias != null || address != null;
    }
}
