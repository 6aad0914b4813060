package org.jvirt.driver.qemu.internal.monitor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One machine type from {@code query-machines}. */
public record QmpMachine(String name, String alias, boolean isDefault, int cpuMax, boolean deprecated) {

    public static List<QmpMachine> list(JsonNode r) {
        List<QmpMachine> out = new ArrayList<>();
        if (r.isArray()) {
            for (JsonNode o : r) {
                out.add(new QmpMachine(QmpJson.str(o, "name"), QmpJson.str(o, "alias"),
                        o.path("is-default").asBoolean(false), (int) o.path("cpu-max").asLong(1),
                        o.path("deprecated").asBoolean(false)));
            }
        }
        return List.copyOf(out);
    }
}
