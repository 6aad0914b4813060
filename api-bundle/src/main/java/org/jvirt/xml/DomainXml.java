package org.jvirt.xml;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * Parses and formats domain XML. {@link #parse(String, DomainXmlHooks)} is the one place that fixes
 * the order: parse (with generic defaults), the driver's post-parse hook, generic post-parse and
 * validation, the driver's validate hook. {@link #format} is pure and writes libvirt's layout.
 */
public final class DomainXml {

    /**
     * Formatting options.
     *
     * @param id       the running domain's id, written as {@code id='N'} when {@code >= 0}
     * @param secure   include secrets such as the VNC password
     * @param inactive format the persistent definition (auto ports as -1, no pty paths)
     */
    public record Format(int id, boolean secure, boolean inactive) {
        /** No id, not secure, live. */
        public static final Format DEFAULT = new Format(-1, false, false);
        /** The inactive, persistent definition: no id, not secure. */
        public static final Format INACTIVE = new Format(-1, false, true);

        public Format withId(int newId) {
            return new Format(newId, secure, inactive);
        }

        public Format withSecure(boolean s) {
            return new Format(id, s, inactive);
        }

        public Format withInactive(boolean i) {
            return new Format(id, secure, i);
        }
    }

    private static final String WHAT = "domain_definition";

    private static final Set<String> VIRT_TYPES = Set.of("none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml",
        "openvz", "test", "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "hvf");
    private static final Set<String> OS_TYPES = Set.of("hvm", "xen", "linux", "exe", "uml", "xenpvh");
    private static final Set<String> LIFECYCLE = Set.of("destroy", "restart", "rename-restart", "preserve");
    private static final Set<String> CRASH = Set.of("destroy", "restart", "rename-restart", "preserve",
        "coredump-destroy", "coredump-restart");
    private static final Set<String> BOOT_DEVS = Set.of("fd", "hd", "cdrom", "network");

    /** libvirt's order of the {@code <features>} children. */
    private static final String[] FEATURE_ORDER = {"acpi", "apic", "pae", "hap", "viridian", "privnet", "hyperv",
        "kvm", "pvspinlock", "capabilities", "pmu", "vmport", "gic", "smm", "ioapic", "hpt", "vmcoreinfo", "htm",
        "nested-hv", "msrs", "ccf-assist", "xen", "cfpc", "sbbc", "ibs", "tcg", "async-teardown"};

    /** Top-level elements kept as trees, and the element each is written before. */
    private static final Map<String, Integer> TOP_SLOT = new HashMap<>();
    private static final String[] TOP_ORDER = {"name", "uuid", "genid", "title", "description", "metadata",
        "maxMemory", "memory", "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus",
        "iothreads", "iothreadids", "defaultiothread", "cputune", "numatune", "resource", "sysinfo", "bootloader",
        "bootloader_args", "os", "idmap", "throttlegroups", "features", "cpu", "clock", "on_poweroff", "on_reboot",
        "on_crash", "on_lockfailure", "pm", "perf", "devices", "seclabel", "keywrap", "launchSecurity"};

    /** Device element names in libvirt's output order. */
    private static final String[] DEVICE_ORDER = {"emulator", "disk", "controller", "lease", "filesystem",
        "interface", "smartcard", "serial", "parallel", "console", "channel", "input", "tpm", "graphics", "sound",
        "audio", "video", "hostdev", "redirdev", "redirfilter", "hub", "watchdog", "memballoon", "rng", "nvram",
        "panic", "shmem", "memory", "iommu", "vsock", "crypto"};
    private static final Set<String> GENERIC_DEVICES = new HashSet<>(List.of("lease", "filesystem", "smartcard",
        "tpm", "audio", "hostdev", "redirdev", "redirfilter", "hub", "watchdog", "rng", "nvram", "panic", "shmem",
        "memory", "iommu", "vsock", "crypto"));

    static {
        for (int i = 0; i < TOP_ORDER.length; i++) {
            TOP_SLOT.put(TOP_ORDER[i], i);
        }
    }

    private DomainXml() {
    }

    /** Parses a domain with generic defaults and validation only. */
    public static DomainDef parse(String xml) {
        return parse(xml, DomainXmlHooks.NONE);
    }

    /** Parses, then runs the hooks' post-parse, generic post-parse and validation, then the hooks' validate. */
    public static DomainDef parse(String xml, DomainXmlHooks hooks) {
        return parse(xml, hooks, false);
    }

    /**
     * As {@link #parse(String, DomainXmlHooks)}; with {@code validateSchema} (libvirt's VALIDATE flags of
     * define and create) the well-formed document must first pass libvirt's RELAX NG schema, see
     * {@link LibvirtSchema#check}.
     */
    public static DomainDef parse(String xml, DomainXmlHooks hooks, boolean validateSchema) {
        XmlNode root = XmlIn.read(xml, WHAT);
        if (validateSchema) {
            LibvirtSchema.check("domain", xml);
        }
        boolean uuidGiven = root.child("uuid") != null;
        DomainDef def = parseDomain(root);
        DomainChecks checks = new DomainChecks(root);
        checks.parse(def, uuidGiven);
        if (hooks == null) {
            hooks = DomainXmlHooks.NONE;
        }
        hooks.postParse(def);
        checks.postParse(hooks);
        postParseCommon(def);
        checks.addImplicitDevices(def);
        validate(def);
        checks.validate(def);
        hooks.validate(def);
        return def;
    }

    // ------------------------------------------------------------------ parse

    private static DomainDef parseDomain(XmlNode root) {
        if (!root.getName().equals("domain")) {
            throw XmlIn.xmlError("expecting root element of 'domain', not '" + root.getName() + "'");
        }
        DomainDef def = new DomainDef();
        for (Map.Entry<String, String> e : root.getAttributes().entrySet()) {
            switch (e.getKey()) {
                case "type": def.setType(e.getValue()); break;
                case "id": break;
                default:
                    // libvirt ignores attributes it does not know; namespace declarations stay for the
                    // driver's namespaced elements (qemu:commandline)
                    if (e.getKey().startsWith("xmlns:")) {
                        def.getOtherAttributes().put(e.getKey(), e.getValue());
                    }
            }
        }
        if (def.getType() == null) {
            throw XmlIn.xmlError("missing domain type attribute");
        }
        if (!VIRT_TYPES.contains(def.getType())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                "invalid domain type " + def.getType());
        }
        boolean sawMemory = false;
        boolean sawCurrent = false;
        XmlNode devices = null;
        for (XmlNode c : root.getChildren()) {
            String n = c.getName();
            switch (n) {
                case "name": def.setName(XmlIn.trimToNull(c.getText())); break;
                case "uuid":
                    if (c.getText() == null || c.getText().isBlank()) {
                        throw XmlIn.xmlError("malformed uuid element");
                    }
                    try {
                        def.setUuid(XmlIn.uuid(c.getText(), "uuid"));
                    } catch (VirtException e) {
                        throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN, "malformed uuid element");
                    }
                    break;
                case "title": def.setTitle(c.getText() == null ? "" : c.getText()); break;
                case "description": def.setDescription(c.getText() == null ? "" : c.getText()); break;
                case "memory":
                    def.setMemoryKiB(XmlIn.memoryKiB(c, "memory"));
                    sawMemory = true;
                    break;
                case "currentMemory":
                    def.setCurrentMemoryKiB(XmlIn.memoryKiB(c, "currentMemory"));
                    sawCurrent = true;
                    break;
                case "vcpu": parseVcpu(def, c); break;
                case "bootloader": def.getOs().setBootloader(XmlIn.trimToNull(c.getText())); break;
                case "bootloader_args": def.getOs().setBootloaderArgs(c.getText() == null ? "" : c.getText().trim()); break;
                case "os": parseOs(def.getOs(), c); break;
                case "features":
                    for (XmlNode f : c.getChildren()) {
                        def.getFeatures().add(f.getName());
                        if (!f.getAttributes().isEmpty() || !f.getChildren().isEmpty()) {
                            def.getFeatureDetails().put(f.getName(), f);
                        }
                    }
                    break;
                case "clock":
                    for (Map.Entry<String, String> e : c.getAttributes().entrySet()) {
                        if (e.getKey().equals("offset")) {
                            def.setClockOffset(e.getValue());
                        } else {
                            def.getClockAttributes().put(e.getKey(), e.getValue());
                        }
                    }
                    switch (def.getClockOffset()) {
                        case "utc": case "localtime": case "timezone": case "variable": case "absolute":
                            break;
                        default:
                            throw XmlIn.xmlError("unknown clock offset '" + def.getClockOffset() + "'");
                    }
                    def.getClockChildren().addAll(c.getChildren());
                    break;
                case "on_poweroff": def.setOnPoweroff(lifecycle(c, LIFECYCLE)); break;
                case "on_reboot": def.setOnReboot(lifecycle(c, LIFECYCLE)); break;
                case "on_crash": def.setOnCrash(lifecycle(c, CRASH)); break;
                case "devices": devices = c; break;
                default:
                    // elements libvirt does not know are ignored and dropped, as libvirt does; those
                    // of a namespace are the driver's to keep or drop
                    if (TOP_SLOT.containsKey(n) || n.indexOf(':') > 0) {
                        def.getExtraElements().add(c);
                    }
            }
        }
        if (def.getName() == null) {
            throw new VirtException(ErrorCode.NO_NAME, ErrorDomain.DOMAIN, null); // libvirt: no detail
        }
        if (def.getName().indexOf('/') >= 0) {
            throw XmlIn.xmlError("name " + def.getName() + " cannot contain '/'");
        }
        if (def.getUuid() == null) {
            def.setUuid(XmlIn.randomUuid());
        }
        if (!sawMemory) {
            // libvirt takes the memory of the guest NUMA cells; without them validation refuses
            def.setMemoryKiB(TuningRules.numaMemoryKiB(root));
        }
        if (!sawCurrent || def.getCurrentMemoryKiB() == 0) {
            def.setCurrentMemoryKiB(def.getMemoryKiB());
        }
        OsDef os = def.getOs();
        if (os.getType() == null) {
            throw XmlIn.xmlError("an os <type> must be specified");
        }
        if (os.getBootloader() != null) {
            os.getBootDevices().clear();
            os.setBootMenu(null);
        }
        if (devices != null) {
            for (XmlNode c : devices.getChildren()) {
                if (c.getName().equals("emulator")) {
                    def.setEmulator(XmlIn.trimToNull(c.getText()));
                } else if (c.getName().equals("controller")) {
                    ImplicitDevices.insertController(def.getControllers(), (ControllerDef) parseDeviceNode(c, false, true));
                } else if (c.getName().equals("disk")) {
                    insertDisk(def.getDisks(), (DiskDef) parseDeviceNode(c, false, true));
                } else if (KNOWN_GENERIC_ORDER.contains(c.getName())) {
                    def.addDevice(parseDeviceNode(c, false, true));
                }
            }
        }
        if (os.getType().equals("hvm") && os.getBootloader() == null
            && os.getBootDevices().isEmpty() && !hasDeviceBoot(def)) {
            os.getBootDevices().add("hd");
        }
        return def;
    }

    /**
     * virDomainDiskInsert: a disk goes before the first later disk of its bus with a higher drive index, else
     * after the last disk of its bus, else at the end. libvirt compares the buses the document gives (a
     * missing one is derived later), so its output of disks without a bus can reorder when defined again;
     * this compares the derived buses, which gives libvirt's order of its own output and is stable.
     */
    private static void insertDisk(List<DiskDef> disks, DiskDef disk) {
        int insertAt = -1;
        int index = DriveRules.diskIndex(disk.getTargetDev());
        for (int i = disks.size() - 1; i >= 0; i--) {
            DiskDef d = disks.get(i);
            if (!d.getTargetBus().equals(disk.getTargetBus())) {
                continue;
            }
            if (DriveRules.diskIndex(d.getTargetDev()) > index) {
                insertAt = i;
            } else if (insertAt == -1) {
                insertAt = i + 1;
            }
        }
        disks.add(insertAt < 0 ? disks.size() : insertAt, disk);
    }

    private static boolean hasDeviceBoot(DomainDef def) {
        for (DeviceDef d : def.getAllDevices()) {
            if (d.getBootOrder() > 0) {
                return true;
            }
        }
        return false;
    }

    private static String lifecycle(XmlNode c, Set<String> allowed) {
        String v = c.getText() == null ? "" : c.getText().trim();
        if (!allowed.contains(v)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                    "unknown " + c.getName() + " action: " + v);
        }
        return v;
    }

    private static void parseVcpu(DomainDef def, XmlNode c) {
        String text = c.getText() == null ? "" : c.getText().trim();
        int max;
        try {
            max = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw XmlIn.xmlError("maximum vcpus count must be an integer in <vcpu>: '" + text + "'");
        }
        if (max <= 0) {
            throw XmlIn.xmlError("Invalid value '" + text + "' for <vcpu>: must be positive");
        }
        def.setVcpus(max);
        String cur = c.attr("current");
        if (cur != null) {
            int n;
            try {
                n = Integer.parseInt(cur.trim());
            } catch (NumberFormatException e) {
                throw XmlIn.xmlError("current vcpus count must be an integer in <vcpu current='" + cur + "'>");
            }
            if (n > max) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                        "maximum vCPU count must not be less than current vCPU count");
            }
            if (n <= 0) {
                throw XmlIn.xmlError("requested vcpus (" + cur + ") is invalid or greater than max allowable vcpus ("
                    + max + ") in <vcpu>");
            }
            def.setCurrentVcpus(n == max ? 0 : n);
        }
        String placement = c.attr("placement");
        if (placement != null) {
            if (!placement.equals("static") && !placement.equals("auto")) {
                throw XmlIn.xmlError("Unsupported CPU placement mode '" + placement + "' in <vcpu>");
            }
            def.setVcpuPlacement(placement);
        }
        def.setCpuset(c.attr("cpuset"));
    }

    private static void parseOs(OsDef os, XmlNode n) {
        if (n.attr("firmware") != null) {
            os.setFirmware(n.attr("firmware"));
        }
        for (XmlNode c : n.getChildren()) {
            switch (c.getName()) {
                case "type": {
                    String t = c.getText() == null ? "" : c.getText().trim();
                    if (!OS_TYPES.contains(t)) {
                        throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, "unknown OS type '" + t + "'");
                    }
                    os.setType(t);
                    os.setArch(c.attr("arch"));
                    os.setMachine(c.attr("machine"));
                    break;
                }
                case "loader":
                    os.setLoader(XmlIn.trimToNull(c.getText()));
                    os.getLoaderAttributes().putAll(c.getAttributes());
                    break;
                case "nvram": os.setNvram(c); break;
                case "kernel": os.setKernel(XmlIn.trimToNull(c.getText())); break;
                case "initrd": os.setInitrd(XmlIn.trimToNull(c.getText())); break;
                case "cmdline": os.setCmdline(c.getText() == null ? "" : c.getText()); break;
                case "dtb": os.setDtb(XmlIn.trimToNull(c.getText())); break;
                case "root": os.setRoot(XmlIn.trimToNull(c.getText())); break;
                case "init": os.setInit(XmlIn.trimToNull(c.getText())); break;
                case "initarg": os.getInitArgs().add(c.getText() == null ? "" : c.getText().trim()); break;
                case "initenv": os.getInitEnv().add(c); break;
                case "initdir": os.setInitDir(XmlIn.trimToNull(c.getText())); break;
                case "boot": {
                    String dev = c.attr("dev");
                    if (dev == null || !BOOT_DEVS.contains(dev)) {
                        throw XmlIn.xmlError("unknown boot device '" + dev + "' in <os><boot>");
                    }
                    if (os.getBootDevices().size() < 4) {
                        os.getBootDevices().add(dev);
                    }
                    break;
                }
                case "bootmenu": os.setBootMenu(c); break;
                case "smbios": os.setSmbios(c); break;
                case "bios": os.setBios(c); break;
                default: os.getExtraElements().add(c);
            }
        }
        if (os.getLoader() != null && !os.getLoaderAttributes().containsKey("type")) {
            Map<String, String> attrs = new java.util.LinkedHashMap<>(os.getLoaderAttributes());
            os.getLoaderAttributes().clear();
            os.getLoaderAttributes().putAll(attrs);
            os.getLoaderAttributes().put("type", "rom");
        }
    }

    private static DeviceDef parseDeviceNode(XmlNode c, boolean partial, boolean keepUnknown) {
        DeviceSchema.prune(c);
        switch (c.getName()) {
            case "disk": return DiskDef.parse(c, partial);
            case "controller": return ControllerDef.parse(c);
            case "interface": return InterfaceDef.parse(c, partial);
            case "serial": case "parallel": case "console": case "channel": return CharDeviceDef.parse(c);
            case "input": return InputDef.parse(c);
            case "graphics": return GraphicsDef.parse(c);
            case "sound": return SoundDef.parse(c);
            case "video": return VideoDef.parse(c);
            case "memballoon": return MemballoonDef.parse(c);
            default:
                if (GENERIC_DEVICES.contains(c.getName()) || keepUnknown) {
                    return GenericDeviceDef.parse(c);
                }
                throw XmlIn.xmlError("unknown device type '" + c.getName() + "'");
        }
    }

    /** Parses one device element ({@code <disk>}, {@code <interface>}, ...) for attach. */
    public static DeviceDef parseDevice(String xml) {
        DeviceDef d = parseDeviceNode(XmlIn.read(xml, "device_definition"), false, false);
        postParseDevice(d, null);
        return d;
    }

    /**
     * Parses a possibly partial device description for detach: a disk needs only its target or source,
     * an interface only its mac or type and target.
     */
    public static DeviceDef parsePartialDevice(String xml) {
        return parseDeviceNode(XmlIn.read(xml, "device_definition"), true, false);
    }

    /**
     * Whether {@code candidate}, a device of a domain, is the one a partial description names:
     * disks by target dev (or source when no target), interfaces by mac (or type plus target/source),
     * character devices by kind and target port, others by element and address or full equality.
     */
    public static boolean matches(DeviceDef candidate, DeviceDef partial) {
        if (candidate == null || partial == null || !candidate.getElementName().equals(partial.getElementName())) {
            return false;
        }
        if (candidate instanceof DiskDef d && partial instanceof DiskDef p) {
            return d.matches(p);
        }
        if (candidate instanceof InterfaceDef d && partial instanceof InterfaceDef p) {
            return d.matches(p);
        }
        if (candidate instanceof CharDeviceDef d && partial instanceof CharDeviceDef p) {
            return d.matches(p);
        }
        if (partial.getAddress() != null) {
            return partial.getAddress().equals(candidate.getAddress());
        }
        if (candidate instanceof ControllerDef d && partial instanceof ControllerDef p) {
            return d.getType().equals(p.getType()) && (p.getIndex() < 0 || p.getIndex() == d.getIndex());
        }
        if (candidate instanceof InputDef d && partial instanceof InputDef p) {
            return d.getType().equals(p.getType()) && (p.getBus() == null || p.getBus().equals(d.getBus()));
        }
        if (candidate instanceof GraphicsDef d && partial instanceof GraphicsDef p) {
            return d.getType().equals(p.getType());
        }
        if (candidate instanceof SoundDef d && partial instanceof SoundDef p) {
            return d.getModel().equals(p.getModel());
        }
        if (candidate instanceof VideoDef d && partial instanceof VideoDef p) {
            return d.getModelType().equals(p.getModelType()) || "default".equals(p.getModelType());
        }
        if (candidate instanceof MemballoonDef) {
            return true;
        }
        if (candidate instanceof GenericDeviceDef d && partial instanceof GenericDeviceDef p) {
            XmlNode pn = p.getNode();
            for (Map.Entry<String, String> e : pn.getAttributes().entrySet()) {
                if (!e.getValue().equals(d.getNode().attr(e.getKey()))) {
                    return false;
                }
            }
            return pn.getChildren().isEmpty() || pn.getChildren().equals(d.getNode().getChildren());
        }
        return false;
    }

    /** Finds the first device of {@code def} matching a partial description, or null. */
    public static DeviceDef findDevice(DomainDef def, DeviceDef partial) {
        for (DeviceDef d : def.getAllDevices()) {
            if (matches(d, partial)) {
                return d;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ post-parse and validation

    private static void postParseDevice(DeviceDef d, String osType) {
        if (d instanceof VideoDef v) {
            if (v.getHeads() == 0 && !"none".equals(v.getModelType())) {
                v.setHeads(1);
            }
            if (v.getVram() == 0) {
                switch (v.getModelType()) {
                    case "vga": case "cirrus": case "vmvga": v.setVram(16384); break;
                    case "qxl":
                        v.setVram(65536);
                        if (v.getRam() == 0) {
                            v.setRam(65536);
                        }
                        break;
                    case "vbox": v.setVram(8192); break;
                    default: break;
                }
            }
        } else if (d instanceof InputDef i && i.getBus() == null && osType != null
                && Set.of("mouse", "keyboard", "tablet").contains(i.getType())) {
            if (i.getType().equals("tablet")) {
                i.setBus("usb");
            } else if (osType.equals("hvm")) {
                i.setBus("ps2");
            } else if (osType.equals("xen") || osType.equals("linux") || osType.equals("xenpvh")) {
                i.setBus("xen");
            }
        }
    }

    /** Generic post-parse, after the driver's: the defaults a driver may have chosen differently. */
    private static void postParseCommon(DomainDef def) {
        String osType = def.getOs().getType();
        for (DeviceDef d : def.getAllDevices()) {
            postParseDevice(d, osType);
        }
        if (!def.getVideos().isEmpty()) {
            boolean any = false;
            for (VideoDef v : def.getVideos()) {
                any |= v.isPrimary();
            }
            if (!any) {
                def.getVideos().get(0).setPrimary(true);
            }
        }
        // controller indexes
        Map<String, BitSet> used = new HashMap<>();
        for (ControllerDef c : def.getControllers()) {
            if (c.getIndex() >= 0) {
                used.computeIfAbsent(c.getType(), k -> new BitSet()).set(c.getIndex());
            }
        }
        for (ControllerDef c : def.getControllers()) {
            if (c.getIndex() < 0) {
                BitSet b = used.computeIfAbsent(c.getType(), k -> new BitSet());
                int idx = b.nextClearBit(0);
                c.setIndex(idx);
                b.set(idx);
            }
        }
        assignPorts(def.getSerials());
        assignPorts(def.getParallels());
        // consoles: the first is the serial console unless it says otherwise
        List<CharDeviceDef> consoles = def.getConsoles();
        for (int i = 0; i < consoles.size(); i++) {
            CharDeviceDef c = consoles.get(i);
            if (c.getTargetType() == null) {
                c.setTargetType(i == 0 && !"exe".equals(osType) ? "serial" : defaultConsoleType(def));
            }
        }
        if (!consoles.isEmpty() && "serial".equals(consoles.get(0).getTargetType())) {
            CharDeviceDef con = consoles.get(0);
            if (!def.getSerials().isEmpty()) {
                CharDeviceDef ser = def.getSerials().get(0);
                String serType = ser.getTargetType();
                ser.copyDataTo(con);
                con.setTargetType("serial");
                ser.setTargetType(serType);
            } else if ("hvm".equals(osType)) {
                CharDeviceDef ser = new CharDeviceDef("serial", con.getType());
                con.copyDataTo(ser);
                ser.setTargetType(null);
                if (ser.getTargetPort() < 0) {
                    ser.setTargetPort(0);
                }
                def.getSerials().add(ser);
            }
            if (con.getTargetPort() < 0) {
                con.setTargetPort(0);
            }
        }
        for (int i = 0; i < consoles.size(); i++) {
            if (consoles.get(i).getTargetPort() < 0) {
                consoles.get(i).setTargetPort(i);
            }
        }
        if ("auto".equals(def.getVcpuPlacement())) {
            boolean hasNumatune = false;
            for (XmlNode x : def.getExtraElements()) {
                hasNumatune |= x.getName().equals("numatune");
            }
            if (!hasNumatune) {
                def.getExtraElements().add(new XmlNode("numatune")
                    .add(new XmlNode("memory").attr("mode", "strict").attr("placement", "auto")));
            }
        }
    }

    private static String defaultConsoleType(DomainDef def) {
        String t = def.getType();
        if ("lxc".equals(t) || "openvz".equals(t)) {
            return t;
        }
        if ("xen".equals(t)) {
            return "xen";
        }
        return "virtio";
    }

    private static void assignPorts(List<CharDeviceDef> list) {
        int max = -1;
        for (CharDeviceDef c : list) {
            if (c.getTargetPort() >= 0) {
                max = Math.max(max, c.getTargetPort());
            } else {
                c.setTargetPort(max + 1);
                max++;
            }
        }
    }

    private static void validate(DomainDef def) {
        if (def.getCurrentMemoryKiB() > def.getMemoryKiB()) {
            def.setCurrentMemoryKiB(def.getMemoryKiB());
        }
        // post-parse (virDomainDefPostParseMemory, virDomainDefBootOrderPostParse) comes before validation
        if (def.getMemoryKiB() <= 0) {
            throw XmlIn.xmlError("Memory size must be specified via <memory> or in the <numa> configuration");
        }
        Set<Integer> bootOrders = new HashSet<>();
        for (DeviceDef d : def.getAllDevices()) {
            if (d.getBootOrder() > 0 && !bootOrders.add(d.getBootOrder())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                    "boot order '" + d.getBootOrder() + "' used for more than one device");
            }
        }
        if (!bootOrders.isEmpty() && !def.getOs().getBootDevices().isEmpty()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                "per-device boot elements cannot be used together with os/boot elements");
        }
        Map<String, DiskDef> targets = new HashMap<>();
        for (DiskDef d : def.getDisks()) {
            DiskDef first = targets.putIfAbsent(d.getTargetDev(), d);
            if (first != null) {
                throw XmlIn.xmlError("target '" + d.getTargetDev() + "' duplicated for disk sources '"
                    + sourceOrNull(first) + "' and '" + sourceOrNull(d) + "'");
            }
        }
        for (int i = 1; i < def.getConsoles().size(); i++) {
            if ("serial".equals(def.getConsoles().get(i).getTargetType())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                    "Only the first console can be a serial port");
            }
        }
    }

    /** virDomainDiskGetSource as libvirt prints it: the path (or a network disk's name), or {@code <null>}. */
    private static String sourceOrNull(DiskDef d) {
        String s = d.getSourcePath();
        if (s == null && d.getSourceNode() != null) {
            s = d.getSourceNode().attr("name");
        }
        return s == null ? "<null>" : s;
    }

    // ------------------------------------------------------------------ format

    /** Formats a domain in libvirt's canonical layout. */
    public static String format(DomainDef def, Format opts) {
        if (opts == null) {
            opts = Format.DEFAULT;
        }
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<domain");
        XmlOut.attr(sb, "type", def.getType());
        if (opts.id() >= 0) {
            XmlOut.attr(sb, "id", opts.id());
        }
        for (Map.Entry<String, String> e : def.getOtherAttributes().entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        sb.append(">\n");
        List<XmlNode> extras = def.getExtraElements();
        boolean hasExtras = !extras.isEmpty();
        XmlOut.elem(sb, 2, "name", def.getName());
        if (def.getUuid() != null) {
            XmlOut.elem(sb, 2, "uuid", def.getUuid().toString());
        }
        if (hasExtras) {
            extrasUpTo(sb, extras, "title");
        }
        XmlOut.elem(sb, 2, "title", def.getTitle());
        XmlOut.elem(sb, 2, "description", def.getDescription());
        if (hasExtras) {
            extrasUpTo(sb, extras, "memory");
        }
        sb.append("  <memory unit='KiB'>").append(def.getMemoryKiB()).append("</memory>\n");
        sb.append("  <currentMemory unit='KiB'>").append(def.effectiveCurrentMemoryKiB()).append("</currentMemory>\n");
        if (hasExtras) {
            extrasUpTo(sb, extras, "vcpu");
        }
        sb.append("  <vcpu");
        XmlOut.attr(sb, "placement", def.getVcpuPlacement() == null ? "static" : def.getVcpuPlacement());
        XmlOut.attr(sb, "cpuset", def.getCpuset());
        if (def.getCurrentVcpus() > 0 && def.getCurrentVcpus() != def.getVcpus()) {
            XmlOut.attr(sb, "current", def.getCurrentVcpus());
        }
        sb.append('>').append(def.getVcpus()).append("</vcpu>\n");
        if (hasExtras) {
            extrasUpTo(sb, extras, "bootloader");
        }
        OsDef os = def.getOs();
        XmlOut.elem(sb, 2, "bootloader", os.getBootloader());
        XmlOut.elem(sb, 2, "bootloader_args", os.getBootloaderArgs());
        formatOs(sb, os);
        if (hasExtras) {
            extrasUpTo(sb, extras, "features");
        }
        formatFeatures(sb, def);
        if (hasExtras) {
            extrasUpTo(sb, extras, "clock");
        }
        sb.append("  <clock");
        XmlOut.attr(sb, "offset", def.getClockOffset() == null ? "utc" : def.getClockOffset());
        for (Map.Entry<String, String> e : def.getClockAttributes().entrySet()) {
            XmlOut.attr(sb, e.getKey(), e.getValue());
        }
        if (def.getClockChildren().isEmpty()) {
            sb.append("/>\n");
        } else {
            sb.append(">\n");
            for (XmlNode x : def.getClockChildren()) {
                x.format(sb, 4);
            }
            sb.append("  </clock>\n");
        }
        XmlOut.elem(sb, 2, "on_poweroff", def.getOnPoweroff() == null ? "destroy" : def.getOnPoweroff());
        XmlOut.elem(sb, 2, "on_reboot", def.getOnReboot() == null ? "restart" : def.getOnReboot());
        XmlOut.elem(sb, 2, "on_crash", def.getOnCrash() == null ? "destroy" : def.getOnCrash());
        if (hasExtras) {
            extrasUpTo(sb, extras, "devices");
        }
        formatDevices(sb, def, opts);
        if (hasExtras) {
            extrasUpTo(sb, extras, null);
        }
        sb.append("</domain>\n");
        return sb.toString();
    }

    /** Writes the extra top-level elements whose slot lies before {@code before} (null: all the rest). */
    private static void extrasUpTo(StringBuilder sb, List<XmlNode> extras, String before) {
        int limit = before == null ? Integer.MAX_VALUE : TOP_SLOT.get(before);
        int prevLimit = -1;
        // the elements already written are those with a slot below the previous limit; we write
        // each extra exactly once by checking its slot against the window (prev, limit]
        for (String p : PREV.getOrDefault(before == null ? "" : before, new String[0])) {
            prevLimit = TOP_SLOT.get(p);
        }
        for (XmlNode x : extras) {
            Integer slot = TOP_SLOT.get(x.getName());
            int s = slot == null ? Integer.MAX_VALUE - 1 : slot;
            if (s > prevLimit && s < limit) {
                x.format(sb, 2);
            }
        }
    }

    /** For each window end, the previous window end. */
    private static final Map<String, String[]> PREV = Map.of(
        "title", new String[0],
        "memory", new String[] {"title"},
        "vcpu", new String[] {"memory"},
        "bootloader", new String[] {"vcpu"},
        "features", new String[] {"bootloader"},
        "clock", new String[] {"features"},
        "devices", new String[] {"clock"},
        "", new String[] {"devices"});

    private static void formatOs(StringBuilder sb, OsDef os) {
        sb.append("  <os");
        XmlOut.attr(sb, "firmware", os.getFirmware());
        sb.append(">\n    <type");
        XmlOut.attr(sb, "arch", os.getArch());
        XmlOut.attr(sb, "machine", os.getMachine());
        sb.append('>');
        XmlOut.text(sb, os.getType() == null ? "hvm" : os.getType());
        sb.append("</type>\n");
        XmlOut.elem(sb, 4, "init", os.getInit());
        for (String a : os.getInitArgs()) {
            XmlOut.elem(sb, 4, "initarg", a);
        }
        for (XmlNode x : os.getInitEnv()) {
            x.format(sb, 4);
        }
        XmlOut.elem(sb, 4, "initdir", os.getInitDir());
        if (os.getLoader() != null) {
            sb.append("    <loader");
            for (Map.Entry<String, String> e : os.getLoaderAttributes().entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
            sb.append('>');
            XmlOut.text(sb, os.getLoader());
            sb.append("</loader>\n");
        }
        if (os.getNvram() != null) {
            os.getNvram().format(sb, 4);
        }
        XmlOut.elem(sb, 4, "kernel", os.getKernel());
        XmlOut.elem(sb, 4, "initrd", os.getInitrd());
        XmlOut.elem(sb, 4, "cmdline", os.getCmdline());
        XmlOut.elem(sb, 4, "dtb", os.getDtb());
        XmlOut.elem(sb, 4, "root", os.getRoot());
        for (XmlNode x : os.getExtraElements()) {
            x.format(sb, 4);
        }
        for (String b : os.getBootDevices()) {
            XmlOut.empty(sb, 4, "boot", "dev", b);
        }
        if (os.getBootMenu() != null) {
            os.getBootMenu().format(sb, 4);
        }
        if (os.getSmbios() != null) {
            os.getSmbios().format(sb, 4);
        }
        if (os.getBios() != null) {
            os.getBios().format(sb, 4);
        }
        sb.append("  </os>\n");
    }

    private static void formatFeatures(StringBuilder sb, DomainDef def) {
        Set<String> features = def.getFeatures();
        if (features.isEmpty()) {
            return;
        }
        sb.append("  <features>\n");
        Set<String> done = features.size() > 0 ? new HashSet<>() : Set.of();
        for (String f : FEATURE_ORDER) {
            if (features.contains(f)) {
                formatFeature(sb, def, f);
                done.add(f);
            }
        }
        for (String f : features) {
            if (!done.contains(f)) {
                formatFeature(sb, def, f);
            }
        }
        sb.append("  </features>\n");
    }

    private static void formatFeature(StringBuilder sb, DomainDef def, String f) {
        XmlNode detail = def.getFeatureDetails().get(f);
        if (detail != null) {
            detail.format(sb, 4);
        } else {
            sb.append("    <").append(f).append("/>\n");
        }
    }

    private static void formatDevices(StringBuilder sb, DomainDef def, Format opts) {
        sb.append("  <devices>\n");
        XmlOut.elem(sb, 4, "emulator", def.getEmulator());
        for (DiskDef d : def.getDisks()) {
            d.format(sb, 4);
        }
        for (ControllerDef d : def.getControllers()) {
            d.format(sb, 4);
        }
        List<GenericDeviceDef> others = def.getOtherDevices();
        generic(sb, others, "lease");
        generic(sb, others, "filesystem");
        for (InterfaceDef d : def.getInterfaces()) {
            d.format(sb, 4);
        }
        generic(sb, others, "smartcard");
        for (CharDeviceDef d : def.getSerials()) {
            d.format(sb, 4, opts.inactive());
        }
        for (CharDeviceDef d : def.getParallels()) {
            d.format(sb, 4, opts.inactive());
        }
        for (CharDeviceDef d : def.getConsoles()) {
            d.format(sb, 4, opts.inactive());
        }
        for (CharDeviceDef d : def.getChannels()) {
            d.format(sb, 4, opts.inactive());
        }
        for (InputDef d : def.getInputs()) {
            d.format(sb, 4);
        }
        generic(sb, others, "tpm");
        for (GraphicsDef d : def.getGraphics()) {
            d.format(sb, 4, opts.secure(), opts.inactive());
        }
        for (SoundDef d : def.getSounds()) {
            d.format(sb, 4);
        }
        generic(sb, others, "audio");
        for (VideoDef d : def.getVideos()) {
            d.format(sb, 4);
        }
        if (!others.isEmpty()) {
            for (String n : new String[] {"hostdev", "redirdev", "redirfilter", "hub", "watchdog"}) {
                generic(sb, others, n);
            }
        }
        if (def.getMemballoon() != null) {
            def.getMemballoon().format(sb, 4);
        }
        if (!others.isEmpty()) {
            for (String n : new String[] {"rng", "nvram", "panic", "shmem", "memory", "iommu", "vsock", "crypto"}) {
                generic(sb, others, n);
            }
            for (GenericDeviceDef g : others) {
                if (!KNOWN_GENERIC_ORDER.contains(g.getElementName())) {
                    g.format(sb, 4);
                }
            }
        }
        sb.append("  </devices>\n");
    }

    private static final Set<String> KNOWN_GENERIC_ORDER = Set.of(DEVICE_ORDER);

    private static void generic(StringBuilder sb, List<GenericDeviceDef> others, String name) {
        for (int i = 0, n = others.size(); i < n; i++) {
            GenericDeviceDef g = others.get(i);
            if (g.getElementName().equals(name)) {
                g.format(sb, 4);
            }
        }
    }

    /** Formats one device as libvirt would inside {@code <devices>}, without indentation. */
    public static String formatDevice(DeviceDef dev) {
        return formatDevice(dev, Format.DEFAULT);
    }

    public static String formatDevice(DeviceDef dev, Format opts) {
        StringBuilder sb = new StringBuilder(256);
        if (dev instanceof DiskDef d) {
            d.format(sb, 0);
        } else if (dev instanceof ControllerDef d) {
            d.format(sb, 0);
        } else if (dev instanceof InterfaceDef d) {
            d.format(sb, 0);
        } else if (dev instanceof CharDeviceDef d) {
            d.format(sb, 0, opts.inactive());
        } else if (dev instanceof InputDef d) {
            d.format(sb, 0);
        } else if (dev instanceof GraphicsDef d) {
            d.format(sb, 0, opts.secure(), opts.inactive());
        } else if (dev instanceof SoundDef d) {
            d.format(sb, 0);
        } else if (dev instanceof VideoDef d) {
            d.format(sb, 0);
        } else if (dev instanceof MemballoonDef d) {
            d.format(sb, 0);
        } else if (dev instanceof GenericDeviceDef d) {
            d.format(sb, 0);
        }
        return sb.toString();
    }
}
