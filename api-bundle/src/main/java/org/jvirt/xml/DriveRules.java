package org.jvirt.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirt 9.0's rules on {@code <disk>}: parse-time source checks, the drive address libvirt's post-parse
 * gives a disk without one (virDomainDiskDefAssignAddress, narrow SCSI bus), and the checks of
 * virDomainDiskDefValidate and virDomainDefDuplicateDriveAddressesValidate.
 */
final class DriveRules {
    private DriveRules() {
    }

    /** A disk's target, bus, address type and drive address (given or implied; null when none). */
    record Drive(XmlNode node, String dst, String bus, String addressType, long[] address) {
    }

    private static final int SCSI_NARROW_BUS_MAX_CONT_UNIT = 7;
    private static final Set<String> SECRET_USAGES = Set.of("none", "volume", "ceph", "iscsi", "tls", "vtpm");

    private static VirtException unsupported(String msg) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, msg);
    }

    static long[] driveAddress(XmlNode a) {
        return new long[] {HostdevRules.num(a.attr("controller")), HostdevRules.num(a.attr("bus")),
            HostdevRules.num(a.attr("target")), HostdevRules.num(a.attr("unit"))};
    }

    private static final Set<String> STORAGE_TYPES = Set.of("file", "block", "dir", "network", "volume", "nvme",
        "vhostuser");
    private static final Set<String> FORMATS = Set.of("raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi",
        "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");

    /** Parse-time rules of virDomainDiskDefParseXML: driver format, backing chain, auth and encryption given once. */
    static void parse(XmlNode devices) {
        for (XmlNode d : devices.children("disk")) {
            XmlNode driver = d.child("driver");
            String format = driver == null ? null : driver.attr("type");
            if (format != null && !format.equals("aio") && !FORMATS.contains(format)) {
                throw unsupported("unknown driver format value '" + format + "'");
            }
            backingChain(d);
            XmlNode src = d.child("source");
            if (src == null) {
                continue;
            }
            if (d.child("auth") != null && src.child("auth") != null) {
                throw unsupported("an <auth> definition already found for disk source");
            }
            if (d.child("encryption") != null && src.child("encryption") != null) {
                throw unsupported("an <encryption> definition already found for disk source");
            }
        }
    }

    /** virDomainDiskBackingStoreParse and the mirror: each typed store's type and format (virDomainStorageSourceParseBase). */
    private static void backingChain(XmlNode disk) {
        XmlNode store = disk.child("backingStore");
        for (int depth = 0; store != null && depth < 256; depth++) {
            String type = store.attr("type");
            if (type == null) {
                break;
            }
            XmlNode format = store.child("format");
            if (format == null || format.attr("type") == null) {
                throw XmlIn.xmlError("missing disk backing store format");
            }
            if (store.child("source") == null) {
                throw XmlIn.xmlError("missing disk backing store source");
            }
            storageSource(type, format.attr("type"));
            store = store.child("backingStore");
        }
        // <mirror> is live state: an inactive definition (define) does not parse it
    }

    private static void storageSource(String type, String format) {
        if (!STORAGE_TYPES.contains(type)) {
            throw XmlIn.xmlError("unknown storage source type '" + type + "'");
        }
        if (format != null && !FORMATS.contains(format)) {
            throw XmlIn.xmlError("unknown storage source format '" + format + "'");
        }
    }

    /** Disks with their addresses after post-parse; the checks libvirt makes while giving them. */
    static List<Drive> postParse(XmlNode devices, boolean diskFdPassing) {
        List<long[]> scsiHostdevs = HostdevRules.scsiDriveAddresses(devices);
        List<Drive> out = new ArrayList<>();
        for (XmlNode d : devices.children("disk")) {
            XmlNode target = d.child("target");
            String dst = target == null ? null : target.attr("dev");
            if (dst == null) {
                continue;
            }
            String bus = target.attr("bus") != null ? target.attr("bus") : DiskDef.busFromDev(dst, d.attr("device"));
            XmlNode src = d.child("source");
            if (src != null && src.attr("fdgroup") != null && !diskFdPassing) {
                throw unsupported("driver does not support FD passing for disk '" + dst + "'");
            }
            XmlNode addr = d.child("address");
            if (addr != null && addr.attr("type") != null) {
                String type = addr.attr("type");
                out.add(new Drive(d, dst, bus, type, type.equals("drive") ? driveAddress(addr) : null));
                continue;
            }
            int idx = diskIndex(dst);
            if (idx < 0) {
                throw XmlIn.xmlError("Unknown disk name '" + dst + "' and no address specified");
            }
            long[] a = null;
            switch (bus) {
                case "scsi": {
                    long controller = idx / SCSI_NARROW_BUS_MAX_CONT_UNIT;
                    long unit = idx % SCSI_NARROW_BUS_MAX_CONT_UNIT;
                    a = new long[] {controller, 0, 0, unit};
                    for (long[] h : scsiHostdevs) {
                        if (Arrays.equals(h, a)) {
                            throw unsupported("using disk target name '" + dst + "' conflicts with SCSI host device "
                                + "address controller='" + controller + "' bus='0' target='0' unit='" + unit);
                        }
                    }
                    break;
                }
                case "ide": a = new long[] {idx / 4, (idx % 4) / 2, 0, idx % 2}; break;
                case "sata": a = new long[] {idx / 6, 0, 0, idx % 6}; break;
                case "fdc": a = new long[] {idx / 2, 0, 0, idx % 2}; break;
                default: break;
            }
            out.add(new Drive(d, dst, bus, a == null ? null : "drive", a));
        }
        return out;
    }

    /** virDiskNameToIndex: sda is 0, hdz 25, vdaa 26; trailing digits are a partition; -1 otherwise. */
    static int diskIndex(String name) {
        String rest = null;
        for (String p : new String[] {"fd", "hd", "vd", "sd", "xvd", "ubd"}) {
            if (name.startsWith(p)) {
                rest = name.substring(p.length());
                break;
            }
        }
        if (rest == null || rest.isEmpty() || rest.charAt(0) < 'a' || rest.charAt(0) > 'z') {
            return -1;
        }
        long idx = 0;
        int i = 0;
        for (; i < rest.length() && rest.charAt(i) >= 'a' && rest.charAt(i) <= 'z'; i++) {
            idx = (idx + (i < 1 ? 0 : 1)) * 26 + (rest.charAt(i) - 'a');
            if (idx > Integer.MAX_VALUE) {
                return -1;
            }
        }
        for (; i < rest.length(); i++) {
            if (rest.charAt(i) < '0' || rest.charAt(i) > '9') {
                return -1;
            }
        }
        return (int) idx;
    }

    /** virDomainDiskDefValidate (the generic part) and the duplicate drive addresses. */
    static void validate(List<Drive> drives) {
        for (Drive d : drives) {
            XmlNode disk = d.node();
            String type = disk.attr("type") == null ? "file" : disk.attr("type");
            XmlNode src = disk.child("source");
            String device = disk.attr("device") == null ? "disk" : disk.attr("device");
            if (device.equals("disk") && emptySource(type, src)) {
                // only CD-ROMs and floppies may have no medium
                throw new VirtException(ErrorCode.NO_SOURCE, ErrorDomain.DOMAIN, d.dst());
            }
            if (d.addressType() != null && !d.addressType().equals("drive")
                    && Set.of("ide", "fdc", "scsi", "sata").contains(d.bus())) {
                throw unsupported("Invalid address type '" + d.addressType() + "' for the disk '" + d.dst()
                    + "' with the bus type '" + d.bus() + "'");
            }
            if ("lun".equals(disk.attr("device"))) {
                if (type.equals("network")) {
                    String protocol = src == null ? null : src.attr("protocol");
                    if (!"iscsi".equals(protocol)) {
                        throw unsupported("disk device='lun' is not supported for protocol='" + protocol + "'");
                    }
                } else if (!type.equals("block") && !type.equals("volume")) {
                    throw unsupported("disk device='lun' is only valid for block type disk source");
                }
            }
            if (src != null) {
                sourceAuth(disk, type, src);
                XmlNode enc = src.child("encryption") != null ? src.child("encryption") : disk.child("encryption");
                if (enc != null && "luks".equals(enc.attr("format")) && enc.child("cipher") != null) {
                    throw unsupported("supplying <cipher> for domain disk definition is unnecessary");
                }
            }
        }
        for (int i = 0; i < drives.size(); i++) {
            Drive a = drives.get(i);
            if (!"drive".equals(a.addressType())) {
                continue;
            }
            for (int j = i + 1; j < drives.size(); j++) {
                Drive b = drives.get(j);
                if (a.bus().equals(b.bus()) && "drive".equals(b.addressType())
                        && Arrays.equals(a.address(), b.address())) {
                    long[] x = a.address();
                    throw unsupported("Found duplicate drive address for disk with target name '" + a.dst()
                        + "' controller='" + x[0] + "' bus='" + x[1] + "' target='" + x[2] + "' unit='" + x[3] + "'");
                }
            }
        }
    }

    /** virStorageSourceIsEmpty: a local source without a path (a disk without {@code <source>} is a file one). */
    private static boolean emptySource(String type, XmlNode src) {
        if (src == null) {
            return true;
        }
        switch (type) {
            case "file": return blank(src.attr("file")) && src.attr("fdgroup") == null;
            case "block": return blank(src.attr("dev"));
            case "dir": return blank(src.attr("dir"));
            default: return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /** virDomainDiskDefValidateSourceChainOne: the secret usage must suit the protocol. */
    private static void sourceAuth(XmlNode disk, String type, XmlNode src) {
        XmlNode auth = src.child("auth") != null ? src.child("auth") : disk.child("auth");
        if (auth == null || !type.equals("network")) {
            return;
        }
        String protocol = src.attr("protocol") == null ? "" : src.attr("protocol");
        switch (protocol) {
            case "nbd": case "sheepdog": case "gluster": case "tftp": case "vxhs": case "nfs":
                throw unsupported("authentication is not supported for protocol '" + protocol + "'");
            default:
                break;
        }
        XmlNode secret = auth.child("secret");
        String usage = secret == null ? null : secret.attr("type");
        if (usage == null || !SECRET_USAGES.contains(usage)) {
            throw unsupported("unknown secret type '" + (usage == null ? "<null>" : usage) + "'");
        }
        if (protocol.equals("iscsi") && !usage.equals("iscsi") || protocol.equals("rbd") && !usage.equals("ceph")) {
            throw unsupported("invalid secret type '" + usage + "'");
        }
    }
}
