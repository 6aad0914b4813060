package org.jvirt.driver.qemu.internal.monitor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One character device from {@code query-chardev}: its id and what it opened ({@code pty:/dev/pts/3}, …). */
public record QmpChardev(String label, String filename) {

    public static List<QmpChardev> list(JsonNode r) {
        List<QmpChardev> out = new ArrayList<>();
        if (r.isArray()) {
            for (JsonNode o : r) {
                out.add(new QmpChardev(QmpJson.str(o, "label"), QmpJson.str(o, "filename")));
            }
        }
        return List.copyOf(out);
    }
}
