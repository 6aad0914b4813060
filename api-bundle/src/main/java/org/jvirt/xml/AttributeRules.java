package org.jvirt.xml;

import java.util.List;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * Attribute values libvirt 9.0 reads with virXMLPropEnum and virXMLPropUInt (src/util/virxml.c) where this
 * model keeps the element as a tree: a value outside the enumeration, or a number that is not a
 * non-negative integer, is refused with libvirt's message.
 */
final class AttributeRules {
    private AttributeRules() {
    }

    /** An enumerated attribute: the path of elements below the domain, the attribute, the values allowed. */
    private record Enum(List<String> path, String attribute, Set<String> allowed) {
    }

    /** A non-negative integer attribute. */
    private record UInt(List<String> path, String attribute) {
    }

    private static final List<Enum> ENUMS = List.of(
        // virGICVersion with VIR_XML_PROP_NONZERO: "none" is refused
        new Enum(List.of("features", "gic"), "version", Set.of("host", "2", "3")),
        new Enum(List.of("cpu", "numa", "cell"), "memAccess", Set.of("default", "shared", "private")),
        // Debian's libvirt 9.0 refuses passt, and "default" is the zero value
        new Enum(List.of("devices", "interface", "backend"), "type", Set.of()));

    private static final List<UInt> UINTS = List.of(
        new UInt(List.of("devices", "interface", "driver"), "queues"),
        new UInt(List.of("devices", "disk", "driver"), "queues"),
        new UInt(List.of("devices", "controller", "driver"), "queues"));

    static void parse(XmlNode root) {
        for (Enum e : ENUMS) {
            for (XmlNode n : find(root, e.path())) {
                String v = n.attr(e.attribute());
                if (v != null && !e.allowed().contains(v)) {
                    throw invalid(e.attribute(), n.getName(), v, ".");
                }
            }
        }
        for (UInt u : UINTS) {
            for (XmlNode n : find(root, u.path())) {
                String v = n.attr(u.attribute());
                if (v != null && !v.strip().matches("\\+?\\d{1,10}")
                        || v != null && Long.parseLong(v.strip().replace("+", "")) > 0xFFFFFFFFL) {
                    throw invalid(u.attribute(), n.getName(), v, ". Expected non-negative integer value");
                }
            }
        }
        XmlNode devices = root.child("devices");
        if (devices != null) {
            for (XmlNode d : devices.getChildren()) {
                XmlNode boot = d.child("boot");
                if (boot != null && boot.attr("loadparm") != null) {
                    loadparm(boot.attr("loadparm").toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
    }

    private static VirtException invalid(String attribute, String element, String value, String tail) {
        return XmlIn.xmlError("Invalid value for attribute '" + attribute + "' in element '" + element + "': '"
            + value + "'" + tail);
    }

    /** virDomainDeviceLoadparmIsValid. */
    private static void loadparm(String v) {
        if (v.isEmpty() || v.length() > 8) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN,
                "loadparm value '" + v + "' must be between 1 and 8 characters");
        }
        if (!v.matches("[A-Za-z0-9. ]+")) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN,
                "invalid loadparm value '" + v + "', expecting chars in set of [a-zA-Z0-9.] and blank spaces");
        }
    }

    /** The elements at a path below {@code root}. */
    private static List<XmlNode> find(XmlNode root, List<String> path) {
        List<XmlNode> level = List.of(root);
        for (String name : path) {
            List<XmlNode> next = new java.util.ArrayList<>();
            for (XmlNode n : level) {
                next.addAll(n.children(name));
            }
            level = next;
        }
        return level;
    }
}
