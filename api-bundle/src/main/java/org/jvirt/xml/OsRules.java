package org.jvirt.xml;

import java.util.UUID;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirt 9.0's rules on {@code <os>} (firmware, loader, NVRAM, boot menu) and {@code <sysinfo>}: those of
 * the parser (domain_conf.c), of post-parse (virDomainDefPostParseOs) and of virDomainDefOSValidate and
 * virDomainDefBootValidate. Codes and messages are libvirt's.
 */
final class OsRules {
    private OsRules() {
    }

    private static VirtException detail(String msg) {
        return new VirtException(ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, msg);
    }

    /** Parse-time rules; a sysinfo UUID becomes the domain's when the document gives none. */
    static void parse(XmlNode root, DomainDef def, boolean uuidGenerated) {
        XmlNode os = root.child("os");
        if (os != null) {
            String firmware = os.attr("firmware");
            if (firmware != null && !firmware.equals("bios") && !firmware.equals("efi")) {
                throw XmlIn.xmlError("unknown firmware value " + firmware);
            }
        }
        for (XmlNode sysinfo : root.children("sysinfo")) {
            if ("smbios".equals(sysinfo.attr("type"))) {
                smbios(sysinfo, def, uuidGenerated);
            }
        }
    }

    private static String entry(XmlNode parent, String name) {
        for (XmlNode e : parent.children("entry")) {
            if (name.equals(e.attr("name"))) {
                return e.getText() == null ? "" : e.getText();
            }
        }
        return null;
    }

    private static void smbios(XmlNode sysinfo, DomainDef def, boolean uuidGenerated) {
        XmlNode bios = sysinfo.child("bios");
        String date = bios == null ? null : entry(bios, "date");
        if (date != null && !biosDate(date)) {
            throw detail("Invalid BIOS 'date' format");
        }
        XmlNode system = sysinfo.child("system");
        String uuid = system == null ? null : entry(system, "uuid");
        if (uuid != null) {
            UUID parsed;
            try {
                parsed = XmlIn.uuid(uuid, "sysinfo");
            } catch (VirtException e) {
                throw detail("malformed <sysinfo> uuid element");
            }
            if (uuidGenerated) {
                def.setUuid(parsed);
            } else if (!parsed.equals(def.getUuid())) {
                throw detail("UUID mismatch between <uuid> and <sysinfo>");
            }
        }
    }

    /** mm/dd/yy or mm/dd/yyyy, a four-digit year from 1900. */
    private static boolean biosDate(String date) {
        String[] p = date.split("/", -1);
        if (p.length != 3) {
            return false;
        }
        try {
            int month = Integer.parseInt(p[0].strip());
            int day = Integer.parseInt(p[1].strip());
            int year = Integer.parseInt(p[2]);
            return month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 0 && (year < 100 || year >= 1900);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** virDomainDefPostParseOs. */
    static void postParse(XmlNode root) {
        XmlNode os = root.child("os");
        if (os == null || os.attr("firmware") == null || os.child("firmware") == null) {
            return;
        }
        String enrolled = null;
        String secure = null;
        for (XmlNode f : os.child("firmware").children("feature")) {
            if ("enrolled-keys".equals(f.attr("name"))) {
                enrolled = f.attr("enabled");
            } else if ("secure-boot".equals(f.attr("name"))) {
                secure = f.attr("enabled");
            }
        }
        if ("yes".equals(enrolled) && "no".equals(secure)) {
            throw detail("firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' "
                + "is disabled");
        }
    }

    /** virDomainDefBootValidate and virDomainDefOSValidate. */
    static void validate(XmlNode root) {
        XmlNode os = root.child("os");
        if (os == null) {
            return;
        }
        XmlNode bootmenu = os.child("bootmenu");
        if (bootmenu != null && "yes".equals(bootmenu.attr("enable")) && bootmenu.attr("timeout") != null) {
            String t = bootmenu.attr("timeout").strip();
            if (t.matches("\\d{1,10}") && Long.parseLong(t) > 65535) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                    "invalid value for boot menu timeout, must be in range [0,65535]");
            }
        }
        XmlNode bios = os.child("bios");
        String reboot = bios == null ? null : bios.attr("rebootTimeout");
        if (reboot != null && reboot.strip().matches("[-+]?\\d{1,10}")) {
            long t = Long.parseLong(reboot.strip());
            if (t < -1 || t > 65535) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                    "invalid value for rebootTimeout, must be in range [-1,65535]");
            }
        }
        XmlNode loader = os.child("loader");
        XmlNode nvram = os.child("nvram");
        if (loader == null && nvram == null) {
            return;
        }
        String firmware = os.attr("firmware");
        String loaderPath = loader == null || loader.getText() == null || loader.getText().isEmpty() ? null
            : loader.getText();
        String template = nvram == null ? null : nvram.attr("template");
        boolean hasNvram = nvram != null
            && (nvram.attr("type") != null || (nvram.getText() != null && !nvram.getText().isEmpty()));
        String attrReadonly = loader == null ? null : loader.attr("readonly");
        // post-parse makes a loader with a path a 'rom' one unless it says otherwise
        String attrType = loader == null || loader.attr("type") == null ? loaderPath == null ? null : "rom"
            : loader.attr("type");
        String attrSecure = loader == null ? null : loader.attr("secure");
        String stateless = loader == null ? null : loader.attr("stateless");
        if (firmware != null) {
            String when = " cannot be specified when firmware autoselection is enabled";
            if (attrReadonly != null) {
                throw detail("loader attribute 'readonly'" + when);
            }
            if (attrType != null) {
                throw detail("loader attribute 'type'" + when);
            }
            if (loaderPath != null) {
                throw detail("loader path" + when);
            }
            if (template != null) {
                throw detail("nvram attribute 'template'" + when);
            }
            if ("no".equals(attrSecure)) {
                throw detail("loader attribute 'secure'" + when);
            }
            if (hasNvram && !firmware.equals("efi")) {
                throw detail("firmware type '" + firmware + "' does not support nvram");
            }
        } else if (loaderPath == null) {
            throw detail("no loader path specified and firmware auto selection disabled");
        }
        if ("yes".equals(stateless)) {
            if (template != null) {
                throw detail("NVRAM template is not permitted when loader is stateless");
            }
            if (hasNvram) {
                throw detail("NVRAM is not permitted when loader is stateless");
            }
        } else if ("no".equals(stateless)) {
            if (firmware == null) {
                if (!"pflash".equals(attrType)) {
                    throw detail("Only pflash loader type permits NVRAM");
                }
            } else if (!firmware.equals("efi")) {
                throw detail("Only EFI firmware permits NVRAM");
            }
        }
    }
}
