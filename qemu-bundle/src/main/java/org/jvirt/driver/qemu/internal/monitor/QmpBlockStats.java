package org.jvirt.driver.qemu.internal.monitor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of {@code query-blockstats}: the legacy drive name, the guest device's QOM path or id, the
 * block node, and the I/O counters (-1 when QEMU gives none; failed operations 0).
 */
public record QmpBlockStats(String device, String qdev, String nodeName, long rdOperations, long rdBytes,
        long wrOperations, long wrBytes, long failedRdOperations, long failedWrOperations) {

    public static List<QmpBlockStats> list(JsonNode r) {
        List<QmpBlockStats> out = new ArrayList<>();
        if (r.isArray()) {
            for (JsonNode o : r) {
                JsonNode s = o.path("stats");
                out.add(new QmpBlockStats(QmpJson.str(o, "device"), QmpJson.str(o, "qdev"),
                        QmpJson.str(o, "node-name"), s.path("rd_operations").asLong(-1),
                        s.path("rd_bytes").asLong(-1), s.path("wr_operations").asLong(-1),
                        s.path("wr_bytes").asLong(-1), s.path("failed_rd_operations").asLong(0),
                        s.path("failed_wr_operations").asLong(0)));
            }
        }
        return List.copyOf(out);
    }
}
