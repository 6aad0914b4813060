package org.jvirt.driver.qemu.internal.monitor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One QOM type from {@code qom-list-types}: its name, its parent type (null if QEMU gives none), whether abstract. */
public record QmpObjectType(String name, String parent, boolean isAbstract) {

    public static List<QmpObjectType> list(JsonNode r) {
        List<QmpObjectType> out = new ArrayList<>();
        if (r.isArray()) {
            for (JsonNode o : r) {
                out.add(new QmpObjectType(QmpJson.str(o, "name"), QmpJson.str(o, "parent"),
                        o.path("abstract").asBoolean(false)));
            }
        }
        return List.copyOf(out);
    }
}
