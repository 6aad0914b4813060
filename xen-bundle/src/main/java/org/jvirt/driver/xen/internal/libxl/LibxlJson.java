package org.jvirt.driver.xen.internal.libxl;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirt.driver.xen.internal.xl.XlConfig;
import org.jvirt.driver.xen.internal.xl.XlConverter;
import org.jvirt.driver.xen.internal.xl.XlDisk;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InterfaceDef;
import org.jvirt.xml.XmlNode;

/**
 * The libxl domain configuration ({@code libxl_domain_config}, as JSON) that the xl toolstack builds from
 * the xl.cfg {@link XlConverter#toXl} writes for a model: what {@code xl -N create} prints for it, and
 * what {@code libxl_domain_config_from_json} takes. Only fields that differ from libxl's defaults appear,
 * as in libxl's own JSON; the output is pretty-printed as libxl (yajl) prints it.
 */
public final class LibxlJson {
    private LibxlJson() {
    }

    public static String predict(DomainDef def) {
        StringBuilder sb = new StringBuilder();
        write(sb, tree(def), 0);
        return sb.toString();
    }

    /** The configuration as maps, lists, strings and numbers. */
    public static Map<String, Object> tree(DomainDef def) {
        XlConfig xl = XlConverter.toXl(def);
        String type = xl.has("type") ? xl.string("type") : "hvm".equals(xl.string("builder")) ? "hvm" : "pv";
        boolean hvm = type.equals("hvm");
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> cInfo = new LinkedHashMap<>();
        cInfo.put("type", type);
        if (xl.has("hap")) {
            cInfo.put("hap", bool(xl.bool("hap")));
        }
        cInfo.put("name", def.getName());
        cInfo.put("uuid", def.getUuid().toString());
        cInfo.put("run_hotplug_scripts", "True");
        root.put("c_info", cInfo);

        Map<String, Object> b = new LinkedHashMap<>();
        int max = (int) xl.number("maxvcpus", xl.number("vcpus", 1));
        int cur = (int) xl.number("vcpus", 1);
        b.put("max_vcpus", max);
        List<Object> avail = new ArrayList<>();
        for (int i = 0; i < cur; i++) {
            avail.add(i);
        }
        b.put("avail_vcpus", avail);
        if (xl.string("cpus") != null) {
            List<Object> cpus = new ArrayList<>();
            BitSet set = parseCpus(xl.string("cpus"));
            for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
                cpus.add(i);
            }
            List<Object> all = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                all.add(cpus);
            }
            b.put("vcpu_hard_affinity", all);
        }
        b.put("max_memkb", xl.number("maxmem", xl.number("memory", 0)) * 1024);
        b.put("target_memkb", xl.number("memory", 0) * 1024);
        if (xl.number("rtc_timeoffset", 0) != 0) {
            b.put("rtc_timeoffset", xl.number("rtc_timeoffset", 0));
        }
        if (xl.has("localtime")) {
            b.put("localtime", bool(xl.bool("localtime")));
        }
        b.put("sched_params", Map.of());
        b.put("claim_mode", "True");
        putIf(b, "kernel", xl.string("kernel"));
        putIf(b, "cmdline", xl.string("cmdline"));
        putIf(b, "ramdisk", xl.string("ramdisk"));
        if (hvm) {
            b.put("acpi", bool(xl.bool("acpi")));
        }
        putIf(b, "bootloader", xl.string("bootloader"));
        if (xl.has("bootloader_args")) {
            b.put("bootloader_args", new ArrayList<Object>(xl.list("bootloader_args")));
        } else if (xl.has("bootargs")) { // xl splits the legacy string on blanks
            b.put("bootloader_args", new ArrayList<Object>(List.of(xl.string("bootargs").trim().split("\\s+"))));
        }
        if (hvm) {
            b.put("apic", bool(xl.bool("apic")));
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("pae", bool(xl.bool("pae")));
            h.put("viridian", bool(xl.bool("viridian")));
            h.put("vga", Map.of());
            Map<String, Object> vnc = new LinkedHashMap<>();
            if (xl.has("vnc")) {
                vnc.put("enable", bool(xl.bool("vnc")));
                putIf(vnc, "listen", xl.string("vnclisten"));
                putIf(vnc, "passwd", xl.string("vncpasswd"));
                if (xl.has("vncdisplay")) {
                    vnc.put("display", xl.number("vncdisplay", 0));
                }
                if (xl.has("vncunused")) {
                    vnc.put("findunused", bool(xl.bool("vncunused")));
                }
            }
            h.put("vnc", vnc);
            putIf(h, "keymap", xl.string("keymap"));
            Map<String, Object> sdl = new LinkedHashMap<>();
            if (xl.has("sdl")) {
                sdl.put("enable", bool(xl.bool("sdl")));
            }
            h.put("sdl", sdl);
            h.put("spice", Map.of());
            Object serial = xl.settings().get("serial");
            if (serial instanceof String one) {
                h.put("serial", one);
            }
            h.put("boot", xl.string("boot"));
            if (serial instanceof List<?> l) {
                h.put("serial_list", new ArrayList<Object>(l)); // xl takes a list as serial_list
            }
            h.put("rdm", Map.of());
            b.put("type.hvm", h);
        } else {
            b.put("type." + type, Map.of());
        }
        b.put("arch_arm", Map.of());
        b.put("arch_x86", Map.of());
        root.put("b_info", b);

        List<Object> disks = new ArrayList<>();
        for (String spec : xl.list("disk")) {
            XlDisk d = XlDisk.parse(spec);
            Map<String, Object> m = new LinkedHashMap<>();
            putIf(m, "pdev_path", d.target().isEmpty() ? null : d.target());
            m.put("vdev", d.vdev());
            putIf(m, "backend", d.backendtype());
            m.put("format", d.format());
            if (d.cdrom()) {
                m.put("removable", 1);
            }
            if (d.readwrite()) {
                m.put("readwrite", 1);
            }
            if (d.cdrom()) {
                m.put("is_cdrom", 1);
            }
            disks.add(m);
        }
        if (!disks.isEmpty()) {
            root.put("disks", disks);
        }
        List<Object> nics = new ArrayList<>();
        for (InterfaceDef n : def.getInterfaces()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("devid", nics.size());
            if (n.getModel() != null && !n.getModel().equals("netfront")) {
                m.put("model", n.getModel());
            }
            putIf(m, "mac", n.getMac());
            List<String> ips = new ArrayList<>();
            for (XmlNode x : n.getExtraElements()) {
                if (x.getName().equals("ip")) {
                    ips.add(x.attr("address"));
                }
            }
            if (!ips.isEmpty()) {
                m.put("ip", String.join(" ", ips));
            }
            putIf(m, "bridge", n.getSourceBridge());
            putIf(m, "ifname", n.getTargetDev());
            String script = n.getScript();
            if (script == null && "bridge".equals(n.getType())) {
                boolean ovs = n.getExtraElements().stream().anyMatch(x -> x.getName().equals("virtualport")
                        && "openvswitch".equals(x.attr("type")));
                script = ovs ? "vif-openvswitch" : "vif-bridge"; // as libvirt's xen-xl writer adds it
            }
            putIf(m, "script", script);
            if ("netfront".equals(n.getModel())) {
                m.put("nictype", "vif");
            }
            nics.add(m);
        }
        if (!nics.isEmpty()) {
            root.put("nics", nics);
        }
        if (!hvm && !def.getGraphics().isEmpty()) {
            List<Object> vfbs = new ArrayList<>();
            List<Object> vkbs = new ArrayList<>();
            for (GraphicsDef g : def.getGraphics()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("devid", vfbs.size());
                Map<String, Object> vnc = new LinkedHashMap<>();
                Map<String, Object> sdl = new LinkedHashMap<>();
                if ("vnc".equals(g.getType())) {
                    putIf(vnc, "listen", g.getListen());
                    putIf(vnc, "passwd", g.getPasswd());
                    if (!g.isAutoport()) {
                        vnc.put("display", g.getPort() - 5900);
                    }
                    vnc.put("findunused", bool(g.isAutoport()));
                } else {
                    vnc.put("enable", "False");
                    sdl.put("enable", "True");
                }
                m.put("vnc", vnc);
                m.put("sdl", sdl);
                putIf(m, "keymap", g.getKeymap());
                vfbs.add(m);
                vkbs.add(Map.of("devid", vkbs.size()));
            }
            root.put("vfbs", vfbs);
            root.put("vkbs", vkbs);
        }
        putAction(root, "on_poweroff", xl.string("on_poweroff"), "destroy");
        putAction(root, "on_reboot", xl.string("on_reboot"), "destroy");
        putAction(root, "on_crash", xl.string("on_crash"), "destroy");
        root.put("on_soft_reset", "soft_reset");
        return root;
    }

    private static void putAction(Map<String, Object> m, String key, String action, String dflt) {
        if (action != null && !action.equals(dflt)) {
            m.put(key, action.replace('-', '_'));
        }
    }

    private static void putIf(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }

    private static String bool(Boolean b) {
        return Boolean.TRUE.equals(b) ? "True" : "False";
    }

    static BitSet parseCpus(String spec) {
        BitSet set = new BitSet();
        for (String part : spec.split(",")) {
            part = part.trim();
            if (part.startsWith("^")) {
                set.clear(Integer.parseInt(part.substring(1)));
            } else if (part.contains("-")) {
                String[] r = part.split("-");
                set.set(Integer.parseInt(r[0]), Integer.parseInt(r[1]) + 1);
            } else if (!part.isEmpty()) {
                set.set(Integer.parseInt(part));
            }
        }
        return set;
    }

    // ---- libxl's JSON layout -----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder sb, Object v, int depth) {
        String in = "    ".repeat(depth + 1);
        if (v instanceof Map<?, ?> m) {
            sb.append("{\n");
            if (m.isEmpty()) {
                sb.append('\n');
            }
            int i = 0;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                sb.append(in);
                string(sb, e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), depth + 1);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            sb.append("    ".repeat(depth)).append('}');
        } else if (v instanceof List<?> l) {
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                sb.append(in);
                write(sb, l.get(i), depth + 1);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            sb.append("    ".repeat(depth)).append(']');
        } else if (v instanceof Number) {
            sb.append(v);
        } else {
            string(sb, String.valueOf(v));
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(ch);
            }
        }
        sb.append('"');
    }
}
