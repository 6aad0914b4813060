package org.jvirt.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirt 9.0's rules on host devices ({@code <hostdev>}, and {@code <interface type='hostdev'>}, which
 * libvirt also counts as one): mediated devices, duplicates, and SCSI drive addresses shared with disks.
 */
final class HostdevRules {
    private HostdevRules() {
    }

    /** The host devices of a domain, in libvirt's order of def->hostdevs. */
    static List<XmlNode> hostdevs(XmlNode devices) {
        List<XmlNode> out = new ArrayList<>();
        for (XmlNode d : devices.getChildren()) {
            if (d.getName().equals("hostdev") || d.getName().equals("interface") && "hostdev".equals(d.attr("type"))) {
                out.add(d);
            }
        }
        return out;
    }

    private static String subsysType(XmlNode h) {
        if (h.getName().equals("interface")) {
            XmlNode a = h.child("source") == null ? null : h.child("source").child("address");
            return a != null && "usb".equals(a.attr("type")) ? "usb" : "pci";
        }
        return "capabilities".equals(h.attr("mode")) ? null : h.attr("type");
    }

    /** Parse-time rules of virDomainHostdevDefParseXML. */
    static void parse(XmlNode devices) {
        for (XmlNode h : hostdevs(devices)) {
            XmlNode src = h.child("source");
            if ("mdev".equals(subsysType(h)) && h.getName().equals("hostdev")) {
                XmlNode a = src == null ? null : src.child("address");
                if (a == null) {
                    throw unsupported("Missing <address> element");
                }
                if (a.attr("uuid") == null) {
                    throw unsupported("Missing 'uuid' attribute for element <address>");
                }
            }
        }
    }

    /** virDomainHostdevDefPostParse: a mediated device's address must suit its model. */
    static void postParse(XmlNode devices, List<DriveRules.Drive> disks) {
        for (XmlNode h : hostdevs(devices)) {
            String type = subsysType(h);
            XmlNode addr = h.child("address");
            if ("mdev".equals(type) && addr != null && addr.attr("type") != null) {
                String model = h.attr("model");
                String at = addr.attr("type");
                if ("vfio-pci".equals(model) && !at.equals("pci") || "vfio-ccw".equals(model) && !at.equals("ccw")) {
                    throw XmlIn.xmlError("Unsupported address type '" + at + "' with mediated device model '"
                        + model + "'");
                }
            }
            if ("scsi".equals(type) && addr != null && "drive".equals(addr.attr("type"))) {
                long[] a = DriveRules.driveAddress(addr);
                for (DriveRules.Drive d : disks) {
                    if (d.bus().equals("scsi") && d.address() != null && java.util.Arrays.equals(d.address(), a)) {
                        throw XmlIn.xmlError("SCSI host address controller='" + a[0] + "' bus='" + a[1] + "' target='"
                            + a[2] + "' unit='" + a[3] + "' in use by a SCSI disk");
                    }
                }
            }
        }
    }

    /** virDomainDefHostdevValidate and the SCSI part of virDomainDefDuplicateDriveAddressesValidate. */
    static void validate(XmlNode devices) {
        List<XmlNode> all = hostdevs(devices);
        boolean ramfb = false;
        for (int i = 0; i < all.size(); i++) {
            XmlNode a = all.get(i);
            for (int j = i + 1; j < all.size(); j++) {
                if (match(a, all.get(j))) {
                    throw XmlIn.xmlError("Hostdev already exists in the domain configuration");
                }
            }
            if ("mdev".equals(subsysType(a)) && "on".equals(a.attr("ramfb"))) {
                if (ramfb) {
                    throw unsupported("Only one vgpu device can have 'ramfb' enabled");
                }
                ramfb = true;
            }
        }
        for (int i = 0; i < all.size(); i++) {
            XmlNode a = all.get(i);
            XmlNode addr = a.child("address");
            if (!"scsi".equals(subsysType(a)) || addr == null || !"drive".equals(addr.attr("type"))) {
                continue;
            }
            long[] ai = DriveRules.driveAddress(addr);
            for (int j = i + 1; j < all.size(); j++) {
                XmlNode b = all.get(j);
                XmlNode bAddr = b.child("address");
                if ("scsi".equals(subsysType(b)) && bAddr != null && "drive".equals(bAddr.attr("type"))
                        && java.util.Arrays.equals(ai, DriveRules.driveAddress(bAddr))) {
                    // libvirt writes the bus as controller and the controller as bus
                    throw unsupported("SCSI host address controller='" + ai[1] + "' bus='" + ai[0] + "' target='"
                        + ai[2] + "' unit='" + ai[3] + "' in use by another SCSI host device");
                }
            }
        }
    }

