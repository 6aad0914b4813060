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
import org.jvirt.xml.ControllerDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InterfaceDef;
import org.jvirt.xml.SoundDef;
import org.jvirt.xml.XmlNode;

/**
 * Domain XML ↔ xl.cfg for PV, HVM and PVH guests, following libvirt's {@code xen-xl} format (the
 * mapping of libvirt's src/libxl/xen_xl.c and xen_common.c): the model that an xl.cfg gives before the
 * driver's post-parse hook ({@link org.jvirt.driver.xen.internal.XenXmlHooks}) adds the implicit devices,
 * and the xl.cfg a model is written as.
 */
public final class XlConverter {
    public static final String HVMLOADER = "/usr/lib/xen/boot/hvmloader";
    public static final String OVMF = "/usr/lib/xen/boot/ovmf.bin";
    private static final String BOOT_CHARS = "acdn";
    private static final String[] BOOT_DEVS = {"fd", "hd", "cdrom", "network"};

    private XlConverter() {
    }

    // ---- xl.cfg -> model --------------------------------------------------------------------------------

    public static DomainDef fromXl(XlConfig c) {
        return from(c, false);
    }

    /** libvirt's older {@code xen-xm} format: the settings xl shares with xm, then xm's OS, disks and inputs. */
    public static DomainDef fromXm(XlConfig c) {
        return from(c, true);
    }

    private static DomainDef from(XlConfig c, boolean xm) {
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
        if (xm) {
            XmFormat.osFromXm(c, def, hvm);
        } else {
            osFromXl(c, def, hvm);
        }
        // features
        hvmFeatures(c, def, hvm);
        XlExtras.xenFeaturesFromXl(c, def, hvm);
        clockAndActions(c, def, hvm);
        if (!xm) {
            cpu(c, def, hvm);
            if (hvm && c.string("acpi_firmware") != null) {
                XmlNode table = new XmlNode("table").attr("type", "slic");
                table.setText(c.string("acpi_firmware"));
                def.getOs().getExtraElements().add(new XmlNode("acpi").add(table));
            }
            xenbusLimits(c, def);
            for (String spec : c.list("channel")) {
                def.getChannels().add(channel(keyValues(spec)));
            }
        }
        // devices
        if (xm) {
            XmFormat.disksFromXm(c, def, hvm);
        } else {
            for (String spec : c.list("disk")) {
                def.getDisks().add(disk(XlDisk.parse(spec), hvm));
            }
        }
        for (String spec : c.list("vif")) {
            def.getInterfaces().add(vif(spec, hvm, xm ? "netfront" : "vif"));
        }
        XlExtras.pciFromXl(c, def);
        graphicsFromXl(c, def, hvm);
        if (hvm) {
            soundFromXl(c, def);
            String parallel = c.string("parallel");
            if (parallel != null && !parallel.equals("none")) {
                CharDeviceDef par = charDev("parallel", parallel);
                par.setTargetPort(0);
                def.getParallels().add(par);
            }
            serialsFromXl(c, def, xm);
        }
        if (xm) {
            XmFormat.inputsFromXm(c, def, hvm);
            return def;
        }
        // in libvirt's order: spice (replacing vnc/sdl), USB inputs, USB host devices, USB controllers
        XlExtras.spiceFromXl(c, def, hvm);
        XlExtras.inputsFromXl(c, def, hvm);
        XlExtras.usbFromXl(c, def);
        XlExtras.usbctrlFromXl(c, def);
        XlExtras.namespaceFromXl(c, def);
        return def;
    }

