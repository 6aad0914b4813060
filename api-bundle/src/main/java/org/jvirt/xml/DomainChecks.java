package org.jvirt.xml;

import java.util.List;

/**
 * The generic checks of libvirt 9.0 on a parsed domain, in libvirt's three phases. Each phase calls the
 * rule classes in turn: {@link DomainRules} (character devices, resource control), {@link OsRules},
 * {@link TuningRules}, {@link AttributeRules}, {@link DeviceRules}, {@link DriveRules},
 * {@link HostdevRules}.
 */
final class DomainChecks {
    private final XmlNode root;
    private final XmlNode devices;
    private List<DriveRules.Drive> drives = List.of();

    DomainChecks(XmlNode root) {
        this.root = root;
        this.devices = root.child("devices");
    }

    /** The rules libvirt applies while parsing (domain_conf.c). */
    void parse(DomainDef def, boolean uuidGiven) {
        DomainRules.parse(root, def);
        OsRules.parse(root, def, !uuidGiven);
        TuningRules.parse(root);
        AttributeRules.parse(root);
        if (devices != null) {
            DeviceRules.parse(devices, def.getOs().getType());
            DriveRules.parse(devices);
            HostdevRules.parse(devices);
        }
    }

    /** Generic post-parse (domain_postparse.c), after the driver's. */
    void postParse(DomainXmlHooks hooks) {
        OsRules.postParse(root);
        TuningRules.postParse(root);
        if (devices != null) {
            drives = DriveRules.postParse(devices, hooks.diskFdPassing());
            HostdevRules.postParse(devices, drives);
            DeviceRules.postParse(devices);
        }
    }

    /** The devices libvirt's post-parse adds last: drive addresses and the controllers they imply. */
    void addImplicitDevices(DomainDef def) {
        if (devices != null) {
            ImplicitDevices.add(def, drives, devices);
        }
    }

    /** Generic validation (domain_validate.c), before the driver's. */
    void validate(DomainDef def) {
        DomainRules.validate(root, def);
        OsRules.validate(root);
        TuningRules.validate(root);
        if (devices != null) {
            DriveRules.validate(drives);
            HostdevRules.validate(devices);
            DeviceRules.validate(devices, TuningRules.cells(root).size());
        }
    }
}
