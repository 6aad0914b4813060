package org.jvirt.xml;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirt 9.0's rules on controllers, USB, video, TPM, shmem and memory devices, and on the PCI and USB
 * addresses every device may carry: parse time (domain_conf.c, device_conf.c, virpci.c), post-parse
 * (domain_postparse.c) and validation (domain_validate.c). Codes and messages are libvirt's.
 */
final class DeviceRules {
    private DeviceRules() {
    }

    private static VirtException unsupported(String msg) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, msg);
    }

    private static VirtException detail(String msg) {
        return new VirtException(ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, msg);
    }

    /** Parse-time rules. */
    static void parse(XmlNode devices, String osType) {
        boolean usbNone = false;
        boolean usbOther = false;
        boolean usbMaster = false;
        for (XmlNode c : devices.children("controller")) {
            if (!"usb".equals(c.attr("type"))) {
                continue;
            }
            if ("none".equals(c.attr("model"))) {
                if (usbOther || usbNone) {
                    throw detail("Can't add another USB controller: USB is disabled for this domain");
                }
                usbNone = true;
            } else {
                if (usbNone) {
                    throw detail("Can't add another USB controller: USB is disabled for this domain");
                }
                usbOther = true;
            }
            if (c.child("master") == null) {
                usbMaster = true;
            }
        }
        if (usbOther && !usbMaster) {
            throw detail("No master USB controller specified");
        }
        for (XmlNode d : devices.getChildren()) {
            addresses(d);
            switch (d.getName()) {
                case "input": {
                    String bus = d.attr("bus");
                    if (bus == null && "hvm".equals(osType) && "tablet".equals(d.attr("type"))) {
                        bus = "usb";
                    }
                    if ("usb".equals(bus) && usbNone) {
                        throw unsupported("Can't add USB input device. USB bus is disabled");
                    }
                    break;
                }
                case "hub":
                    if ("usb".equals(d.attr("type")) && usbNone) {
                        throw unsupported("Can't add USB hub: USB is disabled for this domain");
                    }
                    break;
                case "tpm":
                    if (d.children("backend").size() > 1) {
                        throw XmlIn.xmlError("only one TPM backend is supported");
                    }
                    if (d.child("backend") == null) {
                        throw XmlIn.xmlError("missing TPM device backend");
                    }
                    break;
                case "shmem":
                    if (d.child("msi") != null && d.child("server") == null) {
                        throw XmlIn.xmlError("msi option is only supported with a server");
                    }
                    break;
                case "controller":
                    controllerParse(d);
                    break;
                default:
                    break;
            }
        }
    }

    private static void controllerParse(XmlNode c) {
        if (c.children("model").size() > 1) {
            throw XmlIn.xmlError("Multiple <model> elements in controller definition not allowed");
        }
        if (c.children("target").size() > 1) {
            throw XmlIn.xmlError("Multiple <target> elements in controller definition not allowed");
        }
    }

    /** The PCI and USB addresses of a device (its own, and a host device's source), as libvirt parses them. */
    private static void addresses(XmlNode d) {
        XmlNode a = d.child("address");
        if (a != null && !("controller".equals(d.getName()) && "usb".equals(d.attr("type"))
                && "none".equals(d.attr("model")))) {
            if ("pci".equals(a.attr("type"))) {
                pciAddress(a);
            } else if ("usb".equals(a.attr("type")) && a.attr("port") != null) {
                usbPort(a.attr("port"));
            }
        }
        XmlNode src = d.child("source");
        if (src != null && src.child("address") != null
                && ("hostdev".equals(d.getName()) && "pci".equals(d.attr("type"))
                    || "interface".equals(d.getName()) && "hostdev".equals(d.attr("type")))) {
            XmlNode sa = src.child("address");
            if (sa.attr("type") == null || "pci".equals(sa.attr("type"))) {
                pciAddress(sa);
            }
        }
    }

    /** virPCIDeviceAddressParseXML: an address that is not all zero must be in range. */
    private static void pciAddress(XmlNode a) {
        long domain = HostdevRules.num(a.attr("domain"));
        long bus = HostdevRules.num(a.attr("bus"));
        long slot = HostdevRules.num(a.attr("slot"));
        long function = HostdevRules.num(a.attr("function"));
        if (domain == 0 && bus == 0 && slot == 0 && function == 0) {
            return;
        }
        if (bus > 0xFF) {
            throw XmlIn.xmlError("Invalid PCI address bus='0x" + Long.toHexString(bus) + "', must be <= 0xFF");
        }
        if (slot > 0x1F) {
            throw XmlIn.xmlError("Invalid PCI address slot='0x" + Long.toHexString(slot) + "', must be <= 0x1F");
        }
        if (function > 7) {
            throw XmlIn.xmlError("Invalid PCI address function=0x" + Long.toHexString(function) + ", must be <= 7");
        }
    }

    /** virDomainDeviceUSBAddressParsePort: at most four dot-separated port numbers. */
    private static void usbPort(String port) {
        if (!port.matches("\\d+(\\.\\d+){0,3}")) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN,
                "Cannot parse <address> 'port' attribute");
        }
    }

    /** virDomainDefPostParseCheckController: no two controllers of a type (but USB) share an index. */
    static void postParse(XmlNode devices) {
        Map<String, Set<Long>> used = new HashMap<>();
        for (XmlNode c : devices.children("controller")) {
            String type = c.attr("type");
            if (type == null || type.equals("usb") || c.attr("index") == null) {
                continue;
            }
            long idx = HostdevRules.num(c.attr("index"));
            if (!used.computeIfAbsent(type, k -> new HashSet<>()).add(idx)) {
                throw XmlIn.xmlError("Multiple '" + type + "' controllers with index '" + idx + "'");
            }
        }
    }

    /** virDomainControllerDefValidate, virDomainDefVideoValidate, virDomainVideoDefValidate, memory devices. */
    static void validate(XmlNode devices, int numaCells) {
        for (XmlNode c : devices.children("controller")) {
            if ("pci".equals(c.attr("type"))) {
                pciController(c);
            }
        }
        java.util.List<XmlNode> videos = devices.children("video");
        int primaries = 0;
        for (XmlNode v : videos) {
            XmlNode model = v.child("model");
            if (model != null && "yes".equals(model.attr("primary"))) {
                primaries++;
            }
        }
        if (primaries > 1) {
            throw unsupported("Only one primary video device is supported");
        }
        for (XmlNode v : videos) {
            XmlNode model = v.child("model");
            String type = model == null ? null : model.attr("type");
            if ("none".equals(type) && videos.size() > 1) {
                throw unsupported("a 'none' video type must be the only video device defined for the domain");
            }
            if ("ramfb".equals(type) && v.child("address") != null) {
                throw unsupported("address not supported for video type ramfb");
            }
        }
        for (XmlNode m : devices.children("memory")) {
            XmlNode target = m.child("target");
            XmlNode node = target == null ? null : target.child("node");
            if (node == null || node.getText() == null) {
                continue;
            }
            long n = HostdevRules.num(node.getText());
            if (numaCells == 0) {
                throw detail("can't add memory backend as guest has no NUMA nodes configured");
            }
            if (n >= numaCells) {
                throw detail("can't add memory backend for guest node '" + n + "' as the guest has only '"
                    + numaCells + "' NUMA nodes configured");
            }
        }
    }

    private static void pciController(XmlNode c) {
        String model = c.attr("model");
        if (("pci-root".equals(model) || "pcie-root".equals(model)) && c.child("address") != null) {
            throw unsupported("pci-root and pcie-root controllers should not have an address");
        }
        long idx = HostdevRules.num(c.attr("index"));
        if (idx > 255) {
            throw unsupported("PCI controller index " + idx + " too high, maximum is 255");
        }
        XmlNode t = c.child("target");
        if (t == null) {
            return;
        }
        if (t.attr("index") != null) {
            long ti = HostdevRules.num(t.attr("index"));
            if (ti < 0 || ti > 30) {
                throw unsupported("PCI controller target index '" + ti + "' out of range - must be 0-30");
            }
            if (idx == 0 && ti != 0 || idx != 0 && ti == 0) {
                throw unsupported("Only the PCI controller with index 0 can have target index 0, and vice versa");
            }
        }
        range(t, "chassisNr", 1, 255);
        range(t, "chassis", 0, 255);
        range(t, "port", 0, 255);
        range(t, "busNr", 1, 254);
        XmlNode node = t.child("node");
        if (node != null && node.getText() != null && idx == 0 && HostdevRules.num(node.getText()) >= 0) {
            throw unsupported("The PCI controller with index=0 can't be associated with a NUMA node");
        }
    }

    private static void range(XmlNode target, String attr, long min, long max) {
        String v = target.attr(attr);
        if (v == null) {
            return;
        }
        long n = HostdevRules.num(v);
        if (n >= 0 && (n < min || n > max)) {
            throw unsupported("PCI controller " + attr + " '" + n + "' out of range - must be " + min + "-" + max);
        }
    }
}