    /** xl's OS settings: the loader (hvmloader or OVMF), boot order, kernel/ramdisk/cmdline, bootloader. */
    private static void osFromXl(XlConfig c, DomainDef def, boolean hvm) {
        if (hvm && "ovmf".equals(c.string("bios"))) {
            def.getOs().setLoader(OVMF);
            def.getOs().getLoaderAttributes().put("readonly", "yes");
            def.getOs().getLoaderAttributes().put("type", "pflash");
        }
        if (hvm) {
            if (def.getOs().getLoader() == null) {
                def.getOs().setLoader(HVMLOADER);
                def.getOs().getLoaderAttributes().put("type", "rom");
            }
            bootOrder(c, def);
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
    }

    /** HVM boot = "acdn..." (default "c") as the boot devices. */
    static void bootOrder(XlConfig c, DomainDef def) {
        String boot = c.string("boot");
        for (char ch : (boot == null || boot.isEmpty() ? "c" : boot).toCharArray()) {
            int i = BOOT_CHARS.indexOf(ch);
            if (i >= 0) {
                def.getOs().getBootDevices().add(BOOT_DEVS[i]);
            }
        }
    }

    private static void hvmFeatures(XlConfig c, DomainDef def, boolean hvm) {
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
    }

    private static void clockAndActions(XlConfig c, DomainDef def, boolean hvm) {
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
        timers(c, def);
    }

    /** HVM vnc/sdl, PV vfb. */
    private static void graphicsFromXl(XlConfig c, DomainDef def, boolean hvm) {
        if (hvm) {
            if (Boolean.TRUE.equals(c.bool("vnc"))) {
                def.getGraphics().add(vnc(c.string("vnclisten"), c.string("vncunused"), c.string("vncdisplay"),
                        c.string("vncpasswd"), c.string("keymap")));
            }
            if (Boolean.TRUE.equals(c.bool("sdl"))) {
                def.getGraphics().add(new GraphicsDef("sdl"));
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
    }

    /** HVM serial: a string, or (xl only) a list with "none" for unused ports. */
    private static void serialsFromXl(XlConfig c, DomainDef def, boolean xm) {
        if (xm && c.isList("serial")) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXM,
                    "Multiple serial devices are not supported by xen-xm");
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
        if (!x.target().isEmpty() && !XlExtras.rbdFromXl(d, x.target())) {
            d.setSourcePath(x.target());
        }
        d.setDriverType(x.cdrom() ? "raw" : x.format().equals("empty") ? null : x.format());
        d.setTargetDev(x.vdev());
        d.setTargetBus(x.vdev().startsWith("xvd") || !hvm ? "xen" : x.vdev().startsWith("sd") ? "scsi" : "ide");
        d.setReadonly(!x.readwrite());
        return d;
    }

    private static InterfaceDef vif(String spec, boolean hvm, String typeName) {
        Map<String, String> kv = keyValues(spec);
        String bridge = kv.get("bridge");
        InterfaceDef n = new InterfaceDef(bridge != null ? "bridge" : "ethernet");
        XmlNode vlan = null;
        if (bridge != null && (bridge.indexOf('.') > 0 || bridge.indexOf(':') > 0)) {
            // Open vSwitch: BRIDGE[.VLAN][:TRUNK:TRUNK]
            int dot = bridge.indexOf('.');
            int colon = bridge.indexOf(':');
            vlan = new XmlNode("vlan");
            if (colon > 0 && (dot < 0 || colon < dot)) {
                vlan.attr("trunk", "yes");
                for (String t : bridge.substring(colon + 1).split(":")) {
                    vlan.add(new XmlNode("tag").attr("id", t));
                }
                bridge = bridge.substring(0, colon);
            } else {
                vlan.add(new XmlNode("tag").attr("id", bridge.substring(dot + 1)));
                bridge = bridge.substring(0, dot);
            }
        }
        n.setMac(kv.get("mac"));
        n.setSourceBridge(bridge);
        if (vlan != null) {
            n.getExtraElements().add(vlan);
            n.getExtraElements().add(new XmlNode("virtualport").attr("type", "openvswitch"));
        }
        String ip = kv.get("ip");
        if (ip != null) {
            for (String a : ip.trim().split("\\s+")) {
                n.getExtraElements().add(new XmlNode("ip").attr("address", a)
                        .attr("family", a.contains(":") ? "ipv6" : "ipv4"));
            }
        }
        n.setScript(kv.get("script"));
        n.setTargetDev(kv.get("vifname"));
        String rate = kv.get("rate");
        if (rate != null) {
            n.getExtraElements().add(new XmlNode("bandwidth")
                    .add(new XmlNode("outbound").attr("average", Long.toString(rateKBps(rate)))));
        }
        String model = kv.get("model");
        if (model != null) {
            n.setModel(model);
        } else if (typeName.equals(kv.get("type"))) {
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

    /** libvirt's character device types (virDomainChrType). */
    private static final List<String> CHR_TYPES = List.of("null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp",
            "tcp", "unix", "spicevmc", "spiceport", "nmdm", "qemu-vdagent", "dbus");

    /**
     * A serial or parallel spec as libvirt's xen converter reads it: an absolute path is a host device, else
     * TYPE[:VALUE] (telnet is tcp with the telnet protocol): file/pipe path, tcp HOST:PORT[,server],
     * udp [HOST]:PORT[@[HOST]:PORT] (connect, then bind), unix PATH[,server].
     */
    static CharDeviceDef charDev(String kind, String spec) {
        if (spec.startsWith("/")) {
            CharDeviceDef d = new CharDeviceDef(kind, "dev");
            d.setSourcePath(spec);
            return d;
        }
        int colon = spec.indexOf(':');
        String prefix = colon < 0 ? spec : spec.substring(0, colon);
        String value = colon < 0 ? spec : spec.substring(colon + 1);
        CharDeviceDef d;
        if (prefix.startsWith("telnet")) {
            d = new CharDeviceDef(kind, "tcp");
            d.setProtocolType("telnet");
        } else if (CHR_TYPES.contains(prefix)) {
            d = new CharDeviceDef(kind, prefix);
            if (prefix.equals("tcp")) {
                d.setProtocolType("raw");
            }
        } else {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXL, "unknown chr device type '" + prefix + "'");
        }
        switch (d.getType()) {
            case "file", "pipe" -> d.setSourcePath(value);
            case "tcp" -> {
                int c = value.indexOf(':');
                if (c < 0) {
                    throw malformedChr();
                }
                int comma = value.indexOf(',', c);
                d.setSourceHost(c == 0 ? null : value.substring(0, c));
                d.setSourceService(comma < 0 ? value.substring(c + 1) : value.substring(c + 1, comma));
                d.setSourceMode(comma >= 0 && value.indexOf(",server", comma) >= 0 ? "bind" : "connect");
            }
            case "udp" -> {
                int c = value.indexOf(':');
                if (c < 0) {
                    throw malformedChr();
                }
                String connectHost = c == 0 ? null : value.substring(0, c);
                int at = value.indexOf('@', c);
                String connectService;
                String bindHost = null;
                String bindService = null;
                if (at >= 0) {
                    connectService = value.substring(c + 1, at);
                    int c3 = value.indexOf(':', at);
                    if (c3 < 0) {
                        throw malformedChr();
                    }
                    bindHost = c3 > at + 1 ? value.substring(at + 1, c3) : null;
                    bindService = value.substring(c3 + 1);
                } else {
                    connectService = value.substring(c + 1);
                }
                // libvirt shows the bind source first, then the connect source
                boolean bind = bindHost != null || bindService != null;
                d.setSourceMode(bind ? "bind" : "connect");
                d.setSourceHost(bind ? bindHost : connectHost);
                d.setSourceService(bind ? bindService : connectService);
                if (bind && (connectHost != null || connectService != null)) {
                    XmlNode connect = new XmlNode("source").attr("mode", "connect");
                    if (connectHost != null) {
                        connect.attr("host", connectHost);
                    }
                    if (connectService != null) {
                        connect.attr("service", connectService);
                    }
                    d.getSourceExtra().add(connect);
                }
            }
            case "unix" -> {
                int comma = value.indexOf(',');
                d.setSourcePath(comma < 0 ? value : value.substring(0, comma));
                d.setSourceMode(comma >= 0 && value.indexOf(",server", comma) >= 0 ? "bind" : "connect");
            }
            default -> {
            }
        }
        return d;
    }

    private static VirtException malformedChr() {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXL, "malformed char device string");
    }

    /** HVM soundhw = "MODEL,MODEL" ("all" is sb16 and es1370, as in Xen's old qemu). */
    private static void soundFromXl(XlConfig c, DomainDef def) {
        String str = c.string("soundhw");
        if (str == null) {
            return;
        }
        List<String> models = str.equals("all") ? List.of("sb16", "es1370") : List.of(str.split(",", -1));
        for (String m : models) {
            if (!SOUND_MODELS.contains(m)) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXL,
                        "unknown sound model '" + m + "'");
            }
            def.getSounds().add(new SoundDef(m));
        }
    }

