package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/** The reply to {@code query-target}: the architecture QEMU emulates, in QEMU's naming ({@code i386}, …). */
public record QmpTarget(String arch) {

    public static QmpTarget from(JsonNode r) {
        return new QmpTarget(QmpJson.str(r, "arch"));
    }
}
