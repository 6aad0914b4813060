package org.jvirt.driver.qemu.internal.caps;

import java.util.List;
import java.util.Set;

/**
 * What one QEMU binary can do, as probed over QMP.
 *
 * @param emulator    absolute path of the binary
 * @param arch        target architecture (x86_64, i386 reported as i686, ...)
 * @param version     version as major*1000000 + minor*1000 + micro
 * @param machines    machine types, the default first
 * @param accels      accelerators built in: tcg, kvm
 * @param deviceTypes instantiable device types (for model checks)
 */
public record QemuCaps(String emulator, String arch, long version, List<Machine> machines, Set<String> accels,
        Set<String> deviceTypes) {

    /** One machine type; {@code alias} is the short name (pc, q35) pointing to it, or null. */
    public record Machine(String name, String alias, boolean isDefault, int maxCpus, boolean deprecated) {
    }

    /** The canonical name of the default machine, or null. */
    public String defaultMachine() {
        for (Machine m : machines) {
            if (m.isDefault()) {
                return m.name();
            }
        }
        return machines.isEmpty() ? null : machines.get(0).name();
    }

    /** The machine known by name or alias, or null. */
    public Machine machine(String name) {
        for (Machine m : machines) {
            if (m.name().equals(name) || name.equals(m.alias())) {
                return m;
            }
        }
        return null;
    }

    /** Expands an alias (pc, q35) to its canonical name; unknown names are returned unchanged. */
    public String canonicalMachine(String name) {
        for (Machine m : machines) {
            if (name.equals(m.alias())) {
                return m.name();
            }
        }
        return name;
    }

    public boolean hasDevice(String type) {
        return deviceTypes.contains(type);
    }

    public String versionString() {
        return (version / 1_000_000) + "." + (version / 1000 % 1000) + "." + (version % 1000);
    }
}
