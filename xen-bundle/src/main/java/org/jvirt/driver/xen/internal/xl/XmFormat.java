package org.jvirt.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.InputDef;

/**
 * What libvirt's older {@code xen-xm} format does differently from xen-xl; everything else (name, memory,
 * CPUs, features, clock, lifecycle, vifs with {@code type=netfront}, pci, vnc/sdl/vfb, serial and parallel)
 * is {@link XlConverter}'s, shared by both formats. Here: the OS (an HVM guest's {@code kernel} is its
 * loader; a PV guest's {@code bootargs}, {@code extra} and {@code root}), the old positional disks
 * ({@code [DRIVER:[SUBTYPE:]]SOURCE,DEV[:cdrom],MODE}) and the single HVM {@code usbdevice}. Written from
 * xm's documentation and the behaviour of libvirt's converter.
 */
final class XmFormat {
    private XmFormat() {
    }

    // ---- xm -> model -----------------------------------------------------------------------------------

    static void osFromXm(XlConfig c, DomainDef def, boolean hvm) {
        if (hvm) {
            String kernel = c.string("kernel");
            if (kernel == null) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXM, "config value kernel was missing");
            }
            def.getOs().setLoader(kernel);
            XlConverter.bootOrder(c, def);
            return;
        }
        def.getOs().setBootloader(c.string("bootloader"));
        def.getOs().setBootloaderArgs(c.string("bootargs"));
        def.getOs().setKernel(c.string("kernel"));
        def.getOs().setInitrd(c.string("ramdisk"));
        String extra = c.string("extra");
        String root = c.string("root");
        if (root != null) {
            def.getOs().setCmdline("root=" + root + (extra == null ? "" : " " + extra));
        } else if (extra != null) {
            def.getOs().setCmdline(extra);
        }
    }

    /** disk = [ "SOURCE,DEV,MODE", ... ]: an entry that cannot be read is skipped, as libvirt does. */
    static void disksFromXm(XlConfig c, DomainDef def, boolean hvm) {
        for (String entry : c.list("disk")) {
            DiskDef d = disk(entry, hvm);
            if (d != null) {
                def.getDisks().add(d);
            }
        }
    }

    private static DiskDef disk(String entry, boolean hvm) {
        int comma = entry.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String src = comma == 0 ? null : entry.substring(0, comma);
        String head = entry.substring(comma + 1);
        if (head.startsWith("ioemu:")) {
            head = head.substring(6);
        }
        comma = head.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String dst = head.substring(0, comma);
        String mode = head.substring(comma + 1);
        DiskDef d = new DiskDef();
        String driver = null;
        if (src != null) {
            int colon = src.indexOf(':');
            if (colon >= 0) {
                driver = src.substring(0, colon);
                src = src.substring(colon + 1);
            }
            if ("tap".equals(driver) || "tap2".equals(driver)) {
                colon = src.indexOf(':');
                if (colon < 0) {
                    return null;
                }
                String type = src.substring(0, colon);
                String format = type.equals("aio") ? "raw" : type;
                if (!FORMATS.contains(format)) {
                    return null; // libvirt: "Unknown driver type", and the disk is left out
                }
                d.setDriverType(format);
                src = src.substring(colon + 1);
            }
        }
        if (driver == null) {
            driver = "phy";
        }
        d.setDriverName(driver);
        d.setType(driver.equals("phy") ? "block" : "file");
        d.setSourcePath(src);
        d.setDevice("disk");
        int colon = dst.indexOf(':');
        if (colon >= 0) {
            if (dst.substring(colon).equals(":cdrom")) {
                d.setDevice("cdrom");
            }
            dst = dst.substring(0, colon);
        }
        d.setTargetDev(dst);
        d.setTargetBus(dst.startsWith("xvd") || !hvm ? "xen" : dst.startsWith("sd") ? "scsi" : "ide");
        if (mode.equals("r") || mode.equals("ro")) {
            d.setReadonly(true);
        } else if (mode.equals("w!") || mode.equals("!")) {
            d.setShareable(true);
        }
        return d;
    }

    /** libvirt's storage file formats (the names a tap:TYPE: prefix may give). */
    private static final List<String> FORMATS = List.of("raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc",
            "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");

    /** An HVM guest's usbdevice: tablet, mouse or keyboard, one USB input. */
    static void inputsFromXm(XlConfig c, DomainDef def, boolean hvm) {
        if (!hvm) {
            return;
        }
        String dev = c.string("usbdevice");
        if (dev != null && (dev.equals("tablet") || dev.equals("mouse") || dev.equals("keyboard"))) {
            def.getInputs().add(new InputDef(dev.equals("keyboard") ? "keyboard" : dev, "usb"));
        }
    }

    // ---- model -> xm -----------------------------------------------------------------------------------

    static void osToXm(XlConfig c, DomainDef def, boolean hvm) {
        if (hvm) {
            c.set("builder", "hvm");
            if (def.getOs().getLoader() != null) {
                c.set("kernel", def.getOs().getLoader());
            }
            StringBuilder boot = new StringBuilder();
            for (String b : def.getOs().getBootDevices()) {
                boot.append(switch (b) {
                    case "fd" -> 'a';
                    case "cdrom" -> 'd';
                    case "network" -> 'n';
                    default -> 'c';
                });
            }
            c.set("boot", boot.length() == 0 ? "c" : boot.toString());
            return;
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
            c.set("extra", def.getOs().getCmdline());
        }
    }

    /** Every disk but floppies as "[DRIVER:[SUBTYPE:]]SOURCE,DEV[:cdrom],r|!|w". */
    static void disksToXm(XlConfig c, DomainDef def) {
        List<String> disks = new ArrayList<>();
        for (DiskDef d : def.getDisks()) {
            if ("floppy".equals(d.getDevice())) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            String src = d.getSourcePath();
            if (src != null) {
                String format = d.getDriverType();
                String driver = d.getDriverName();
                if (format != null) {
                    if (driver != null) {
                        sb.append(driver).append(':');
                        if (driver.equals("tap") || driver.equals("tap2")) {
                            sb.append(format.equals("raw") ? "aio" : format).append(':');
                        }
                    }
                } else {
                    switch (d.getType() == null ? "file" : d.getType()) {
                        case "file" -> sb.append("file:");
                        case "block" -> sb.append("phy:");
                        default -> throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXM,
                                "unsupported disk type " + d.getType());
                    }
                }
                sb.append(src);
            }
            sb.append(',').append(d.getTargetDev());
            if ("cdrom".equals(d.getDevice())) {
                sb.append(":cdrom");
            }
            sb.append(d.isReadonly() ? ",r" : d.isShareable() ? ",!" : ",w");
            if (d.isTransient()) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXM,
                        "transient disks not supported yet");
            }
            disks.add(sb.toString());
        }
        if (!disks.isEmpty()) {
            c.set("disk", disks);
        }
    }

    /** The first USB input of an HVM guest: usb = 1 and its usbdevice (tablet, mouse or keyboard). */
    static void inputsToXm(XlConfig c, DomainDef def, boolean hvm) {
        if (!hvm) {
            return;
        }
        for (InputDef i : def.getInputs()) {
            if (!"usb".equals(i.getBus())) {
                continue;
            }
            c.set("usb", 1);
            String type = i.getType();
            if (type.equals("mouse") || type.equals("tablet") || type.equals("keyboard")) {
                c.set("usbdevice", type);
                return;
            }
        }
    }
}
