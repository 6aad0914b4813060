package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reply to {@code query-dump}: the status ({@code none}, {@code active}, {@code completed},
 * {@code failed}) and the bytes written out of the total.
 */
public record QmpDumpInfo(String status, long completed, long total) {

    public static QmpDumpInfo from(JsonNode r) {
        return new QmpDumpInfo(QmpJson.str(r, "status"), r.path("completed").asLong(0), r.path("total").asLong(0));
    }
}
