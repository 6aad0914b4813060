package org.jvirt.driver.qemu.internal.monitor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One vCPU from {@code query-cpus-fast}: its index (its position in the reply when QEMU gives none), the
 * host thread that runs it (-1 if unknown) and its QOM path.
 */
public record QmpCpu(long cpuIndex, long threadId, String qomPath) {

    public static List<QmpCpu> list(JsonNode r) {
        List<QmpCpu> out = new ArrayList<>();
        if (r.isArray()) {
            for (JsonNode o : r) {
                out.add(new QmpCpu(o.path("cpu-index").asLong(out.size()), o.path("thread-id").asLong(-1),
                        QmpJson.str(o, "qom-path")));
            }
        }
        return List.copyOf(out);
    }
}
