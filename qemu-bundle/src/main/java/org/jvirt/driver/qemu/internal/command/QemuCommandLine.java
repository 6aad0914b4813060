package org.jvirt.driver.qemu.internal.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.QemuXmlHooks;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;
import org.jvirt.xml.AddressDef;
import org.jvirt.xml.CharDeviceDef;
import org.jvirt.xml.ControllerDef;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InputDef;
import org.jvirt.xml.InterfaceDef;
import org.jvirt.xml.MemballoonDef;
import org.jvirt.xml.VideoDef;
import org.jvirt.xml.XmlNode;

/**
 * Turns a domain definition into a QEMU command line: {@code -nodefaults}, QMP on a unix socket, {@code -S}
 * (the driver sends {@code cont}), {@code -no-shutdown} (the driver applies on_poweroff), devices as
 * {@code -blockdev}/{@code -device} JSON (QEMU 7 syntax, as libvirt 9 emits) and netdevs and chardevs as
 * key=value. The same builders give the QMP arguments for hotplug.
 */
public final class QemuCommandLine {

    /**
     * What the command line needs besides the definition.
     *
     * @param monitorSocket  the QMP socket path
     * @param vncListen      the default VNC listen address
     * @param vncPort        picks a port for autoport graphics
     * @param tapName        picks a tap name for an interface without a target dev
     * @param networkBridge  the bridge of a named network, or throws NO_NETWORK
     * @param incoming       the -incoming URI, or null
     */
    public record Context(Path monitorSocket, String vncListen, IntSupplier vncPort, Supplier<String> tapName,
            Function<String, String> networkBridge, String incoming) {
    }

    /** A tap device QEMU opens that the driver must put on a bridge once QEMU runs. */
    public record TapBridge(String tap, String bridge) {
    }

    /** The result: the argv and the post-launch bridge attachments. */
    public record Result(List<String> argv, List<TapBridge> taps) {
    }

    private QemuCommandLine() {
    }

    // ---- live preparation ------------------------------------------------------------------------

    /** Fills what a running domain shows: aliases, tap names, VNC ports. Mutates the (live) definition. */
    public static void prepareLive(DomainDef def, Context ctx) {
        assignAliases(def);
        for (InterfaceDef i : def.getInterfaces()) {
            if (isTap(i) && i.getTargetDev() == null) {
                i.setTargetDev(ctx.tapName().get());
            }
        }
        for (GraphicsDef g : def.getGraphics()) {
            if ("vnc".equals(g.getType()) && (g.isAutoport() || g.getPort() < 0)) {
                g.setPort(ctx.vncPort().getAsInt());
            }
        }
    }

    static boolean isTap(InterfaceDef i) {
        return switch (i.getType()) {
            case "network", "bridge", "ethernet" -> true;
            default -> false;
        };
    }

    /** libvirt's alias names: virtio-disk0, ide0-0-1, net0, serial0, balloon0, video0, input0, usb, scsi0. */
    public static void assignAliases(DomainDef def) {
        for (DiskDef d : def.getDisks()) {
            if (d.getAlias() == null) {
                d.setAlias(diskAlias(def, d));
            }
        }
        assignIndexed(def.getInterfaces(), "net");
        assignIndexed(def.getSerials(), "serial");
        assignIndexed(def.getInputs(), "input");
        assignIndexed(def.getVideos(), "video");
        for (ControllerDef c : def.getControllers()) {
            if (c.getAlias() == null) {
                c.setAlias("usb".equals(c.getType()) ? (c.getIndex() == 0 ? "usb" : "usb" + c.getIndex())
                        : c.getType() + c.getIndex());
            }
        }
        if (def.getMemballoon() != null && def.getMemballoon().getAlias() == null) {
            def.getMemballoon().setAlias("balloon0");
        }
    }

