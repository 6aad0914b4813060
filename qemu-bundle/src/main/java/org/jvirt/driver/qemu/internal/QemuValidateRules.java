package org.jvirt.driver.qemu.internal;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.GenericDeviceDef;
import org.jvirt.xml.XmlNode;

/**
 * Rules of libvirt 9.0's src/qemu/qemu_validate.c that do not depend on the QEMU binary's capabilities:
 * lifecycle actions, memory tuning, the BIOS serial console, TPMs and cache tuning. Codes and messages are
 * libvirt's; {@link QemuXmlHooks#validate} runs them before its capability checks.
 */
final class QemuValidateRules {
    private QemuValidateRules() {
    }

    private static VirtException unsupported(String msg) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, msg);
    }

    static void validate(DomainDef def) {
        lifecycle(def.getOnPoweroff(), def.getOnReboot(), def.getOnCrash());
        XmlNode memtune = extra(def, "memtune");
        if (memtune != null && memtune.child("min_guarantee") != null) {
            throw unsupported("Parameter 'min_guarantee' not supported by QEMU.");
        }
        XmlNode bios = def.getOs().getBios();
        if (bios != null && "yes".equals(bios.attr("useserial"))) {
            String arch = def.getOs().getArch();
            if (arch != null && !arch.equals("x86_64") && !arch.equals("i686")) {
                throw unsupported("BIOS serial console only supported on x86 architectures");
            }
            if (def.getSerials().isEmpty()) {
                throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.QEMU,
                    "need at least one serial port to use BIOS serial output");
            }
        }
        XmlNode cputune = extra(def, "cputune");
        if (cputune != null && cputune.child("cachetune") != null && !"kvm".equals(def.getType())) {
            throw unsupported("cachetune is only supported for KVM domains");
        }
        boolean proxy = false;
        boolean regular = false;
        for (GenericDeviceDef d : def.getOtherDevices()) {
            if (!d.getElementName().equals("tpm")) {
                continue;
            }
            if ("spapr-tpm-proxy".equals(d.getNode().attr("model"))) {
                if (proxy) {
                    throw unsupported("only a single TPM Proxy device is supported");
                }
                proxy = true;
            } else {
                if (regular) {
                    throw unsupported("only a single TPM non-proxy device is supported");
                }
                regular = true;
            }
        }
    }

    /** qemuValidateLifecycleAction. */
    private static void lifecycle(String onPoweroff, String onReboot, String onCrash) {
        if ("rename-restart".equals(onPoweroff) || "rename-restart".equals(onReboot)
                || "rename-restart".equals(onCrash)) {
            throw unsupported("qemu driver doesn't support the 'rename-restart' action for "
                + "'on_reboot'/'on_poweroff'/'on_crash'");
        }
        if ("preserve".equals(onPoweroff) || "preserve".equals(onReboot)) {
            throw unsupported("qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'");
        }
        if ("restart".equals(onPoweroff) && "destroy".equals(onReboot)) {
            throw unsupported("qemu driver doesn't support 'onReboot' set to 'destroy and 'onPoweroff' set to "
                + "'reboot'");
        }
    }

    private static XmlNode extra(DomainDef def, String name) {
        for (XmlNode x : def.getExtraElements()) {
            if (x.getName().equals(name)) {
                return x;
            }
        }
        return null;
    }
}
