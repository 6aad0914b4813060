package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reply to {@code query-status}: QEMU's run state ({@code running}, {@code paused}, {@code inmigrate},
 * {@code shutdown}, …; null if QEMU gave none) and whether the vCPUs run.
 */
public record QmpStatus(String status, boolean running) {

    public static QmpStatus from(JsonNode r) {
        return new QmpStatus(QmpJson.str(r, "status"), r.path("running").asBoolean(false));
    }
}
