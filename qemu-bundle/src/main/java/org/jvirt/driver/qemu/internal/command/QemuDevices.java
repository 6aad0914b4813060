package org.jvirt.driver.qemu.internal.command;

import java.util.Locale;

import org.jvirt.xml.DiskDef;
import org.jvirt.xml.InputDef;

/** Which QEMU device type carries a libvirt device, and whether it sits on PCI. */
public final class QemuDevices {
    private QemuDevices() {
    }

    /** The -device driver of a NIC model (libvirt's default for x86 is rtl8139). */
    public static String nicDevice(String model) {
        if (model == null) {
            return "rtl8139";
        }
        return switch (model) {
            case "virtio" -> "virtio-net-pci";
            case "e1000", "rtl8139", "e1000e", "vmxnet3", "i82557b", "i82559er", "pcnet" -> model;
            case "ne2k_pci" -> "ne2k_pci";
            case "virtio-net" -> "virtio-net-pci";
            default -> model;
        };
    }

    /** The -device driver of a disk. */
    public static String diskDevice(DiskDef d) {
        boolean cd = "cdrom".equals(d.getDevice());
        return switch (d.getTargetBus()) {
            case "virtio" -> "virtio-blk-pci";
            case "ide", "sata" -> cd ? "ide-cd" : "ide-hd";
            case "scsi" -> cd ? "scsi-cd" : "scsi-hd";
            case "fdc" -> "floppy";
            default -> null;
        };
    }

    public static boolean diskOnPci(DiskDef d) {
        return "virtio".equals(d.getTargetBus());
    }

    /** The QEMU block driver of a disk's source. */
    public static String storageDriver(DiskDef d) {
        if ("block".equals(d.getType())) {
            return "cdrom".equals(d.getDevice()) ? "host_cdrom" : "host_device";
        }
        return "file";
    }

    public static String formatDriver(DiskDef d) {
        String t = d.getDriverType();
        return t == null ? "raw" : t.toLowerCase(Locale.ROOT);
    }

    public static String videoDevice(String model, boolean primary) {
        return switch (model) {
            case "vga" -> primary ? "VGA" : "secondary-vga";
            case "cirrus" -> "cirrus-vga";
            case "virtio" -> primary ? "virtio-vga" : "virtio-gpu-pci";
            case "qxl" -> primary ? "qxl-vga" : "qxl";
            case "bochs" -> "bochs-display";
            case "ramfb" -> "ramfb";
            case "vmvga" -> "vmware-svga";
            default -> null;
        };
    }

    public static String inputDevice(InputDef i) {
        String bus = i.getBus() == null ? "ps2" : i.getBus();
        return switch (bus) {
            case "usb" -> switch (i.getType()) {
                case "tablet" -> "usb-tablet";
                case "keyboard" -> "usb-kbd";
                default -> "usb-mouse";
            };
            case "virtio" -> switch (i.getType()) {
                case "tablet" -> "virtio-tablet-pci";
                case "keyboard" -> "virtio-keyboard-pci";
                default -> "virtio-mouse-pci";
            };
            default -> null; // ps2: built into the PC machine
        };
    }

    public static String controllerDevice(String type, String model) {
        return switch (type) {
            case "scsi" -> switch (model == null ? "virtio-scsi" : model) {
                case "lsilogic" -> "lsi";
                case "lsisas1068" -> "mptsas1068";
                case "lsisas1078" -> "megasas";
                default -> "virtio-scsi-pci";
            };
            case "sata" -> "ahci";
            case "usb" -> switch (model == null ? "piix3-uhci" : model) {
                case "piix4-uhci" -> "piix4-usb-uhci";
                case "ehci" -> "usb-ehci";
                case "ich9-ehci1" -> "ich9-usb-ehci1";
                case "nec-xhci", "qemu-xhci" -> model;
                case "none" -> null;
                default -> "piix3-usb-uhci";
            };
            case "virtio-serial" -> "virtio-serial-pci";
            default -> null;
        };
    }
}