    /** SCSI host devices' drive addresses, for the disks' implied addresses to avoid. */
    static List<long[]> scsiDriveAddresses(XmlNode devices) {
        List<long[]> out = new ArrayList<>();
        for (XmlNode h : hostdevs(devices)) {
            XmlNode addr = h.child("address");
            if ("scsi".equals(subsysType(h)) && addr != null && "drive".equals(addr.attr("type"))) {
                out.add(DriveRules.driveAddress(addr));
            }
        }
        return out;
    }

    private static VirtException unsupported(String msg) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, msg);
    }

    /** virDomainHostdevMatch: the same host device twice. */
    static boolean match(XmlNode a, XmlNode b) {
        String ta = subsysType(a);
        String tb = subsysType(b);
        XmlNode sa = a.child("source");
        XmlNode sb = b.child("source");
        if (sa == null || sb == null) {
            return false;
        }
        if (ta == null || tb == null) {
            if (ta != null || tb != null || !Objects.equals(a.attr("type"), b.attr("type"))) {
                return false;
            }
            switch (String.valueOf(a.attr("type"))) {
                case "storage": return Objects.equals(text(sa, "block"), text(sb, "block"));
                case "misc": return Objects.equals(text(sa, "char"), text(sb, "char"));
                case "net": return Objects.equals(text(sa, "interface"), text(sb, "interface"));
                default: return false;
            }
        }
        if (!ta.equals(tb)) {
            return false;
        }
        switch (ta) {
            case "pci": {
                long[] pa = pci(sa.child("address"));
                return pa != null && java.util.Arrays.equals(pa, pci(sb.child("address")));
            }
            case "usb": {
                long[] ua = usbAddress(sa);
                if (ua[0] != 0 && ua[1] != 0) {
                    return java.util.Arrays.equals(ua, usbAddress(sb));
                }
                return Objects.equals(idOf(sa, "vendor"), idOf(sb, "vendor"))
                    && Objects.equals(idOf(sa, "product"), idOf(sb, "product"));
            }
            case "scsi": {
                if (!Objects.equals(sa.attr("protocol"), sb.attr("protocol"))) {
                    return false;
                }
                if ("iscsi".equals(sa.attr("protocol"))) {
                    XmlNode ha = sa.child("host");
                    XmlNode hb = sb.child("host");
                    return ha != null && hb != null && Objects.equals(ha.attr("name"), hb.attr("name"))
                        && Objects.equals(ha.attr("port"), hb.attr("port"))
                        && Objects.equals(sa.attr("name"), sb.attr("name"));
                }
                XmlNode ada = sa.child("adapter");
                XmlNode adb = sb.child("adapter");
                XmlNode aa = sa.child("address");
                XmlNode ab = sb.child("address");
                return ada != null && adb != null && aa != null && ab != null
                    && Objects.equals(ada.attr("name"), adb.attr("name"))
                    && num(aa.attr("bus")) == num(ab.attr("bus")) && num(aa.attr("target")) == num(ab.attr("target"))
                    && num(aa.attr("unit")) == num(ab.attr("unit"));
            }
            case "scsi_host":
                return Objects.equals(sa.attr("protocol"), sb.attr("protocol"))
                    && Objects.equals(sa.attr("wwpn"), sb.attr("wwpn"));
            case "mdev": {
                XmlNode aa = sa.child("address");
                XmlNode ab = sb.child("address");
                return aa != null && ab != null && aa.attr("uuid") != null && aa.attr("uuid").equals(ab.attr("uuid"));
            }
            default:
                return false;
        }
    }

    private static String text(XmlNode parent, String child) {
        XmlNode c = parent.child(child);
        return c == null || c.getText() == null ? null : c.getText().trim();
    }

    private static Long idOf(XmlNode src, String child) {
        XmlNode c = src.child(child);
        return c == null || c.attr("id") == null ? Long.valueOf(0) : Long.valueOf(num(c.attr("id")));
    }

    private static long[] usbAddress(XmlNode src) {
        XmlNode a = src.child("address");
        return a == null ? new long[2] : new long[] {num(a.attr("bus")), num(a.attr("device"))};
    }

    private static long[] pci(XmlNode a) {
        if (a == null) {
            return null;
        }
        return new long[] {num(a.attr("domain")), num(a.attr("bus")), num(a.attr("slot")), num(a.attr("function"))};
    }

    /** A number as libvirt's strtol with base 0 reads it (0x hex, leading 0 octal), or -1. */
    static long num(String v) {
        if (v == null) {
            return 0;
        }
        String s = v.strip();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseLong(s.substring(1), 8);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
