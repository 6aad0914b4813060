package org.jvirt.xml;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirt 9.0's rules on guest NUMA, {@code <numatune>}, huge pages, thread scheduling and security labels:
 * parse time (domain_conf.c, numa_conf.c), post-parse (virDomainDefPostParseMemtune) and
 * virDomainDefMemtuneValidate. Where libvirt's post-parse drops a setting, so does this (the tree is the
 * model's own copy of those elements).
 */
final class TuningRules {
    private TuningRules() {
    }

    private static VirtException unsupported(String msg) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, msg);
    }

    private static VirtException detail(String msg) {
        return new VirtException(ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, msg);
    }

    /** The guest NUMA cells of {@code <cpu><numa>}. */
    static List<XmlNode> cells(XmlNode root) {
        XmlNode cpu = root.child("cpu");
        XmlNode numa = cpu == null ? null : cpu.child("numa");
        return numa == null ? List.of() : numa.children("cell");
    }

    /** The guest NUMA memory in KiB, the sum of the cells' memory (0 without cells). */
    static long numaMemoryKiB(XmlNode root) {
        long sum = 0;
        for (XmlNode c : cells(root)) {
            if (c.attr("memory") != null) {
                XmlNode m = new XmlNode("memory").attr("unit", c.attr("unit"));
                m.setText(c.attr("memory"));
                sum += XmlIn.memoryKiB(m, "memory");
            }
        }
        return sum;
    }

    /** Parse-time rules. */
    static void parse(XmlNode root) {
        List<XmlNode> cells = cells(root);
        for (int i = 0; i < cells.size(); i++) {
            String id = cells.get(i).attr("id");
            long cur = id == null ? i : HostdevRules.num(id);
            if (cur >= cells.size()) {
                throw XmlIn.xmlError("Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous "
                    + "ranges or ranges not starting from 0 are not allowed");
            }
        }
        numatune(root, cells.size());
        hugepagesParse(root);
        XmlNode cputune = root.child("cputune");
        if (cputune != null) {
            threadSched(cputune, "vcpusched", "vcpus", null);
            Set<Long> iothreads = iothreadIds(root);
            for (XmlNode pin : cputune.children("iothreadpin")) {
                long id = HostdevRules.num(pin.attr("iothread"));
                if (id > 0 && !iothreads.contains(id)) {
                    throw unsupported("Cannot find 'iothread' : " + id);
                }
            }
            threadSched(cputune, "iothreadsched", "iothreads", iothreads);
        }
        seclabels(root.children("seclabel"), true);
        XmlNode devices = root.child("devices");
        if (devices != null) {
            for (XmlNode d : devices.getChildren()) {
                XmlNode src = d.child("source");
                if (src != null) {
                    seclabels(src.children("seclabel"), false);
                }
            }
        }
    }

    private static Set<Long> iothreadIds(XmlNode root) {
        Set<Long> ids = new HashSet<>();
        XmlNode list = root.child("iothreadids");
        if (list != null) {
            for (XmlNode t : list.children("iothread")) {
                ids.add(HostdevRules.num(t.attr("id")));
            }
        }
        if (ids.isEmpty() && root.child("iothreads") != null && root.child("iothreads").getText() != null) {
            long n = HostdevRules.num(root.child("iothreads").getText());
            for (long i = 1; i <= n && i <= 4096; i++) {
                ids.add(i);
            }
        }
        return ids;
    }

    /** virDomainThreadSchedParseHelper: each thread scheduled once; iothreads must exist. */
    private static void threadSched(XmlNode cputune, String element, String attribute, Set<Long> known) {
        BitSet seen = new BitSet();
        for (XmlNode s : cputune.children(element)) {
            BitSet map = Bitmaps.parse(s.attr(attribute));
            if (map == null) {
                continue;
            }
            for (int i = map.nextSetBit(0); i >= 0; i = map.nextSetBit(i + 1)) {
                if (known != null && !known.contains((long) i)) {
                    throw unsupported("Cannot find 'iothread' : " + i);
                }
                if (seen.get(i)) {
                    throw detail("'" + element + "' attributes '" + attribute + "' must not overlap");
                }
            }
            seen.or(map);
        }
    }

    /** virSecurityLabelDefsParseXML and virSecurityDeviceLabelDefParseXML: models given, and once each. */
    private static void seclabels(List<XmlNode> labels, boolean domain) {
        for (int i = 0; i < labels.size(); i++) {
            String model = labels.get(i).attr("model");
            if (!domain && model == null) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (java.util.Objects.equals(model, labels.get(j).attr("model"))) {
                    throw detail("seclabel for model " + model + " is already provided");
                }
            }
        }
        if (domain && labels.size() > 1) {
            for (XmlNode l : labels) {
                if (l.attr("model") == null) {
                    throw XmlIn.xmlError("missing security model when using multiple labels");
                }
            }
        }
    }

    /** virDomainNumatuneParseXML; a nodeset with automatic placement is dropped, as libvirt does. */
    private static void numatune(XmlNode root, int cells) {
        List<XmlNode> tunes = root.children("numatune");
        if (tunes.size() > 1) {
            throw XmlIn.xmlError("only one numatune is supported");
        }
        XmlNode vcpu = root.child("vcpu");
        boolean placementStatic = vcpu == null || !"auto".equals(vcpu.attr("placement"));
        XmlNode tune = tunes.isEmpty() ? null : tunes.get(0);
        XmlNode memory = tune == null ? null : tune.child("memory");
        String placement = null;
        String mode = null;
        boolean nodeset = false;
        if (memory != null) {
            mode = memory.attr("mode");
            if (mode != null && !Set.of("strict", "preferred", "interleave", "restrictive").contains(mode)) {
                throw unsupported("Unsupported NUMA memory tuning mode '" + mode + "'");
            }
            placement = memory.attr("placement");
            if (placement != null && !Set.of("default", "static", "auto").contains(placement)) {
                throw unsupported("Unsupported NUMA memory placement mode '" + placement + "'");
            }
            String ns = memory.attr("nodeset");
            if (ns != null) {
                BitSet b = Bitmaps.parse(ns);
                if (b != null && b.isEmpty()) {
                    throw unsupported("Invalid value of 'nodeset': " + ns);
                }
                nodeset = true;
            }
            if (mode != null || placement != null || nodeset) {
                if (placement == null || placement.equals("default")) {
                    placement = nodeset || placementStatic ? "static" : "auto";
                }
                if (placement.equals("static") && !nodeset) {
                    throw unsupported("nodeset for NUMA memory tuning must be set if 'placement' is 'static'");
                }
                if (placement.equals("auto") && nodeset) {
                    memory.getAttributes().remove("nodeset");
                }
            }
        } else if (!placementStatic) {
            placement = "auto";
        }
        List<XmlNode> memnodes = tune == null ? List.of() : tune.children("memnode");
        if (memnodes.isEmpty()) {
            return;
        }
        if (memory != null && "auto".equals(placement)) {
            throw unsupported("Per-node binding is not compatible with automatic NUMA placement.");
        }
        if (cells == 0) {
            throw XmlIn.xmlError("Element 'memnode' is invalid without any guest NUMA cells");
        }
        Set<Long> seen = new HashSet<>();
        for (XmlNode n : memnodes) {
            long cellid = HostdevRules.num(n.attr("cellid"));
            if (n.attr("cellid") != null && cellid >= cells) {
                throw XmlIn.xmlError("Argument 'cellid' in memnode element must correspond to existing guest's "
                    + "NUMA cell");
            }
            if (n.attr("cellid") != null && !seen.add(cellid)) {
                throw XmlIn.xmlError("Multiple memnode elements with cellid " + cellid);
            }
            String nodeMode = n.attr("mode") == null ? "strict" : n.attr("mode");
            if ("restrictive".equals(mode) && !nodeMode.equals("restrictive")) {
                throw XmlIn.xmlError("'restrictive' mode is required in memnode element when mode is 'restrictive' "
                    + "in memory element");
            }
            String ns = n.attr("nodeset");
            if (ns == null) {
                throw XmlIn.xmlError("Missing required nodeset attribute in memnode element");
            }
            BitSet b = Bitmaps.parse(ns);
            if (b != null && b.isEmpty()) {
                throw unsupported("Invalid value of 'nodeset': " + ns);
            }
        }
    }

    /** One huge page size: its size in KiB and its nodeset (null: the default size for all nodes). */
    private record Page(XmlNode node, long sizeKiB, BitSet nodes) {
    }

    private static List<Page> pages(XmlNode root) {
        XmlNode backing = root.child("memoryBacking");
        XmlNode huge = backing == null ? null : backing.child("hugepages");
        List<Page> out = new ArrayList<>();
        if (huge == null) {
            return out;
        }
        for (XmlNode p : huge.children("page")) {
            long kib = 0;
            if (p.attr("size") != null) {
                XmlNode m = new XmlNode("page").attr("unit", p.attr("unit"));
                m.setText(p.attr("size"));
                kib = XmlIn.memoryKiB(m, "page");
            }
            out.add(new Page(p, kib, Bitmaps.parse(p.attr("nodeset"))));
        }
        return out;
    }

    private static void hugepagesParse(XmlNode root) {
        for (Page p : pages(root)) {
            if (p.node().attr("size") != null && p.sizeKiB() == 0) {
                throw detail("hugepage size can't be zero");
            }
            if (p.nodes() != null && p.nodes().isEmpty()) {
                throw unsupported("Invalid value of 'nodeset': " + p.node().attr("nodeset"));
            }
        }
    }

    /** virDomainDefPostParseMemtune: without guest NUMA, a page for node 0 alone is for all nodes. */
    static void postParse(XmlNode root) {
        if (!cells(root).isEmpty()) {
            return;
        }
        for (Page p : pages(root)) {
            if (p.nodes() != null && p.nodes().nextSetBit(1) < 0) {
                p.node().getAttributes().remove("nodeset");
            }
        }
    }

    /** virDomainDefMemtuneValidate. */
    static void validate(XmlNode root) {
        int cells = cells(root).size();
        List<Page> pages = pages(root);
        for (int i = 0; i < pages.size(); i++) {
            Page pi = pages.get(i);
            for (int j = 0; j < i; j++) {
                Page pj = pages.get(j);
                if (pi.nodes() != null && pj.nodes() != null && pi.nodes().intersects(pj.nodes())) {
                    throw detail("nodeset attribute of hugepages of sizes " + pi.sizeKiB() + " and " + pj.sizeKiB()
                        + " intersect");
                } else if (pi.nodes() == null && pj.nodes() == null) {
                    throw detail("two master hugepages detected: " + pi.sizeKiB() + " and " + pj.sizeKiB());
                }
            }
            if (pi.nodes() != null) {
                int next = pi.nodes().nextSetBit(cells);
                if (next >= 0) {
                    throw detail("hugepages: node " + next + " not found");
                }
            }
        }
    }
}
