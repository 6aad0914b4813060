package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/** The reply to {@code query-version}: QEMU's version and its distribution's package string. */
public record QmpVersion(long major, long minor, long micro, String pkg) {

    /** The version as libvirt numbers it: major * 1,000,000 + minor * 1,000 + micro. */
    public long number() {
        return major * 1_000_000 + minor * 1000 + micro;
    }

    public static QmpVersion from(JsonNode r) {
        JsonNode q = r.path("qemu");
        return new QmpVersion(q.path("major").asLong(0), q.path("minor").asLong(0), q.path("micro").asLong(0),
                QmpJson.str(r, "package"));
    }
}
