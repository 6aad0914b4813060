package org.jvirt.driver.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.caps.QemuCaps;
import org.jvirt.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirt.driver.qemu.internal.command.QemuDevices;
import org.jvirt.xml.AddressDef;
import org.jvirt.xml.ControllerDef;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXmlHooks;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InputDef;
import org.jvirt.xml.InterfaceDef;
import org.jvirt.xml.MemballoonDef;
import org.jvirt.xml.SoundDef;
import org.jvirt.xml.VideoDef;

/**
 * The QEMU driver's XML hooks. Post-parse fills defaults from the emulator the XML names (or the
 * host's emulator for its arch): arch, canonical machine type, memballoon, MACs, controllers the disks
 * need, and PCI addresses. Validate only rejects what that emulator (or this driver) cannot run.
 */
public final class QemuXmlHooks implements DomainXmlHooks {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> DISK_FORMATS = Set.of("raw", "qcow2", "qcow", "vmdk", "vdi", "vpc", "vhdx",
            "qed", "luks", "cloop", "dmg", "parallels", "bochs");
    private static final Set<String> NIC_TYPES = Set.of("user", "network", "bridge", "ethernet", "mcast",
            "server", "client", "udp");

    private final QemuCapsCache caps;
    private final QemuConfig config;

    public QemuXmlHooks(QemuCapsCache caps, QemuConfig config) {
        this.caps = caps;
        this.config = config;
    }