    /** libvirt's sound models (virDomainSoundModel). */
    private static final List<String> SOUND_MODELS = List.of("sb16", "es1370", "pcspk", "ac97", "ich6", "ich9",
            "usb", "ich7", "virtio");

    /** A vif rate (NUM{B,KB,MB,GB}/s or .../b with bits, optionally @interval) in kilobytes per second. */
    static long rateKBps(String rate) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+)([GMK]?)([Bb])/s(@.*)?").matcher(rate);
        if (!m.matches()) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXL, "Invalid rate '" + rate + "' specified");
        }
        long v = Long.parseLong(m.group(1));
        if (m.group(2).equals("G")) {
            v *= 1024 * 1024;
        } else if (m.group(2).equals("M")) {
            v *= 1024;
        }
        return m.group(3).equals("b") ? v / 8 : v;
    }

    private static void timers(XlConfig c, DomainDef def) {
        String tsc = c.string("tsc_mode");
        if (tsc != null) {
            XmlNode t = new XmlNode("timer").attr("name", "tsc").attr("present", "yes");
            switch (tsc) {
                case "native" -> t.attr("mode", "native");
                case "native_paravirt" -> t.attr("mode", "paravirt");
                case "always_emulate" -> t.attr("mode", "emulate");
                default -> t.attr("mode", "auto");
            }
            def.getClockChildren().add(t);
        }
        Boolean hpet = c.bool("hpet");
        if (hpet != null) {
            def.getClockChildren().add(new XmlNode("timer").attr("name", "hpet").attr("present", hpet ? "yes" : "no"));
        }
    }

    /** nestedhvm and cpuid ("host,NAME=0|1|x|k|s,...") as a host-passthrough CPU with features. */
    private static void cpu(XlConfig c, DomainDef def, boolean hvm) {
        XmlNode cpu = null;
        Boolean nested = hvm ? c.bool("nestedhvm") : null;
        if (nested != null) {
            cpu = new XmlNode("cpu").attr("mode", "host-passthrough");
            if (!nested) {
                cpu.add(new XmlNode("feature").attr("policy", "disable").attr("name", "vmx"));
            }
        }
        if (cpu != null) {
            def.getExtraElements().add(cpu);
        }
        XlExtras.vnumaFromXl(c, def); // a new <cpu> with the cells, as libvirt makes it
        cpu = cpuNode(def);
        String cpuid = c.string("cpuid");
        if (cpuid != null) {
            if (cpu == null) {
                cpu = new XmlNode("cpu").attr("mode", "host-passthrough");
                def.getExtraElements().add(cpu);
            }
            String[] pairs = cpuid.split(",");
            if (!pairs[0].equals("host")) {
                throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL, "cpuid starting with " + pairs[0]
                        + " is not supported, only libxl format is");
            }
            for (int i = 1; i < pairs.length; i++) {
                String[] nv = pairs[i].split("=", 2);
                if (nv.length < 2) {
                    throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL,
                            "Invalid libxl cpuid key=value element: " + pairs[i]);
                }
                String policy = switch (nv[1]) {
                    case "1" -> "force";
                    case "0" -> "disable";
                    case "x", "k", "s" -> "optional";
                    default -> throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL,
                            "Invalid libxl cpuid value: " + pairs[i]);
                };
                cpu.add(new XmlNode("feature").attr("policy", policy).attr("name", cpuFeature(nv[0], true)));
            }
        }
    }

    /** libvirt's and libxl's names of the CPU features that differ. */
    private static final String[][] CPU_FEATURES = {{"cx16", "cmpxchg16"}, {"cid", "cntxid"}, {"ds_cpl", "dscpl"},
        {"pclmuldq", "pclmulqdq"}, {"pni", "sse3"}, {"ht", "htt"}, {"pn", "psn"}, {"clflush", "clfsh"},
        {"sep", "sysenter"}, {"cx8", "cmpxchg8"}, {"nodeid_msr", "nodeid"}, {"cr8legacy", "altmovcr8"},
        {"lahf_lm", "lahfsahf"}, {"cmp_legacy", "cmplegacy"}, {"fxsr_opt", "ffxsr"}, {"pdpe1gb", "page1gb"},
        {"spec-ctrl", "ibrsb"}};

    static String cpuFeature(String name, boolean fromLibxl) {
        for (String[] pair : CPU_FEATURES) {
            if (pair[fromLibxl ? 1 : 0].equals(name)) {
                return pair[fromLibxl ? 0 : 1];
            }
        }
        return name;
    }

    /** A channel: connection=pty or connection=socket with path, and name. */
    private static CharDeviceDef channel(Map<String, String> kv) {
        String conn = kv.get("connection");
        CharDeviceDef ch;
        if ("pty".equals(conn)) {
            ch = new CharDeviceDef("channel", "pty");
        } else if ("socket".equals(conn)) {
            ch = new CharDeviceDef("channel", "unix");
            ch.setSourceMode("bind");
            ch.setSourcePath(kv.get("path"));
        } else {
            throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL, "unknown channel connection '"
                    + conn + "'");
        }
        ch.setTargetType("xen");
        if (kv.get("name") != null) {
            ch.getTargetOtherAttributes().put("name", kv.get("name"));
        }
        return ch;
    }

    private static void xenbusLimits(XlConfig c, DomainDef def) {
        long events = c.number("max_event_channels", 0);
        long frames = c.number("max_grant_frames", 0);
        if (events > 0 || frames > 0) {
            ControllerDef bus = new ControllerDef("xenbus", 0);
            if (events > 0) {
                bus.getOtherAttributes().put("maxEventChannels", Long.toString(events));
            }
            if (frames > 0) {
                bus.getOtherAttributes().put("maxGrantFrames", Long.toString(frames));
            }
            def.getControllers().add(bus);
        }
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

    /**
     * The xl.cfg of a model, setting by setting in the order libvirt's xen-xl writer uses (general, memory,
     * CPUs, hypervisor features and timers, clock, lifecycle, emulator, graphics, vifs, serial/parallel, then
     * the OS and boot, then disks).
     */
    public static XlConfig toXl(DomainDef def) {
        return to(def, false);
    }

    /** The xen-xm config of a model: the settings shared with xl, then xm's OS, disks and USB input. */
    public static XlConfig toXm(DomainDef def) {
        return to(def, true);
    }

    private static XlConfig to(DomainDef def, boolean xm) {
        XlConfig c = new XlConfig();
        String os = def.getOs().getType();
        boolean hvm = "hvm".equals(os);
        boolean pvh = "xenpvh".equals(os);
        if (!"xen".equals(def.getType())) {
            throw unsupported("a domain of type '" + def.getType() + "' is not a Xen guest");
        }
        c.set("name", def.getName());
        c.set("uuid", def.getUuid().toString());
        c.set("maxmem", (def.getMemoryKiB() + 1023) / 1024);
        c.set("memory", (def.effectiveCurrentMemoryKiB() + 1023) / 1024);
        if (def.getCurrentVcpus() > 0 && def.getCurrentVcpus() < def.getVcpus()) {
            c.set("maxvcpus", def.getVcpus());
            c.set("vcpus", def.getCurrentVcpus());
        } else {
            c.set("vcpus", def.getVcpus());
        }
        if (def.getCpuset() != null) {
            c.set("cpus", def.getCpuset());
        }
        features(c, def, hvm);
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
            vifs.add(vif(n, hvm, xm ? "netfront" : "vif"));
        }
        if (!vifs.isEmpty()) {
            c.set("vif", vifs);
        }
        XlExtras.pciToXl(c, def);
        if (hvm) {
            charDevs(c, def, xm);
            List<String> sounds = new ArrayList<>();
            for (SoundDef snd : def.getSounds()) {
                sounds.add(sexpr(snd.getModel()));
            }
            if (!sounds.isEmpty()) {
                c.set("soundhw", String.join(",", sounds));
            }
        }
        if (xm) {
            XmFormat.osToXm(c, def, hvm);
            XmFormat.disksToXm(c, def);
            XmFormat.inputsToXm(c, def, hvm);
            return c;
        }
        osAndBoot(c, def, hvm, pvh);
        cpuid(c, def);
        XlExtras.vnumaToXl(c, def);
        ControllerDef bus = def.getControllers().stream().filter(b -> "xenbus".equals(b.getType())).findFirst()
                .orElse(null);
        if (bus != null) {
            String events = bus.getOtherAttributes().get("maxEventChannels");
            String frames = bus.getOtherAttributes().get("maxGrantFrames");
            if (events != null) {
                c.set("max_event_channels", Long.parseLong(events));
            }
            if (frames != null) {
                c.set("max_grant_frames", Long.parseLong(frames));
            }
        }
        List<String> disks = new ArrayList<>();
        for (DiskDef d : def.getDisks()) {
            disks.add(disk(d).spec());
        }
        if (!disks.isEmpty()) {
            c.set("disk", disks);
        }
        XlExtras.spiceToXl(c, def, hvm);
        XlExtras.inputsToXl(c, def, hvm);
        XlExtras.usbToXl(c, def);
        XlExtras.usbctrlToXl(c, def);
        List<String> channels = new ArrayList<>();
        for (CharDeviceDef ch : def.getChannels()) {
            if (!"xen".equals(ch.getTargetType())) {
                continue;
            }
            StringBuilder sb = new StringBuilder("connection=");
            switch (ch.getType()) {
                case "pty" -> sb.append("pty");
                case "unix" -> sb.append("socket,path=").append(ch.getSourcePath());
                default -> throw unsupported("channel type '" + ch.getType() + "' is not supported (pty, unix)");
            }
            String name = ch.getTargetOtherAttributes().get("name");
            if (name != null) {
                sb.append(",name=").append(name);
            }
            channels.add(sb.toString());
        }
        if (!channels.isEmpty()) {
            c.set("channel", channels);
        }
        XlExtras.namespaceToXl(c, def);
        return c;
    }

    private static void features(XlConfig c, DomainDef def, boolean hvm) {
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
        XlExtras.xenFeaturesToXl(c, def, hvm);
        for (XmlNode t : def.getClockChildren()) {
            if (!"timer".equals(t.getName())) {
                continue;
            }
            String name = t.attr("name");
            switch (name == null ? "" : name) {
                case "tsc" -> c.set("tsc_mode", switch (t.attr("mode") == null ? "" : t.attr("mode")) {
                    case "native" -> "native";
                    case "paravirt" -> "native_paravirt";
                    case "emulate" -> "always_emulate";
                    default -> "default";
                });
                case "hpet" -> {
                    if (!hvm) {
                        throw unsupported("unsupported timer type (name) 'hpet'");
                    }
                    c.set("hpet", "no".equals(t.attr("present")) ? 0 : 1);
                }
                default -> throw unsupported("unsupported timer type (name) '" + name + "'");
            }
        }
    }

    /** HVM serial and parallel ports: "none", one port 0 as a string, or a list up to the highest port. */
    private static void charDevs(XlConfig c, DomainDef def, boolean xm) {
        List<CharDeviceDef> par = def.getParallels();
        c.set("parallel", par.isEmpty() ? "none" : charSpec(par.get(0)));
        List<CharDeviceDef> ser = def.getSerials();
        if (ser.isEmpty()) {
            c.set("serial", "none");
        } else if (ser.size() == 1 && Math.max(0, ser.get(0).getTargetPort()) == 0) {
            c.set("serial", charSpec(ser.get(0)));
        } else {
            if (xm) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXM,
                        "Multiple serial devices are not supported by xen-xm");
            }
            int max = -1;
            for (CharDeviceDef s : ser) {
                max = Math.max(max, s.getTargetPort());
            }
            List<String> list = new ArrayList<>();
            for (int port = 0; port <= max; port++) {
                String spec = "none";
                for (CharDeviceDef s : ser) {
                    if (s.getTargetPort() == port) {
                        spec = charSpec(s);
                        break;
                    }
                }
                list.add(spec);
            }
            c.set("serial", list);
        }
    }

    private static XmlNode cpuNode(DomainDef def) {
        for (XmlNode x : def.getExtraElements()) {
            if (x.getName().equals("cpu")) {
                return x;
            }
        }
        return null;
    }

    /** A host-passthrough CPU's features as xl's cpuid ("host,NAME=1|0|x,..."); vmx/svm are nestedhvm. */
    private static void cpuid(XlConfig c, DomainDef def) {
        XmlNode cpu = cpuNode(def);
        if (cpu == null || !"host-passthrough".equals(cpu.attr("mode"))) {
            return;
        }
        StringBuilder sb = new StringBuilder("host");
        boolean any = false;
        for (XmlNode f : cpu.children("feature")) {
            String name = cpuFeature(f.attr("name"), false);
            if (name.equals("vmx") || name.equals("svm")) {
                continue;
            }
            String policy = f.attr("policy") == null ? "require" : f.attr("policy");
            sb.append(',').append(name).append('=').append(switch (policy) {
                case "force", "require" -> "1";
                case "optional" -> "x";
                default -> "0";
            });
            any = true;
        }
        if (any) {
            c.set("cpuid", sb.toString());
        }
    }

    private static void osAndBoot(XlConfig c, DomainDef def, boolean hvm, boolean pvh) {
        if (hvm) {
            c.set("builder", "hvm");
            if ("pflash".equals(def.getOs().getLoaderAttributes().get("type")) && def.getOs().getFirmware() == null) {
                c.set("bios", "ovmf");
            }
            for (XmlNode a : def.getOs().getExtraElements()) {
                XmlNode table = a.getName().equals("acpi") ? a.child("table") : null;
                if (table != null && "slic".equals(table.attr("type"))) {
                    c.set("acpi_firmware", table.getText());
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
            StringBuilder boot = new StringBuilder();
            for (String b : def.getOs().getBootDevices()) {
                int i = List.of(BOOT_DEVS).indexOf(b);
                boot.append(i < 0 ? 'c' : BOOT_CHARS.charAt(i));
            }
            c.set("boot", boot.length() == 0 ? "c" : boot.toString());
            XmlNode cpu = cpuNode(def);
            if (cpu != null && "host-passthrough".equals(cpu.attr("mode"))) {
                boolean hwVirt = true;
                for (XmlNode f : cpu.children("feature")) {
                    if (("disable".equals(f.attr("policy")) || "forbid".equals(f.attr("policy")))
                            && ("vmx".equals(f.attr("name")) || "svm".equals(f.attr("name")))) {
                        hwVirt = false;
                    }
                }
                c.set("nestedhvm", hwVirt ? 1 : 0);
            }
            return;
        }
        if (pvh) {
            c.set("type", "pvh");
        }
        if (def.getOs().getBootloader() != null) {
            c.set("bootloader", def.getOs().getBootloader());
        }
        if (def.getOs().getBootloaderArgs() != null) {
            c.set("bootargs", def.getOs().getBootloaderArgs());
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

    /** Graphics as libvirt writes them: only a single non-spice device (vnc=/sdl= for HVM, vfb= for PV). */
    private static void graphics(XlConfig c, DomainDef def, boolean hvm) {
        if (def.getGraphics().size() != 1 || "spice".equals(def.getGraphics().get(0).getType())) {
            return;
        }
        GraphicsDef g = def.getGraphics().get(0);
        boolean sdl = "sdl".equals(g.getType());
        if (!sdl && !"vnc".equals(g.getType())) {
            throw unsupported("graphics type '" + g.getType() + "' is not supported for Xen guests");
        }
        if (hvm) {
            c.set("sdl", sdl ? 1 : 0);
            c.set("vnc", sdl ? 0 : 1);
            if (!sdl) {
                c.set("vncunused", g.isAutoport() ? 1 : 0);
                if (!g.isAutoport()) {
                    c.set("vncdisplay", g.getPort() - 5900);
                }
                if (g.getListen() != null) {
                    c.set("vnclisten", g.getListen());
                }
                if (g.getPasswd() != null) {
                    c.set("vncpasswd", g.getPasswd());
                }
                if (g.getKeymap() != null) {
                    c.set("keymap", g.getKeymap());
                }
            }
            return;
        }
        StringBuilder sb = new StringBuilder(sdl ? "type=sdl" : "type=vnc");
        if (!sdl) {
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
        }
        c.set("vfb", List.of(sb.toString()));
    }

    /** One vif spec: mac, bridge (with an Open vSwitch VLAN suffix), ip, script, model or type, vifname, rate. */
    /** The xl vif spec of one interface, as {@code xl network-attach} takes it. */
    public static String vifSpec(InterfaceDef n, boolean hvm) {
        return vif(n, hvm, "vif");
    }

    private static String vif(InterfaceDef n, boolean hvm, String typeName) {
        StringBuilder sb = new StringBuilder("mac=").append(n.getMac() == null ? "00:00:00:00:00:00" : n.getMac());
        String ips = ips(n);
        switch (n.getType()) {
            case "bridge" -> {
                sb.append(",bridge=").append(n.getSourceBridge());
                String script = n.getScript();
                XmlNode port = extra(n, "virtualport");
                if (port != null && "openvswitch".equals(port.attr("type"))) {
                    if (script == null) {
                        script = "vif-openvswitch";
                    }
                    XmlNode vlan = extra(n, "vlan");
                    if (vlan != null && !vlan.children("tag").isEmpty()) {
                        if ("yes".equals(vlan.attr("trunk"))) {
                            for (XmlNode t : vlan.children("tag")) {
                                sb.append(':').append(t.attr("id"));
                            }
                        } else {
                            sb.append('.').append(vlan.children("tag").get(0).attr("id"));
                        }
                    }
                }
                if (ips != null) {
                    sb.append(",ip=").append(ips);
                }
                sb.append(",script=").append(script == null ? "vif-bridge" : script);
            }
            case "ethernet" -> {
                if (n.getScript() != null) {
                    sb.append(",script=").append(n.getScript());
                }
                if (ips != null) {
                    sb.append(",ip=").append(ips);
                }
            }
            default -> throw unsupported("Unsupported net type '" + n.getType() + "'");
        }
        if (n.getModel() != null) {
            sb.append(hvm && n.getModel().equals("netfront") ? ",type=" + typeName : ",model=" + n.getModel());
        }
        if (n.getTargetDev() != null) {
            sb.append(",vifname=").append(n.getTargetDev());
        }
        XmlNode bw = extra(n, "bandwidth");
        XmlNode out = bw == null ? null : bw.child("outbound");
        if (out != null && out.attr("average") != null && !"0".equals(out.attr("average"))) {
            sb.append(",rate=").append(out.attr("average")).append("KB/s");
        }
        return sb.toString();
    }

    private static String ips(InterfaceDef n) {
        List<String> ips = new ArrayList<>();
        for (XmlNode x : n.getExtraElements()) {
            if (x.getName().equals("ip") && x.attr("address") != null) {
                ips.add(x.attr("address"));
            }
        }
        return ips.isEmpty() ? null : String.join(" ", ips);
    }

    private static XmlNode extra(InterfaceDef n, String name) {
        for (XmlNode x : n.getExtraElements()) {
            if (x.getName().equals(name)) {
                return x;
            }
        }
        return null;
    }

    /** A serial or parallel device as libvirt's xen converter writes it (see {@link #charDev}). */
    private static String charSpec(CharDeviceDef s) {
        return switch (s.getType()) {
            case "pty", "null", "stdio", "vc" -> s.getType();
            case "file", "pipe" -> s.getType() + ":" + sexpr(s.getSourcePath());
            case "dev" -> sexpr(s.getSourcePath());
            case "tcp" -> (s.getProtocolType() == null || "raw".equals(s.getProtocolType()) ? "tcp" : "telnet") + ":" + nz(s.getSourceHost()) + ":"
                    + nz(s.getSourceService()) + ("bind".equals(s.getSourceMode()) ? ",server,nowait" : "");
            case "udp" -> {
                String[] bind = {null, null};
                String[] connect = {null, null};
                String[] first = "bind".equals(s.getSourceMode()) ? bind : connect;
                first[0] = s.getSourceHost();
                first[1] = s.getSourceService();
                for (XmlNode x : s.getSourceExtra()) {
                    String[] which = "bind".equals(x.attr("mode")) ? bind : connect;
                    which[0] = x.attr("host");
                    which[1] = x.attr("service");
                }
                yield "udp:" + nz(connect[0]) + ":" + nz(connect[1]) + "@" + nz(bind[0]) + ":" + nz(bind[1]);
            }
            case "unix" -> "unix:" + sexpr(s.getSourcePath()) + ("bind".equals(s.getSourceMode()) ? ",server,nowait" : "");
            default -> throw unsupported("unsupported chr device type '" + s.getType() + "'");
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** libvirt's virBufferEscapeSexpr: a backslash before each backslash and single quote. */
    private static String sexpr(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("'", "\\'");
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
        String target = "network".equals(d.getType()) ? XlExtras.networkDiskTarget(d)
                : d.getSourcePath() == null ? "" : d.getSourcePath();
        if ("network".equals(d.getType()) && d.getDriverType() == null) {
            format = "raw";
        }
        return new XlDisk(target, format, d.getTargetDev(), !d.isReadonly(), backend, cdrom);
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static VirtException unsupported(String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXL, detail);
    }
}