    private static <T extends DeviceDef> void assignIndexed(List<T> list, String prefix) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (T d : list) {
            if (d.getAlias() != null) {
                used.add(d.getAlias());
            }
        }
        int n = 0;
        for (T d : list) {
            if (d.getAlias() == null) {
                while (used.contains(prefix + n)) {
                    n++;
                }
                d.setAlias(prefix + n);
                used.add(prefix + n);
            }
        }
    }

    public static String diskAlias(DomainDef def, DiskDef d) {
        int idx = QemuXmlHooks.ideIndex(d.getTargetDev());
        return switch (d.getTargetBus()) {
            case "virtio" -> "virtio-disk" + idx;
            case "ide" -> "ide0-" + (idx / 2) + "-" + (idx % 2);
            case "sata" -> "sata0-0-" + idx;
            case "scsi" -> "scsi0-0-0-" + idx;
            case "fdc" -> "fdc0-0-" + idx;
            default -> d.getTargetBus() + "-disk" + idx;
        };
    }

    // ---- the command line ---------------------------------------------------------------------------

    public static Result build(DomainDef def, Context ctx) {
        List<String> a = new ArrayList<>(64);
        List<TapBridge> taps = new ArrayList<>();
        boolean q35 = def.getOs().getMachine() != null && def.getOs().getMachine().contains("q35");
        a.add(def.getEmulator());
        add(a, "-name", "guest=" + escape(def.getName()) + ",debug-threads=on");
        a.add("-S");
        StringBuilder machine = new StringBuilder(def.getOs().getMachine());
        machine.append(",usb=off,dump-guest-core=off");
        if (!def.getFeatures().contains("acpi")) {
            machine.append(",acpi=off");
        }
        add(a, "-machine", machine.toString());
        add(a, "-accel", "kvm".equals(def.getType()) ? "kvm" : "tcg");
        String cpu = cpuModel(def);
        if (cpu != null) {
            add(a, "-cpu", cpu);
        }
        add(a, "-m", "size=" + def.getMemoryKiB() + "k");
        add(a, "-overcommit", "mem-lock=off");
        int max = def.getVcpus();
        add(a, "-smp", def.effectiveCurrentVcpus() + ",maxcpus=" + max + ",sockets=" + max + ",cores=1,threads=1");
        if (def.getUuid() != null) {
            add(a, "-uuid", def.getUuid().toString());
        }
        a.add("-no-user-config");
        a.add("-nodefaults");
        add(a, "-chardev", "socket,id=charmonitor,path=" + escape(ctx.monitorSocket().toString())
                + ",server=on,wait=off");
        add(a, "-mon", "chardev=charmonitor,id=monitor,mode=control");
        add(a, "-rtc", rtc(def));
        a.add("-no-shutdown");
        if (!"restart".equals(def.getOnReboot())) {
            a.add("-no-reboot");
        }
        StringBuilder boot = new StringBuilder();
        if (!def.getOs().getBootDevices().isEmpty()) {
            boot.append("order=");
            for (String b : def.getOs().getBootDevices()) {
                boot.append(switch (b) {
                    case "fd" -> 'a';
                    case "cdrom" -> 'd';
                    case "network" -> 'n';
                    default -> 'c';
                });
            }
            boot.append(',');
        }
        XmlNode menu = def.getOs().getBootMenu();
        if (menu != null && "yes".equals(menu.attr("enable"))) {
            boot.append("menu=on,");
        }
        boot.append("strict=on");
        add(a, "-boot", boot.toString());
        if (def.getOs().getKernel() != null) {
            add(a, "-kernel", def.getOs().getKernel());
        }
        if (def.getOs().getInitrd() != null) {
            add(a, "-initrd", def.getOs().getInitrd());
        }
        if (def.getOs().getCmdline() != null) {
            add(a, "-append", def.getOs().getCmdline());
        }
        String pciBus = q35 ? "pcie.0" : "pci.0";
        for (ControllerDef c : def.getControllers()) {
            ObjectNode dev = controllerProps(c, pciBus);
            if (dev != null) {
                add(a, "-device", QmpJson.write(dev));
            }
        }
        for (DiskDef d : def.getDisks()) {
            for (ObjectNode node : blockdevProps(d)) {
                add(a, "-blockdev", QmpJson.write(node));
            }
            add(a, "-device", QmpJson.write(diskDeviceProps(def, d, pciBus)));
        }
        for (InterfaceDef i : def.getInterfaces()) {
            add(a, "-netdev", netdevArg(netdevProps(i)));
            add(a, "-device", QmpJson.write(nicDeviceProps(i, pciBus)));
            if ("bridge".equals(i.getType())) {
                taps.add(new TapBridge(i.getTargetDev(), i.getSourceBridge()));
            } else if ("network".equals(i.getType())) {
                taps.add(new TapBridge(i.getTargetDev(), ctx.networkBridge().apply(i.getSourceNetwork())));
            }
        }
        for (CharDeviceDef s : def.getSerials()) {
            String id = "char" + s.getAlias();
            add(a, "-chardev", chardev(s, id));
            add(a, "-device", QmpJson.write(QmpJson.obj("driver", "isa-serial", "chardev", id, "id", s.getAlias(),
                    "index", s.getTargetPort())));
        }
        for (InputDef i : def.getInputs()) {
            String drv = QemuDevices.inputDevice(i);
            if (drv == null) {
                continue;
            }
            ObjectNode dev = QmpJson.obj("driver", drv, "id", i.getAlias());
            if ("usb".equals(i.getBus())) {
                dev.put("bus", "usb.0");
            } else {
                pciAddress(dev, i.getAddress(), pciBus);
            }
            add(a, "-device", QmpJson.write(dev));
        }
        boolean display = false;
        for (GraphicsDef g : def.getGraphics()) {
            if ("vnc".equals(g.getType())) {
                String listen = g.getListen() != null ? g.getListen() : ctx.vncListen();
                if (listen.contains(":")) {
                    listen = "[" + listen + "]";
                }
                int port = g.getPort() < 0 ? 5900 : g.getPort();
                add(a, "-vnc", listen + ":" + (port - 5900));
            } else if ("sdl".equals(g.getType())) {
                add(a, "-display", "sdl");
                display = true;
            }
        }
        if (!display && def.getGraphics().stream().noneMatch(g -> "vnc".equals(g.getType()))) {
            add(a, "-display", "none");
        }
        for (VideoDef v : def.getVideos()) {
            String drv = QemuDevices.videoDevice(v.getModelType(), v.isPrimary());
            if (drv == null) {
                continue;
            }
            ObjectNode dev = QmpJson.obj("driver", drv, "id", v.getAlias());
            if (!"ramfb".equals(drv)) {
                pciAddress(dev, v.getAddress(), pciBus);
            }
            add(a, "-device", QmpJson.write(dev));
        }
        MemballoonDef b = def.getMemballoon();
        if (b != null && "virtio".equals(b.getModel())) {
            ObjectNode dev = QmpJson.obj("driver", "virtio-balloon-pci", "id", b.getAlias());
            pciAddress(dev, b.getAddress(), pciBus);
            add(a, "-device", QmpJson.write(dev));
        }
        if (ctx.incoming() != null) {
            add(a, "-incoming", ctx.incoming());
        }
        add(a, "-msg", "timestamp=on");
        return new Result(a, taps);
    }

    private static String cpuModel(DomainDef def) {
        for (XmlNode x : def.getExtraElements()) {
            if (!x.getName().equals("cpu")) {
                continue;
            }
            String mode = x.attr("mode");
            if ("host-passthrough".equals(mode) || "host-model".equals(mode)) {
                if (!"kvm".equals(def.getType())) {
                    throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                            "CPU mode '" + mode + "' needs virt type 'kvm'");
                }
                return "host";
            }
            String model = x.childText("model");
            if (model != null && !model.isBlank()) {
                return model.trim();
            }
        }
        return null;
    }

    private static String rtc(DomainDef def) {
        String offset = def.getClockOffset() == null ? "utc" : def.getClockOffset();
        return switch (offset) {
            case "localtime", "timezone" -> "base=localtime";
            case "variable" -> {
                long adj = 0;
                String s = def.getClockAttributes().get("adjustment");
                if (s != null) {
                    try {
                        adj = Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.QEMU,
                                "invalid clock adjustment '" + s + "'");
                    }
                }
                java.time.Instant t = java.time.Instant.now().plusSeconds(adj)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                yield "base=" + java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME
                        .format(java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC));
            }
            default -> "base=utc";
        };
    }

    private static void add(List<String> a, String opt, String value) {
        a.add(opt);
        a.add(value);
    }

    /** Doubles commas, as QEMU's key=value syntax needs. */
    static String escape(String s) {
        return s.replace(",", ",,");
    }

    // ---- devices, shared with hotplug ----------------------------------------------------------------

    static void pciAddress(ObjectNode dev, AddressDef addr, String pciBus) {
        if (addr == null || !"pci".equals(addr.getType())) {
            return;
        }
        int bus = addr.get("bus") == null ? 0 : Integer.decode(addr.get("bus"));
        int slot = Integer.decode(addr.get("slot"));
        int fn = addr.get("function") == null ? 0 : Integer.decode(addr.get("function"));
        dev.put("bus", bus == 0 ? pciBus : "pci." + bus);
        dev.put("addr", fn == 0 ? String.format("0x%x", slot) : String.format("0x%x.0x%x", slot, fn));
    }

    public static String storageNode(DiskDef d) {
        return d.getAlias() + "-storage";
    }

    public static String formatNode(DiskDef d) {
        return d.getAlias() + "-format";
    }

    /** The -blockdev / blockdev-add nodes of a disk: storage, then format; none for an empty drive. */
    public static List<ObjectNode> blockdevProps(DiskDef d) {
        if (d.getSourcePath() == null) {
            return List.of();
        }
        boolean ro = d.isReadonly();
        ObjectNode storage = QmpJson.object();
        storage.put("driver", QemuDevices.storageDriver(d));
        storage.put("filename", d.getSourcePath());
        storage.put("node-name", storageNode(d));
        storage.put("read-only", ro);
        String cache = d.getDriverAttributes().get("cache");
        if ("none".equals(cache) || "directsync".equals(cache)) {
            storage.set("cache", QmpJson.obj("direct", true, "no-flush", false));
        }
        ObjectNode format = QmpJson.object();
        format.put("node-name", formatNode(d));
        format.put("read-only", ro);
        format.put("driver", QemuDevices.formatDriver(d));
        format.put("file", storageNode(d));
        return List.of(storage, format);
    }

    public static ObjectNode diskDeviceProps(DomainDef def, DiskDef d, String pciBus) {
        ObjectNode dev = QmpJson.object();
        dev.put("driver", QemuDevices.diskDevice(d));
        int idx = QemuXmlHooks.ideIndex(d.getTargetDev());
        switch (d.getTargetBus()) {
            case "virtio" -> pciAddress(dev, d.getAddress(), pciBus);
            case "ide" -> {
                boolean q35 = pciBus.equals("pcie.0");
                dev.put("bus", "ide." + (q35 ? idx : idx / 2));
                if (!q35) {
                    dev.put("unit", idx % 2);
                }
            }
            case "sata" -> {
                boolean q35 = pciBus.equals("pcie.0");
                dev.put("bus", q35 ? "ide." + idx : "sata0." + idx);
            }
            case "scsi" -> {
                dev.put("bus", "scsi0.0");
                dev.put("channel", 0);
                dev.put("scsi-id", 0);
                dev.put("lun", idx);
            }
            case "fdc" -> dev.put("unit", idx);
            default -> { }
        }
        if (d.getSourcePath() != null) {
            dev.put("drive", formatNode(d));
        }
        dev.put("id", d.getAlias());
        if (d.getBootOrder() > 0) {
            dev.put("bootindex", d.getBootOrder());
        }
        if (d.isShareable()) {
            dev.put("share-rw", true);
        }
        if (d.getSerial() != null && !"floppy".equals(d.getDevice())) {
            dev.put("serial", d.getSerial());
        }
        return dev;
    }

    public static String netdevId(InterfaceDef i) {
        return "host" + i.getAlias();
    }

    /** The netdev of an interface, as netdev_add arguments (type first). */
    public static ObjectNode netdevProps(InterfaceDef i) {
        ObjectNode n = QmpJson.object();
        String hostPort = (i.getSourceAddress() == null ? "" : i.getSourceAddress()) + ":" + i.getSourcePort();
        switch (i.getType()) {
            case "user" -> n.put("type", "user");
            case "network", "bridge", "ethernet" -> {
                n.put("type", "tap");
                n.put("ifname", i.getTargetDev());
                n.put("script", "ethernet".equals(i.getType()) && i.getScript() != null ? i.getScript() : "no");
                n.put("downscript", "no");
            }
            case "mcast" -> {
                n.put("type", "socket");
                n.put("mcast", hostPort);
            }
            case "server" -> {
                n.put("type", "socket");
                n.put("listen", hostPort);
            }
            case "client" -> {
                n.put("type", "socket");
                n.put("connect", hostPort);
            }
            case "udp" -> {
                n.put("type", "socket");
                n.put("udp", hostPort);
                XmlNode local = i.getSourceLocal();
                if (local != null) {
                    n.put("localaddr", local.attr("address") + ":" + local.attr("port"));
                }
            }
            default -> throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "unsupported interface type '" + i.getType() + "'");
        }
        n.put("id", netdevId(i));
        return n;
    }

    static String netdevArg(ObjectNode props) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            if (e.getKey().equals("type")) {
                sb.append(e.getValue().asText());
            } else {
                sb.append(e.getKey()).append('=').append(escape(e.getValue().asText()));
            }
        }
        return sb.toString();
    }

    public static ObjectNode nicDeviceProps(InterfaceDef i, String pciBus) {
        ObjectNode dev = QmpJson.object();
        dev.put("driver", QemuDevices.nicDevice(i.getModel()));
        dev.put("netdev", netdevId(i));
        dev.put("id", i.getAlias());
        dev.put("mac", i.getMac());
        pciAddress(dev, i.getAddress(), pciBus);
        if (i.getBootOrder() > 0) {
            dev.put("bootindex", i.getBootOrder());
        }
        return dev;
    }

    static ObjectNode controllerProps(ControllerDef c, String pciBus) {
        String drv = QemuDevices.controllerDevice(c.getType(), c.getModel());
        boolean q35BuiltIn = "sata".equals(c.getType()) && c.getIndex() == 0 && pciBus.equals("pcie.0");
        if (drv == null || q35BuiltIn) { // q35's own AHCI is SATA controller 0, as libvirt leaves it out
            return null;
        }
        ObjectNode dev = QmpJson.obj("driver", drv, "id", c.getAlias());
        pciAddress(dev, c.getAddress(), pciBus);
        return dev;
    }

    static String chardev(CharDeviceDef s, String id) {
        String path = s.getSourcePath() == null ? "" : escape(s.getSourcePath());
        return switch (s.getType()) {
            case "pty" -> "pty,id=" + id;
            case "file" -> "file,id=" + id + ",path=" + path;
            case "null" -> "null,id=" + id;
            case "unix" -> "socket,id=" + id + ",path=" + path
                    + ("bind".equals(s.getSourceMode()) ? ",server=on,wait=off" : "");
            case "tcp" -> "socket,id=" + id + ",host=" + (s.getSourceHost() == null ? "127.0.0.1" : s.getSourceHost())
                    + ",port=" + s.getSourceService() + ("bind".equals(s.getSourceMode()) ? ",server=on,wait=off" : "");
            case "udp" -> "udp,id=" + id + ",host=" + (s.getSourceHost() == null ? "127.0.0.1" : s.getSourceHost())
                    + ",port=" + s.getSourceService();
            default -> throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "unsupported character device type '" + s.getType() + "'");
        };
    }

    /** The PCI bus name of a definition's machine. */
    public static String pciBus(DomainDef def) {
        String m = def.getOs().getMachine();
        return m != null && m.contains("q35") ? "pcie.0" : "pci.0";
    }
}
