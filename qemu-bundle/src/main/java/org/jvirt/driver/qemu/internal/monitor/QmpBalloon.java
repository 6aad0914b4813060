package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/** The reply to {@code query-balloon}: the guest's current memory size in bytes (-1 if QEMU gives none). */
public record QmpBalloon(long actual) {

    public static QmpBalloon from(JsonNode r) {
        return new QmpBalloon(r.path("actual").asLong(-1));
    }
}
