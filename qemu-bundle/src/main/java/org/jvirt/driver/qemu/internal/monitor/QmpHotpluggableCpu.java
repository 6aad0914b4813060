package org.jvirt.driver.qemu.internal.monitor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One CPU slot from {@code query-hotpluggable-cpus}: the device type to plug into it, the properties that
 * name the slot (socket-id, core-id, …; pass them to device_add), and the QOM path of the CPU in it (null
 * while the slot is free).
 */
public record QmpHotpluggableCpu(String type, long vcpusCount, ObjectNode props, String qomPath) {

    public QmpHotpluggableCpu {
        props = props.deepCopy();
    }

    /** The props, a copy the caller may change. */
    @Override
    public ObjectNode props() {
        return props.deepCopy();
    }

    public boolean plugged() {
        return qomPath != null;
    }

    public static List<QmpHotpluggableCpu> list(JsonNode r) {
        List<QmpHotpluggableCpu> out = new ArrayList<>();
        if (r.isArray()) {
            for (JsonNode o : r) {
                JsonNode p = o.path("props");
                out.add(new QmpHotpluggableCpu(QmpJson.str(o, "type"), o.path("vcpus-count").asLong(1),
                        p.isObject() ? (ObjectNode) p : QmpJson.object(), QmpJson.str(o, "qom-path")));
            }
        }
        return List.copyOf(out);
    }
}
