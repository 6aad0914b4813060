package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reply to {@code query-migrate}: the status ({@code none}, {@code setup}, {@code active},
 * {@code completed}, {@code failed}, {@code cancelled}, …; null before any migration on QEMUs that answer
 * {@code {}}), RAM progress in bytes (total 0 while unknown; remaining equals total when QEMU gives none),
 * and QEMU's reason for a failure.
 */
public record QmpMigrationInfo(String status, long ramTotal, long ramRemaining, String errorDesc) {

    public static QmpMigrationInfo from(JsonNode r) {
        JsonNode ram = r.path("ram");
        long total = ram.path("total").asLong(0);
        return new QmpMigrationInfo(QmpJson.str(r, "status"), total, ram.path("remaining").asLong(total),
                QmpJson.str(r, "error-desc"));
    }
}
