package org.jvirt.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.xml.CharDeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InterfaceDef;
import org.jvirt.xml.XmlNode;

/**
 * Domain XML ↔ xl.cfg for PV, HVM and PVH guests, following libvirt's {@code xen-xl} format (the
 * mapping of libvirt's src/libxl/xen_xl.c and xen_common.c): the model that an xl.cfg gives before the
 * driver's post-parse hook ({@link org.jvirt.driver.xen.internal.XenXmlHooks}) adds the implicit devices,
 * and the xl.cfg a model is written as.
 */
public final class XlConverter {
    public static final String HVMLOADER = "/usr/lib/xen/boot/hvmloader";
    private static final String BOOT_CHARS = "acdn";
    private static final String[] BOOT_DEVS = {"fd", "hd", "cdrom", "network"};

    private XlConverter() {
    }

    // ---- xl.cfg -> model --------------------------------------------------------------------------------

    public static DomainDef fromXl(XlConfig c) {
        DomainDef def = new DomainDef();
        def.setType("xen");
        String name = c.string("name");
        if (name == null || name.isEmpty()) {
            throw unsupported("the config has no 'name'");
        }
        def.setName(name);
        String uuid = c.string("uuid");
        try {
            def.setUuid(uuid == null ? UUID.randomUUID() : UUID.fromString(uuid));
        } catch (IllegalArgumentException e) {
            throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL, "invalid uuid '" + uuid + "'");
        }
        String kind = guestType(c);
        boolean hvm = kind.equals("hvm");
        def.getOs().setType(switch (kind) {
            case "hvm" -> "hvm";
            case "pvh" -> "xenpvh";
            default -> "linux";
        });
        def.getOs().setArch("x86_64");
        def.getOs().setMachine(switch (kind) {
            case "hvm" -> "xenfv";
            case "pvh" -> "xenpvh";
            default -> "xenpv";
        });
        long memory = c.number("memory", 128);
        long maxmem = c.number("maxmem", memory);
        def.setMemoryKiB(Math.max(maxmem, memory) * 1024);
        def.setCurrentMemoryKiB(memory * 1024);
        int vcpus = (int) c.number("vcpus", 1);
        int maxvcpus = (int) c.number("maxvcpus", vcpus);
        def.setVcpus(maxvcpus);
        if (maxvcpus != vcpus) {
            def.setCurrentVcpus(vcpus);
        }
        def.setVcpuPlacement("static");
        if (c.string("cpus") != null && !c.string("cpus").isEmpty()) {
            def.setCpuset(c.string("cpus"));
        }
        // boot
        if (hvm) {
            def.getOs().setLoader(HVMLOADER);
            def.getOs().getLoaderAttributes().put("type", "rom");
            String boot = c.string("boot");
            for (char ch : (boot == null || boot.isEmpty() ? "c" : boot).toCharArray()) {
                int i = BOOT_CHARS.indexOf(ch);
                if (i >= 0) {
                    def.getOs().getBootDevices().add(BOOT_DEVS[i]);
                }
            }
        }
        def.getOs().setKernel(emptyToNull(c.string("kernel")));
        def.getOs().setInitrd(emptyToNull(c.string(c.has("ramdisk") ? "ramdisk" : "initrd")));
        String cmdline = c.string("cmdline");
        if (cmdline == null) {
            String root = c.string("root");
            String extra = c.string("extra");
            if (root != null || extra != null) {
                cmdline = (root == null ? "" : "root=" + root + (extra == null ? "" : " ")) + (extra == null ? "" : extra);
            }
        }
        def.getOs().setCmdline(emptyToNull(cmdline));
        def.getOs().setBootloader(emptyToNull(c.string("bootloader")));
        List<String> bargs = c.list("bootloader_args");
        if (!bargs.isEmpty()) {
            def.getOs().setBootloaderArgs(String.join(" ", bargs));
        }
        // features
        if (hvm) {
            if (!Boolean.FALSE.equals(c.bool("acpi"))) {
                def.getFeatures().add("acpi");
            }
            if (!Boolean.FALSE.equals(c.bool("apic"))) {
                def.getFeatures().add("apic");
            }
            if (!Boolean.FALSE.equals(c.bool("pae"))) {
                def.getFeatures().add("pae");
            }
            if (Boolean.FALSE.equals(c.bool("hap"))) {
                def.getFeatures().add("hap");
                def.getFeatureDetails().put("hap", new XmlNode("hap").attr("state", "off"));
            }
            if (Boolean.TRUE.equals(c.bool("viridian"))) {
                def.getFeatures().add("viridian");
            }
        }
        // clock
        boolean localtime = Boolean.TRUE.equals(c.bool("localtime"));
        if (hvm) {
            def.setClockOffset("variable");
            def.getClockAttributes().put("adjustment", Long.toString(c.number("rtc_timeoffset", 0)));
            def.getClockAttributes().put("basis", localtime ? "localtime" : "utc");
        } else {
            def.setClockOffset(localtime ? "localtime" : "utc");
            def.getClockAttributes().put("adjustment", "reset");
        }
        def.setOnPoweroff(lifecycle(c, "on_poweroff", "destroy"));
        def.setOnReboot(lifecycle(c, "on_reboot", "restart"));
        def.setOnCrash(lifecycle(c, "on_crash", "restart"));
        def.setEmulator(emptyToNull(c.string("device_model_override")));
        // devices
        for (String spec : c.list("disk")) {
            def.getDisks().add(disk(XlDisk.parse(spec), hvm));
        }
        for (String spec : c.list("vif")) {
            def.getInterfaces().add(vif(spec, hvm));
        }
        if (hvm) {
            if (Boolean.TRUE.equals(c.bool("vnc"))) {
                def.getGraphics().add(vnc(c.string("vnclisten"), c.string("vncunused"), c.string("vncdisplay"),
                        c.string("vncpasswd"), c.string("keymap")));
            }
            if (Boolean.TRUE.equals(c.bool("sdl"))) {
                def.getGraphics().add(new GraphicsDef("sdl"));
            }
            List<String> serials = c.list("serial");
            for (int i = 0; i < serials.size(); i++) {
                String s = serials.get(i);
                if (s.equals("none")) {
                    continue;
                }
                CharDeviceDef ser = charDev("serial", s);
                ser.setTargetPort(i);
                def.getSerials().add(ser);
            }
        } else {
            for (String spec : c.list("vfb")) {
                Map<String, String> kv = keyValues(spec);
                if (kv.containsKey("sdl") && "1".equals(kv.get("sdl")) || "sdl".equals(kv.get("type"))) {
                    def.getGraphics().add(new GraphicsDef("sdl"));
                }
                if ("1".equals(kv.get("vnc")) || "vnc".equals(kv.get("type"))) {
                    def.getGraphics().add(vnc(kv.get("vnclisten"), kv.get("vncunused"), kv.get("vncdisplay"),
                            kv.get("vncpasswd"), kv.get("keymap")));
                }
            }
        }
        return def;
    }

    private static String guestType(XlConfig c) {
        String type = c.string("type");
        if (type != null) {
            if (!List.of("pv", "hvm", "pvh").contains(type)) {
                throw unsupported("unknown guest type '" + type + "'");
            }
            return type;
        }
        return "hvm".equals(c.string("builder")) ? "hvm" : "pv";
    }

    private static String lifecycle(XlConfig c, String key, String dflt) {
        String v = c.string(key);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "destroy", "restart", "preserve", "rename-restart", "coredump-destroy", "coredump-restart" -> v;
            default -> throw unsupported("unknown " + key + " action '" + v + "'");
        };
    }

    private static DiskDef disk(XlDisk x, boolean hvm) {
        DiskDef d = new DiskDef();
        d.setDevice(x.cdrom() ? "cdrom" : "disk");
        if (x.cdrom() || !"phy".equals(x.backendtype())) {
            d.setType("file");
            d.setDriverName(x.cdrom() || x.backendtype() == null || "qdisk".equals(x.backendtype()) ? "qemu"
                    : x.backendtype());
        } else {
            d.setType("block");
            d.setDriverName("phy");
        }
        if (!x.target().isEmpty()) {
            d.setSourcePath(x.target());
            d.setDriverType(x.cdrom() ? "raw" : x.format().equals("empty") ? null : x.format());
        }
        d.setTargetDev(x.vdev());
        d.setTargetBus(x.vdev().startsWith("xvd") || !hvm ? "xen" : x.vdev().startsWith("sd") ? "scsi" : "ide");
        d.setReadonly(!x.readwrite());
        return d;
    }

    private static InterfaceDef vif(String spec, boolean hvm) {
        Map<String, String> kv = keyValues(spec);
        String bridge = kv.get("bridge");
        InterfaceDef n = new InterfaceDef(bridge != null ? "bridge" : "ethernet");
        n.setMac(kv.get("mac"));
        n.setSourceBridge(bridge);
        String ip = kv.get("ip");
        if (ip != null) {
            for (String a : ip.trim().split("\\s+")) {
                n.getExtraElements().add(new XmlNode("ip").attr("address", a)
                        .attr("family", a.contains(":") ? "ipv6" : "ipv4"));
            }
        }
        n.setScript(kv.get("script"));
        n.setTargetDev(kv.get("vifname"));
        String model = kv.get("model");
        if (model != null) {
            n.setModel(model);
        } else if ("vif".equals(kv.get("type")) || "netfront".equals(kv.get("type"))) {
            n.setModel("netfront");
        }
        return n;
    }

    private static GraphicsDef vnc(String listen, String unused, String display, String passwd, String keymap) {
        GraphicsDef g = new GraphicsDef("vnc");
        if (display != null && !"1".equals(unused)) {
            g.setPort(5900 + Integer.parseInt(display.trim()));
            g.setAutoport(false);
        } else {
            g.setPort(-1);
            g.setAutoport(true);
        }
        if (listen != null && !listen.isEmpty()) {
            g.setListen(listen);
            g.setListenType("address");
        }
        g.setPasswd(emptyToNull(passwd));
        g.setKeymap(emptyToNull(keymap));
        return g;
    }

    private static CharDeviceDef charDev(String kind, String spec) {
        if (spec.equals("pty") || spec.equals("null") || spec.equals("stdio") || spec.equals("vc")) {
            return new CharDeviceDef(kind, spec);
        }
        if (spec.startsWith("file:")) {
            CharDeviceDef d = new CharDeviceDef(kind, "file");
            d.setSourcePath(spec.substring(5));
            return d;
        }
        if (spec.startsWith("/dev/")) {
            CharDeviceDef d = new CharDeviceDef(kind, "dev");
            d.setSourcePath(spec);
            return d;
        }
        throw unsupported("serial '" + spec + "' is not supported (pty, null, stdio, vc, file:PATH, /dev/...)");
    }

    private static Map<String, String> keyValues(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String p : spec.split(",")) {
            p = p.trim();
            int eq = p.indexOf('=');
            if (eq > 0) {
                kv.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
            } else if (!p.isEmpty()) {
                kv.put(p, "");
            }
        }
        return kv;
    }

    // ---- model -> xl.cfg --------------------------------------------------------------------------------

    public static XlConfig toXl(DomainDef def) {
        XlConfig c = new XlConfig();
        String os = def.getOs().getType();
        boolean hvm = "hvm".equals(os);
        boolean pvh = "xenpvh".equals(os);
        if (!"xen".equals(def.getType())) {
            throw unsupported("a domain of type '" + def.getType() + "' is not a Xen guest");
        }
        c.set("name", def.getName());
        c.set("uuid", def.getUuid().toString());
        c.set("maxmem", def.getMemoryKiB() / 1024);
        c.set("memory", def.effectiveCurrentMemoryKiB() / 1024);
        if (def.getCurrentVcpus() > 0 && def.getCurrentVcpus() != def.getVcpus()) {
            c.set("vcpus", def.getCurrentVcpus());
            c.set("maxvcpus", def.getVcpus());
        } else {
            c.set("vcpus", def.getVcpus());
        }
        if (def.getCpuset() != null) {
            c.set("cpus", def.getCpuset());
        }
        if (hvm) {
            c.set("pae", def.getFeatures().contains("pae") ? 1 : 0);
            c.set("acpi", def.getFeatures().contains("acpi") ? 1 : 0);
            c.set("apic", def.getFeatures().contains("apic") ? 1 : 0);
            XmlNode hap = def.getFeatureDetails().get("hap");
            if (hap != null && "off".equals(hap.attr("state"))) {
                c.set("hap", 0);
            }
            c.set("viridian", def.getFeatures().contains("viridian") ? 1 : 0);
        }
        clock(c, def, hvm);
        c.set("on_poweroff", def.getOnPoweroff() == null ? "destroy" : def.getOnPoweroff());
        c.set("on_reboot", def.getOnReboot() == null ? "restart" : def.getOnReboot());
        c.set("on_crash", def.getOnCrash() == null ? "restart" : def.getOnCrash());
        if (def.getEmulator() != null) {
            c.set("device_model_override", def.getEmulator());
        }
        graphics(c, def, hvm);
        List<String> vifs = new ArrayList<>();
        for (InterfaceDef n : def.getInterfaces()) {
            vifs.add(vif(n));
        }
        if (!vifs.isEmpty()) {
            c.set("vif", vifs);
        }
        if (hvm) {
            List<String> serials = new ArrayList<>();
            for (CharDeviceDef s : def.getSerials()) {
                serials.add(serial(s));
            }
            if (!serials.isEmpty()) {
                c.set("serial", serials.size() == 1 ? List.of(serials.get(0)) : serials);
            }
        }
        c.set("type", hvm ? "hvm" : pvh ? "pvh" : "pv");
        if (hvm) {
            StringBuilder boot = new StringBuilder();
            for (String b : def.getOs().getBootDevices()) {
                for (int i = 0; i < BOOT_DEVS.length; i++) {
                    if (BOOT_DEVS[i].equals(b)) {
                        boot.append(BOOT_CHARS.charAt(i));
                    }
                }
            }
            c.set("boot", boot.length() == 0 ? "c" : boot.toString());
        }
        if (def.getOs().getBootloader() != null) {
            c.set("bootloader", def.getOs().getBootloader());
            if (def.getOs().getBootloaderArgs() != null) {
                c.set("bootloader_args", List.of(def.getOs().getBootloaderArgs().split("\\s+")));
            }
        }
        if (def.getOs().getKernel() != null) {
            c.set("kernel", def.getOs().getKernel());
        }
        if (def.getOs().getInitrd() != null) {
            c.set("ramdisk", def.getOs().getInitrd());
        }
        if (def.getOs().getCmdline() != null) {
            c.set("cmdline", def.getOs().getCmdline());
        }
        List<String> disks = new ArrayList<>();
        for (DiskDef d : def.getDisks()) {
            disks.add(disk(d).spec());
        }
        if (!disks.isEmpty()) {
            c.set("disk", disks);
        }
        return c;
    }

    private static void clock(XlConfig c, DomainDef def, boolean hvm) {
        String offset = def.getClockOffset() == null ? "utc" : def.getClockOffset();
        Map<String, String> a = def.getClockAttributes();
        if (hvm) {
            switch (offset) {
                case "variable" -> {
                    c.set("rtc_timeoffset", Long.parseLong(a.getOrDefault("adjustment", "0")));
                    c.set("localtime", "localtime".equals(a.get("basis")) ? 1 : 0);
                }
                case "utc", "localtime" -> {
                    if ("reset".equals(a.get("adjustment"))) {
                        throw unsupported("unsupported clock adjustment='reset'");
                    }
                    c.set("rtc_timeoffset", 0);
                    c.set("localtime", offset.equals("localtime") ? 1 : 0);
                }
                default -> throw unsupported("unsupported clock offset='" + offset + "'");
            }
        } else {
            switch (offset) {
                case "utc", "localtime" -> c.set("localtime", offset.equals("localtime") ? 1 : 0);
                default -> throw unsupported("unsupported clock offset='" + offset + "'");
            }
        }
    }

    private static void graphics(XlConfig c, DomainDef def, boolean hvm) {
        if (def.getGraphics().isEmpty()) {
            return;
        }
        if (hvm) {
            GraphicsDef vnc = null;
            boolean sdl = false;
            for (GraphicsDef g : def.getGraphics()) {
                if ("vnc".equals(g.getType())) {
                    vnc = g;
                } else if ("sdl".equals(g.getType())) {
                    sdl = true;
                } else {
                    throw unsupported("graphics type '" + g.getType() + "' is not supported for Xen HVM guests");
                }
            }
            c.set("sdl", sdl ? 1 : 0);
            c.set("vnc", vnc != null ? 1 : 0);
            if (vnc != null) {
                c.set("vncunused", vnc.isAutoport() ? 1 : 0);
                if (!vnc.isAutoport()) {
                    c.set("vncdisplay", vnc.getPort() - 5900);
                }
                if (vnc.getListen() != null) {
                    c.set("vnclisten", vnc.getListen());
                }
                if (vnc.getPasswd() != null) {
                    c.set("vncpasswd", vnc.getPasswd());
                }
                if (vnc.getKeymap() != null) {
                    c.set("keymap", vnc.getKeymap());
                }
            }
            return;
        }
        List<String> vfbs = new ArrayList<>();
        for (GraphicsDef g : def.getGraphics()) {
            if ("sdl".equals(g.getType())) {
                vfbs.add("type=sdl");
            } else if ("vnc".equals(g.getType())) {
                StringBuilder sb = new StringBuilder("type=vnc");
                sb.append(",vncunused=").append(g.isAutoport() ? 1 : 0);
                if (!g.isAutoport()) {
                    sb.append(",vncdisplay=").append(g.getPort() - 5900);
                }
                if (g.getListen() != null) {
                    sb.append(",vnclisten=").append(g.getListen());
                }
                if (g.getPasswd() != null) {
                    sb.append(",vncpasswd=").append(g.getPasswd());
                }
                if (g.getKeymap() != null) {
                    sb.append(",keymap=").append(g.getKeymap());
                }
                vfbs.add(sb.toString());
            } else {
                throw unsupported("graphics type '" + g.getType() + "' is not supported for Xen PV guests");
            }
        }
        c.set("vfb", vfbs);
    }

    private static String vif(InterfaceDef n) {
        List<String> parts = new ArrayList<>();
        if (n.getMac() != null) {
            parts.add("mac=" + n.getMac());
        }
        switch (n.getType()) {
            case "bridge" -> parts.add("bridge=" + n.getSourceBridge());
            case "ethernet" -> { }
            default -> throw unsupported("interface type '" + n.getType() + "' is not supported (bridge, ethernet)");
        }
        List<String> ips = new ArrayList<>();
        for (XmlNode x : n.getExtraElements()) {
            if (x.getName().equals("ip") && x.attr("address") != null) {
                ips.add(x.attr("address"));
            }
        }
        if (!ips.isEmpty()) {
            parts.add("ip=" + String.join(" ", ips));
        }
        if (n.getScript() != null) {
            parts.add("script=" + n.getScript());
        }
        if (n.getModel() != null) {
            parts.add(n.getModel().equals("netfront") ? "type=vif" : "model=" + n.getModel());
        }
        if (n.getTargetDev() != null) {
            parts.add("vifname=" + n.getTargetDev());
        }
        return String.join(",", parts);
    }

    private static String serial(CharDeviceDef s) {
        return switch (s.getType()) {
            case "pty", "null", "stdio", "vc" -> s.getType();
            case "file" -> "file:" + s.getSourcePath();
            case "dev" -> s.getSourcePath();
            default -> throw unsupported("serial type '" + s.getType() + "' is not supported");
        };
    }

    /** The xl disk spec of a disk. */
    public static XlDisk disk(DiskDef d) {
        boolean cdrom = "cdrom".equals(d.getDevice());
        if (!"disk".equals(d.getDevice()) && !cdrom) {
            throw unsupported("disk device '" + d.getDevice() + "' is not supported (disk, cdrom)");
        }
        String backend;
        String driver = d.getDriverName();
        if (driver == null) {
            backend = "block".equals(d.getType()) ? "phy" : "qdisk";
        } else {
            backend = switch (driver) {
                case "qemu" -> "qdisk";
                case "phy" -> "phy";
                case "tap", "tap2" -> "tap";
                case "file" -> "qdisk";
                default -> throw unsupported("disk driver '" + driver + "' is not supported (qemu, phy, tap)");
            };
        }
        String format = d.getDriverType() == null ? (d.getSourcePath() == null ? "empty" : "raw") : d.getDriverType();
        if (format.equals("aio")) {
            format = "raw";
        }
        return new XlDisk(d.getSourcePath() == null ? "" : d.getSourcePath(), format, d.getTargetDev(),
                !d.isReadonly(), backend, cdrom);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static VirtException unsupported(String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXL, detail);
    }
}
