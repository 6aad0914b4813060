package org.jvirt.api;

import java.util.List;

/**
 * A driver this process knows: an active one serving its schemes, or a rejected one with the reason.
 *
 * @param name           the driver's name
 * @param schemes        the URI schemes it serves
 * @param ranking        its ranking (higher wins for a scheme)
 * @param origin         where it came from: "osgi" or "classpath"
 * @param rejectedReason why it cannot be used, or null for an active driver
 */
public record DriverInfo(String name, List<String> schemes, int ranking, String origin, String rejectedReason) {

    public boolean isActive() {
        return rejectedReason == null;
    }
}
