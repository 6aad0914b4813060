package org.jvirt.spi.support;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.InterfaceDef;

/** Checks drivers make before adding a device to a definition. */
public final class DomainDevices {
    private DomainDevices() {
    }

    /**
     * Refuses a device that clashes with one the definition has: a disk with the same target
     * ("target vdb already exists") or an interface with the same MAC ("interface with MAC … already
     * exists"), both OPERATION_FAILED in the driver's error domain. Other devices pass; whether the driver
     * can attach them at all is its own decision.
     */
    public static void checkNoClash(DomainDef def, DeviceDef dev, ErrorDomain errorDomain) {
        if (dev instanceof DiskDef disk && disk.getTargetDev() != null) {
            for (DiskDef other : def.getDisks()) {
                if (disk.getTargetDev().equals(other.getTargetDev())) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, errorDomain,
                            "target " + disk.getTargetDev() + " already exists");
                }
            }
        } else if (dev instanceof InterfaceDef nic && nic.getMac() != null) {
            for (InterfaceDef other : def.getInterfaces()) {
                if (nic.getMac().equalsIgnoreCase(String.valueOf(other.getMac()))) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, errorDomain,
                            "interface with MAC " + nic.getMac() + " already exists");
                }
            }
        }
    }
}