    /** The host's architecture in libvirt's naming. */
    public static String hostArch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386" -> "i686";
            case "aarch64" -> "aarch64";
            default -> a;
        };
    }

    /** The emulator this host would use for an arch, or null. */
    public static String defaultEmulator(String arch) {
        String target = switch (arch) {
            case "i686" -> "i386";
            case "armv7l" -> "arm";
            default -> arch;
        };
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin", "/usr/libexec"}) {
            Path p = Path.of(dir, "qemu-system-" + target);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("i686".equals(arch)) {
            return defaultEmulator("x86_64");
        }
        return null;
    }

    public QemuCaps capsFor(DomainDef def) {
        return caps.get(def.getEmulator());
    }

    @Override
    public void postParse(DomainDef def) {
        if (!"qemu".equals(def.getType()) && !"kvm".equals(def.getType())) {
            return; // validate refuses it
        }
        if (def.getOs().getType() == null) {
            def.getOs().setType("hvm");
        }
        if (def.getEmulator() == null) {
            String arch = def.getOs().getArch() != null ? def.getOs().getArch() : hostArch();
            String emu = defaultEmulator(arch);
            if (emu == null) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "no QEMU emulator found for architecture '" + arch + "'; name one with <emulator>");
            }
            def.setEmulator(emu);
        }
        QemuCaps c = caps.get(def.getEmulator());
        if (def.getOs().getArch() == null) {
            def.getOs().setArch(c.arch());
        }
        if (def.getOs().getMachine() == null) {
            def.getOs().setMachine(c.defaultMachine());
        } else {
            def.getOs().setMachine(c.canonicalMachine(def.getOs().getMachine()));
        }
        if (def.getMemballoon() == null) {
            def.setMemballoon(new MemballoonDef("virtio"));
        }
        // x86 guests get whole MiB, as libvirt rounds them
        def.setMemoryKiB((def.getMemoryKiB() + 1023) / 1024 * 1024);
        if (def.getCurrentMemoryKiB() > 0) {
            def.setCurrentMemoryKiB(Math.min(def.getMemoryKiB(), (def.getCurrentMemoryKiB() + 1023) / 1024 * 1024));
        }
        if (def.getVideos().isEmpty() && !def.getGraphics().isEmpty()) {
            VideoDef v = new VideoDef("vga");
            v.setPrimary(true);
            v.setHeads(1);
            v.setVram(16384);
            def.getVideos().add(v);
        }
        for (InterfaceDef i : def.getInterfaces()) {
            if (i.getMac() == null) {
                i.setMac(randomMac());
            }
        }
        addImplicitControllers(def);
        assignPciAddresses(def);
    }

    public static String randomMac() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return String.format("52:54:00:%02x:%02x:%02x", b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
    }

    private static boolean isQ35(DomainDef def) {
        String m = def.getOs().getMachine();
        return m != null && m.contains("q35");
    }

    private static void addImplicitControllers(DomainDef def) {
        boolean scsi = false;
        boolean sata = false;
        for (DiskDef d : def.getDisks()) {
            scsi |= "scsi".equals(d.getTargetBus());
            sata |= "sata".equals(d.getTargetBus());
        }
        boolean usb = false;
        for (InputDef i : def.getInputs()) {
            usb |= "usb".equals(i.getBus());
        }
        if (scsi && !hasController(def, "scsi")) {
            ControllerDef c = new ControllerDef("scsi", 0);
            c.setModel("virtio-scsi");
            def.getControllers().add(c);
        }
        if (sata && !isQ35(def) && !hasController(def, "sata")) {
            def.getControllers().add(new ControllerDef("sata", 0));
        }
        if (usb && !hasController(def, "usb")) {
            ControllerDef c = new ControllerDef("usb", 0);
            c.setModel(isQ35(def) ? "qemu-xhci" : "piix3-uhci");
            def.getControllers().add(c);
        }
    }

    private static boolean hasController(DomainDef def, String type) {
        for (ControllerDef c : def.getControllers()) {
            if (type.equals(c.getType())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a device sits in a PCI slot of its own. */
    public static boolean needsPci(DeviceDef d) {
        if (d instanceof DiskDef disk) {
            return QemuDevices.diskOnPci(disk);
        }
        if (d instanceof InterfaceDef) {
            return true;
        }
        if (d instanceof MemballoonDef m) {
            return "virtio".equals(m.getModel());
        }
        if (d instanceof VideoDef v) {
            return !"none".equals(v.getModelType()) && !"ramfb".equals(v.getModelType());
        }
        if (d instanceof SoundDef) {
            return true;
        }
        if (d instanceof InputDef i) {
            return "virtio".equals(i.getBus());
        }
        if (d instanceof ControllerDef c) {
            return QemuDevices.controllerDevice(c.getType(), c.getModel()) != null;
        }
        return false;
    }

    /**
     * Gives each PCI device without an address a slot on bus 0, as libvirt does, so that the guest sees
     * the same hardware after save/restore, migration and hotplug. Slot 1 is the chipset, slot 2 the
     * primary video card; a piix3 USB controller goes to 1.2 as in the real chipset.
     */
    public static void assignPciAddresses(DomainDef def) {
        BitSet used = new BitSet(32);
        used.set(0);
        used.set(1);
        boolean q35 = isQ35(def);
        if (q35) {
            used.set(0x1f);
        }
        for (DeviceDef d : def.getAllDevices()) {
            AddressDef a = d.getAddress();
            if (a != null && "pci".equals(a.getType())) {
                String slot = a.get("slot");
                String bus = a.get("bus");
                if (slot != null && (bus == null || Integer.decode(bus) == 0)) {
                    used.set(Integer.decode(slot));
                }
            }
        }
        // the primary video card goes to slot 2 when it is free
        for (VideoDef v : def.getVideos()) {
            if (v.isPrimary() && v.getAddress() == null && needsPci(v) && !used.get(2)) {
                v.setAddress(AddressDef.pci(0, 0, 2, 0));
                used.set(2);
            }
        }
        if (!used.get(2)) {
            used.set(2); // kept for a video card added later
        }
        List<DeviceDef> order = new java.util.ArrayList<>();
        order.addAll(def.getControllers());
        order.addAll(def.getVideos());
        order.addAll(def.getInterfaces());
        order.addAll(def.getSounds());
        order.addAll(def.getDisks());
        order.addAll(def.getInputs());
        if (def.getMemballoon() != null) {
            order.add(def.getMemballoon());
        }
        for (DeviceDef d : order) {
            if (d.getAddress() != null || !needsPci(d)) {
                continue;
            }
            if (!q35 && d instanceof ControllerDef c && "usb".equals(c.getType())
                    && (c.getModel() == null || "piix3-uhci".equals(c.getModel()))) {
                d.setAddress(AddressDef.pci(0, 0, 1, 2));
                continue;
            }
            int slot = used.nextClearBit(3);
            if (slot > 0x1f) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "no free PCI slot on bus 0 for " + d.getElementName());
            }
            used.set(slot);
            d.setAddress(AddressDef.pci(0, 0, slot, 0));
        }
    }

    /** QEMU takes disk sources passed as file descriptors (VIR_DOMAIN_DEF_FEATURE_DISK_FD). */
    @Override
    public boolean diskFdPassing() {
        return true;
    }

    @Override
    public void validate(DomainDef def) {
        String type = def.getType();
        if (!"qemu".equals(type) && !"kvm".equals(type)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "unsupported domain type '" + type + "': the QEMU driver runs type 'qemu' and 'kvm'");
        }
        if (!"hvm".equals(def.getOs().getType())) {
            throw new VirtException(ErrorCode.OS_TYPE, ErrorDomain.QEMU,
                    "no support for os type '" + def.getOs().getType() + "' (QEMU runs hvm guests)");
        }
        QemuValidateRules.validate(def);
        QemuCaps c = caps.get(def.getEmulator());
        String arch = def.getOs().getArch();
        if (!arch.equals(c.arch()) && !("i686".equals(arch) && "x86_64".equals(c.arch()))) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "Emulator '"
                    + def.getEmulator() + "' does not support arch '" + arch + "' (it emulates " + c.arch() + ")");
        }
        if ("kvm".equals(type)) {
            if (!c.accels().contains("kvm")) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "Emulator '" + def.getEmulator() + "' does not support virt type 'kvm'");
            }
            if (!arch.equals(hostArch()) && !("i686".equals(arch) && "x86_64".equals(hostArch()))) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "virt type 'kvm' needs a guest of the host's architecture " + hostArch() + ", not " + arch);
            }
            Path dev = config.kvmDevice();
            if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "domain type 'kvm' is not available on this host: cannot access " + dev
                                + "; use type 'qemu' (TCG) instead");
            }
        } else if (!c.accels().contains("tcg")) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "Emulator '" + def.getEmulator() + "' does not support virt type 'qemu' (no TCG)");
        }
        QemuCaps.Machine m = c.machine(def.getOs().getMachine());
        if (m == null) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "Emulator '"
                    + def.getEmulator() + "' does not support machine type '" + def.getOs().getMachine() + "'");
        }
        if (m.maxCpus() > 0 && def.getVcpus() > m.maxCpus()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "Maximum CPUs greater than "
                    + "specified machine type limit " + m.maxCpus());
        }
        for (DiskDef d : def.getDisks()) {
            validateDisk(def, d, c);
        }
        Set<String> macs = new HashSet<>();
        for (InterfaceDef i : def.getInterfaces()) {
            if (!NIC_TYPES.contains(i.getType())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "unsupported interface type '" + i.getType() + "'");
            }
            String dev = QemuDevices.nicDevice(i.getModel());
            if (!c.hasDevice(dev)) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "Emulator '"
                        + def.getEmulator() + "' has no network card model '" + i.getModel() + "'");
            }
            if (i.getMac() != null && !macs.add(i.getMac().toLowerCase(Locale.ROOT))) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "MAC address " + i.getMac() + " is used by more than one interface");
            }
            if (("mcast".equals(i.getType()) || "server".equals(i.getType()) || "client".equals(i.getType())
                    || "udp".equals(i.getType())) && i.getSourcePort() == null) {
                throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.QEMU,
                        "interface type '" + i.getType() + "' needs a source port");
            }
            if ("bridge".equals(i.getType()) && i.getSourceBridge() == null) {
                throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.QEMU, "interface type 'bridge' needs <source bridge=.../>");
            }
        }
        for (GraphicsDef g : def.getGraphics()) {
            if (!"vnc".equals(g.getType()) && !"sdl".equals(g.getType())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "unsupported graphics type '" + g.getType() + "' (vnc and sdl are supported)");
            }
            if ("vnc".equals(g.getType()) && !g.isAutoport() && g.getPort() >= 0 && g.getPort() < 5900) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "vnc port must be in range [5900,65535]");
            }
        }
        for (VideoDef v : def.getVideos()) {
            if (!"none".equals(v.getModelType())) {
                String dev = QemuDevices.videoDevice(v.getModelType(), v.isPrimary());
                if (dev == null || !c.hasDevice(dev)) {
                    throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                            "video type '" + v.getModelType() + "' is not supported by this QEMU");
                }
            }
        }
        for (InputDef i : def.getInputs()) {
            String bus = i.getBus() == null ? "ps2" : i.getBus();
            if (!Set.of("ps2", "usb", "virtio").contains(bus)) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "unsupported input bus '" + bus + "'");
            }
            if ("ps2".equals(bus) && "tablet".equals(i.getType())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "ps2 bus does not support tablet input");
            }
        }
        if (!def.getParallels().isEmpty() || !def.getChannels().isEmpty()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "parallel ports and channels are not supported by this driver yet");
        }
        for (org.jvirt.xml.CharDeviceDef con : def.getConsoles()) {
            if (!"serial".equals(con.getTargetType())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "console target type '" + con.getTargetType() + "' is not supported (serial is)");
            }
        }
        for (org.jvirt.xml.CharDeviceDef ser : def.getSerials()) {
            if (!Set.of("pty", "file", "null", "unix", "tcp", "udp").contains(ser.getType())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                        "unsupported serial type '" + ser.getType() + "'");
            }
        }
        if (!def.getOtherDevices().isEmpty()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "device <"
                    + def.getOtherDevices().get(0).getElementName() + "> is not supported by this driver yet");
        }
        if (def.getMemballoon() != null && !"virtio".equals(def.getMemballoon().getModel())
                && !"none".equals(def.getMemballoon().getModel())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "memballoon model '" + def.getMemballoon().getModel() + "' is not supported");
        }
        for (SoundDef s : def.getSounds()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "sound model '" + s.getModel() + "' is not supported by this driver yet");
        }
    }

    private static void validateDisk(DomainDef def, DiskDef d, QemuCaps c) {
        if (!"file".equals(d.getType()) && !"block".equals(d.getType())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "unsupported disk type '" + d.getType() + "' for " + d.getTargetDev()
                            + " (file and block are supported)");
        }
        if ("lun".equals(d.getDevice())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "disk device 'lun' is not supported");
        }
        String dev = QemuDevices.diskDevice(d);
        if (dev == null) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "unsupported disk bus '" + d.getTargetBus() + "' for " + d.getTargetDev());
        }
        if ("floppy".equals(d.getDevice()) != "fdc".equals(d.getTargetBus())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "disk " + d.getTargetDev() + ": floppy devices go on the fdc bus, and only floppies do");
        }
        if ("fdc".equals(d.getTargetBus()) && isQ35(def)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "the q35 machine has no floppy controller");
        }
        if ("virtio".equals(d.getTargetBus()) && "cdrom".equals(d.getDevice())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "disk " + d.getTargetDev() + ": a cdrom cannot be on the virtio bus");
        }
        if ("ide".equals(d.getTargetBus()) && !isQ35(def) && ideIndex(d.getTargetDev()) >= 4) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "disk " + d.getTargetDev() + ": the PC machine has 4 IDE units (hda to hdd)");
        }
        if (d.isReadonly() && "disk".equals(d.getDevice())
                && ("ide".equals(d.getTargetBus()) || "sata".equals(d.getTargetBus()))) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "disk " + d.getTargetDev() + ": readonly ide and sata disks are not supported");
        }
        String fmt = QemuDevices.formatDriver(d);
        if (!DISK_FORMATS.contains(fmt)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "unsupported disk format '" + d.getDriverType() + "' for " + d.getTargetDev());
        }
        if (d.getSourcePath() == null && !"cdrom".equals(d.getDevice()) && !"floppy".equals(d.getDevice())) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.QEMU,
                    "disk " + d.getTargetDev() + " has no source");
        }
        if (!c.hasDevice(dev) && !"floppy".equals(dev)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "this QEMU has no device '" + dev + "' for disk " + d.getTargetDev());
        }
    }

    /** hda → 0, hdb → 1, sdc → 2, vdaa → 26 (libvirt's virDiskNameToIndex). */
    public static int ideIndex(String dev) {
        String prefix = dev.startsWith("xvd") ? "xvd" : dev.substring(0, Math.min(2, dev.length()));
        int idx = 0;
        for (int k = prefix.length(); k < dev.length(); k++) {
            char ch = dev.charAt(k);
            if (ch < 'a' || ch > 'z') {
                break;
            }
            idx = k == prefix.length() ? ch - 'a' : (idx + 1) * 26 + (ch - 'a');
        }
        return idx;
    }
}
