package org.jvirt.xml;

import java.util.List;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * Attribute values libvirt 9.0 reads with virXMLPropEnum, virXMLPropUInt and virXMLPropInt (src/util/virxml.c)
 * where this model keeps the element as a tree: a value outside the enumeration, or a number that is not one,
 * is refused with libvirt's message. The rules are those written here and the table in
 * {@code attribute-rules.txt} (next to this class; how it was made is said at its top).
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

    /** A rule of the table: its kind (enum, uint, int, nonneg), path, attribute, and an enumeration's values. */
    private record Rule(String kind, List<String> path, String attribute, Set<String> values) {
    }

    private static final List<Rule> TABLE = load();

    private static List<Rule> load() {
        List<Rule> rules = new java.util.ArrayList<>();
        try (java.io.InputStream in = AttributeRules.class.getResourceAsStream("attribute-rules.txt")) {
            if (in == null) {
                throw new IllegalStateException("attribute-rules.txt is missing from the bundle");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                rules.add(new Rule(f[0], List.of(f[1].split("/")), f[2],
                    Set.of(java.util.Arrays.copyOfRange(f, 3, f.length))));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return List.copyOf(rules);
    }

    private static final java.util.regex.Pattern UNSIGNED = java.util.regex.Pattern.compile(
        "\\s*\\+?(\\d+|0[xX][0-9a-fA-F]+)\\s*");
    private static final java.util.regex.Pattern SIGNED = java.util.regex.Pattern.compile(
        "\\s*[-+]?(\\d+|0[xX][0-9a-fA-F]+)\\s*");

    private static void table(XmlNode root) {
        for (Rule r : TABLE) {
            for (XmlNode n : find(root, r.path())) {
                String v = n.attr(r.attribute());
                if (v == null) {
                    continue;
                }
                switch (r.kind()) {
                    case "enum":
                        if (!r.values().contains(v)) {
                            throw invalid(r.attribute(), n.getName(), v, ".");
                        }
                        break;
                    case "uint":
                        if (!UNSIGNED.matcher(v).matches()) {
                            throw invalid(r.attribute(), n.getName(), v, ". Expected non-negative integer value");
                        }
                        break;
                    default: // int, nonneg
                        if (!SIGNED.matcher(v).matches()) {
                            throw invalid(r.attribute(), n.getName(), v, ". Expected integer value");
                        }
                        if (r.kind().equals("nonneg") && v.strip().startsWith("-")) {
                            throw invalid(r.attribute(), n.getName(), v, ". Expected non-negative value");
                        }
                }
            }
        }
    }

    /** Attributes libvirt reads with virBitmapParse. */
    private static final List<List<String>> BITMAPS = List.of(
        List.of("vcpu", "cpuset"), List.of("cputune", "vcpupin", "cpuset"), List.of("cputune", "emulatorpin", "cpuset"),
        List.of("cputune", "iothreadpin", "cpuset"), List.of("cputune", "vcpusched", "vcpus"),
        List.of("cputune", "iothreadsched", "iothreads"), List.of("numatune", "memory", "nodeset"),
        List.of("numatune", "memnode", "nodeset"), List.of("memoryBacking", "hugepages", "page", "nodeset"),
        List.of("cpu", "numa", "cell", "cpus"));

    /** Bitmaps that do not parse; units (of any element but an address) that are not units. */
    private static void bitmapsAndUnits(XmlNode root) {
        for (List<String> b : BITMAPS) {
            String attribute = b.get(b.size() - 1);
            for (XmlNode n : find(root, b.subList(0, b.size() - 1))) {
                String v = n.attr(attribute);
                if (v != null && Bitmaps.parse(v) == null) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN,
                        "Failed to parse bitmap '" + v + "'");
                }
            }
        }
        java.util.ArrayDeque<XmlNode> todo = new java.util.ArrayDeque<>(root.getChildren());
        while (!todo.isEmpty()) {
            XmlNode n = todo.pop();
            String unit = n.attr("unit");
            if (unit != null && !n.getName().equals("address") && !n.getName().equals("maxpagesize")) {
                XmlIn.unitScale(unit, n.getName());
            }
            todo.addAll(n.getChildren());
        }
    }

    static void parse(XmlNode root) {
        table(root);
        bitmapsAndUnits(root);
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
