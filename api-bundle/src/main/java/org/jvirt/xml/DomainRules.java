package org.jvirt.xml;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirt 9.0's generic rules that this model does not enforce field by field, checked on the parsed tree:
 * {@link #parse} holds those libvirt applies while parsing (src/conf/domain_conf.c), {@link #validate} those
 * of src/conf/domain_validate.c. Codes and messages are libvirt's. The tree is read, never changed.
 */
final class DomainRules {
    private DomainRules() {
    }

    private static VirtException error(ErrorCode code, String msg) {
        return new VirtException(code, ErrorDomain.DOMAIN, msg);
    }

    /** The rules libvirt applies while parsing. */
    static void parse(XmlNode root, DomainDef def) {
        XmlNode cputune = root.child("cputune");
        if (cputune != null) {
            resctrl(cputune, def.getVcpus());
        }
        XmlNode devices = root.child("devices");
        if (devices == null) {
            return;
        }
        for (XmlNode d : devices.getChildren()) {
            String type = chardevType(d);
            if (type != null) {
                chardevParse(type, d);
            } else if (d.getName().equals("rng")) {
                for (XmlNode b : d.children("backend")) {
                    if ("egd".equals(b.attr("model")) && b.attr("type") != null) {
                        chardevParse(b.attr("type"), b);
                    }
                }
            }
        }
    }

    /** The rules of domain_validate.c. */
    static void validate(XmlNode root, DomainDef def) {
        XmlNode devices = root.child("devices");
        if (devices != null) {
            for (XmlNode d : devices.getChildren()) {
                String type = chardevType(d);
                if (d.getName().equals("redirdev") && "usb".equals(d.attr("bus") == null ? "usb" : d.attr("bus"))
                        && !hasUsb(def)) {
                    throw error(ErrorCode.CONFIG_UNSUPPORTED,
                        "cannot add redirected USB device: USB is disabled for this domain");
                }
                if (type != null) {
                    boolean autoPath = d.getName().equals("channel") && d.child("target") != null
                        && ("virtio".equals(d.child("target").attr("type")) || "xen".equals(d.child("target").attr("type")));
                    chardevValidate(type, d, autoPath);
                } else if (d.getName().equals("rng")) {
                    for (XmlNode b : d.children("backend")) {
                        if ("egd".equals(b.attr("model")) && b.attr("type") != null) {
                            chardevValidate(b.attr("type"), b, false);
                        }
                    }
                }
            }
        }
        for (GraphicsDef g : def.getGraphics()) {
            if ("network".equals(g.getListenType()) && (g.getListenNetwork() == null || g.getListenNetwork().isEmpty())
                    && ("vnc".equals(g.getType()) || "spice".equals(g.getType()) || "rdp".equals(g.getType()))) {
                throw XmlIn.xmlError("'network' attribute is required for listen type 'network'");
            }
        }
    }

    /** virDomainDefHasUSB: a USB controller whose model is not none. */
    private static boolean hasUsb(DomainDef def) {
        for (ControllerDef c : def.getControllers()) {
            if ("usb".equals(c.getType()) && !"none".equals(c.getModel())) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- character devices

    /**
     * The host side type of a device that is a character device or carries one (redirdev, passthrough
     * smartcard), or null.
     */
    private static String chardevType(XmlNode d) {
        switch (d.getName()) {
            case "serial": case "parallel": case "console": case "channel":
                return d.attr("type") == null ? "null" : d.attr("type");
            case "redirdev":
                return d.attr("type");
            case "smartcard":
                return "passthrough".equals(d.attr("mode")) ? d.attr("type") : null;
            default:
                return null;
        }
    }

    /** virDomainChrSourceDefParseXML: how many sources, and reconnect's timeout. */
    private static void chardevParse(String type, XmlNode d) {
        List<XmlNode> sources = d.children("source");
        if (sources.size() > 1 && !type.equals("udp")) {
            throw XmlIn.xmlError("only one source element is allowed for character device");
        }
        if (sources.size() > 2) {
            throw XmlIn.xmlError("only two source elements are allowed for character device");
        }
        if (!sources.isEmpty() && (type.equals("tcp") || type.equals("unix"))) {
            XmlNode rc = sources.get(0).child("reconnect");
            if (rc != null && "yes".equals(rc.attr("enabled")) && rc.attr("timeout") == null) {
                throw XmlIn.xmlError("Missing required attribute 'timeout' in element 'reconnect'");
            }
        }
    }

    /** virDomainChrSourceDefValidate. */
    private static void chardevValidate(String type, XmlNode d, boolean autoPath) {
        List<XmlNode> sources = d.children("source");
        XmlNode src = sources.isEmpty() ? null : sources.get(0);
        String path = src == null ? null : src.attr("path");
        boolean bind = src != null && "bind".equals(src.attr("mode"));
        boolean reconnect = src != null && src.child("reconnect") != null
            && "yes".equals(src.child("reconnect").attr("enabled"));
        switch (type) {
            case "file": case "dev": case "pipe":
                if (path == null) {
                    throw error(ErrorCode.INTERNAL_ERROR, "Missing source path attribute for char device");
                }
                break;
            case "nmdm": {
                boolean master = src != null && src.attr("master") != null;
                boolean slave = src != null && src.attr("slave") != null;
                if (master != slave) {
                    throw error(ErrorCode.INTERNAL_ERROR,
                        "Should define both master and slave path attributes for nmdm device");
                }
                break;
            }
            case "tcp":
                if (src == null || src.attr("host") == null) {
                    throw error(ErrorCode.INTERNAL_ERROR, "Missing source host attribute for char device");
                }
                if (src.attr("service") == null) {
                    throw error(ErrorCode.INTERNAL_ERROR, "Missing source service attribute for char device");
                }
                if (bind && reconnect) {
                    throw error(ErrorCode.INTERNAL_ERROR, "chardev reconnect is possible only for connect mode");
                }
                break;
            case "udp": {
                String connectService = null;
                boolean seenConnect = false;
                for (XmlNode s : sources) {
                    if (!"bind".equals(s.attr("mode")) && !seenConnect) {
                        seenConnect = s.attr("host") != null || s.attr("service") != null;
                        connectService = s.attr("service");
                    }
                }
                if (connectService == null) {
                    throw error(ErrorCode.INTERNAL_ERROR, "Missing source service attribute for char device");
                }
                break;
            }
            case "unix":
                if (path == null && !autoPath) {
                    throw error(ErrorCode.INTERNAL_ERROR, "Missing source path attribute for char device");
                }
                if (bind && reconnect) {
                    throw error(ErrorCode.INTERNAL_ERROR, "chardev reconnect is possible only for connect mode");
                }
                break;
            default:
                break;
        }
    }

    // ---------------------------------------------------------------- cachetune and memorytune

    /** One resource control group: its vcpus and what it allocates. */
    private static final class Resctrl {
        final BitSet vcpus;
        final List<String[]> caches = new ArrayList<>(); // level, id, type
        final BitSet memNodes = new BitSet();

        Resctrl(BitSet vcpus) {
            this.vcpus = vcpus;
        }
    }

    /** virDomainCachetuneDefParse and virDomainMemorytuneDefParse: the groups must not collide. */
    private static void resctrl(XmlNode cputune, int maxVcpus) {
        List<Resctrl> groups = new ArrayList<>();
        for (XmlNode ct : cputune.children("cachetune")) {
            BitSet vcpus = vcpus(ct, maxVcpus);
            if (vcpus == null) {
                continue;
            }
            Resctrl existing = match(groups, vcpus);
            if (existing != null) {
                throw XmlIn.xmlError("Identical vcpus in cachetunes found");
            }
            Resctrl r = new Resctrl(vcpus);
            for (XmlNode c : ct.children("cache")) {
                String level = c.attr("level");
                String id = c.attr("id");
                String type = c.attr("type");
                if (level == null || id == null || type == null) {
                    continue;
                }
                for (String[] have : r.caches) {
                    if (have[0].equals(level) && have[1].equals(id)
                            && (have[2].equals(type) || have[2].equals("both") || type.equals("both"))) {
                        throw XmlIn.xmlError("Colliding cache allocations for cache level '" + level + "' id '" + id
                            + "', type '" + type + "'");
                    }
                }
                r.caches.add(new String[] {level, id, type});
            }
            for (XmlNode m : ct.children("monitor")) {
                BitSet mv = Bitmaps.parse(m.attr("vcpus"));
                if (mv == null) {
                    continue;
                }
                if (mv.isEmpty()) {
                    throw error(ErrorCode.INVALID_ARG, "vcpus is empty");
                }
                BitSet outside = (BitSet) mv.clone();
                outside.andNot(vcpus);
                if (!outside.isEmpty()) {
                    throw error(ErrorCode.INVALID_ARG, "Monitor vcpus conflicts with allocation");
                }
            }
            groups.add(r);
        }
        for (XmlNode mt : cputune.children("memorytune")) {
            BitSet vcpus = vcpus(mt, maxVcpus);
            if (vcpus == null) {
                continue;
            }
            Resctrl r = match(groups, vcpus);
            boolean fresh = r == null;
            if (fresh) {
                r = new Resctrl(vcpus);
            }
            for (XmlNode node : mt.children("node")) {
                String id = node.attr("id");
                if (id == null || !id.matches("\\d{1,6}")) {
                    continue;
                }
                int n = Integer.parseInt(id);
                if (r.memNodes.get(n)) {
                    throw XmlIn.xmlError("Memory Bandwidth already defined for node " + n);
                }
                r.memNodes.set(n);
            }
            if (fresh) {
                groups.add(r);
            }
        }
    }

    /** virDomainResctrlVcpuMatch: the group with the same vcpus, or null; overlapping ones are an error. */
    private static Resctrl match(List<Resctrl> groups, BitSet vcpus) {
        for (Resctrl g : groups) {
            if (g.vcpus.equals(vcpus)) {
                return g;
            }
            if (g.vcpus.intersects(vcpus)) {
                throw XmlIn.xmlError("Overlapping vcpus in resctrls");
            }
        }
        return null;
    }

    /** The group's vcpus cut to the domain's, or null when none are left (the group is then ignored). */
    private static BitSet vcpus(XmlNode n, int maxVcpus) {
        BitSet b = Bitmaps.parse(n.attr("vcpus"));
        if (b == null) {
            return null;
        }
        if (maxVcpus > 0 && b.length() > maxVcpus) {
            b.clear(maxVcpus, b.length());
        }
        return b.isEmpty() ? null : b;
    }
}
