package org.jvirt.driver.qemu.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The JSON layer on Jackson: what QMP and the -device command line rely on. */
class QmpJsonTest {

    @Test
    void objectsKeepInsertionOrderAndLeaveOutNulls() {
        ObjectNode n = QmpJson.obj("driver", "virtio-blk-pci", "id", null, "bootindex", 1, "share-rw", true,
                "max-bandwidth", Long.MAX_VALUE / 2, "cache", QmpJson.obj("direct", true));
        n.put("bus", "pci.0");
        assertEquals("{\"driver\":\"virtio-blk-pci\",\"bootindex\":1,\"share-rw\":true,"
                + "\"max-bandwidth\":4611686018427387903,\"cache\":{\"direct\":true},\"bus\":\"pci.0\"}",
                QmpJson.write(n));
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\"}", QmpJson.write(QmpJson.obj("s", "a\"b\\c\n")));
    }

    @Test
    void repliesAndEventsParse() {
        JsonNode ev = QmpJson.parse("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"SHUTDOWN\","
                + " \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}}");
        assertEquals("SHUTDOWN", QmpJson.str(ev, "event"));
        assertTrue(ev.path("data").path("guest").asBoolean());
        assertNull(QmpJson.str(ev, "missing"));
        assertNull(QmpJson.str(QmpJson.parse("{\"a\":null}"), "a"));
        // QEMU's unsigned 64-bit counters stay exact
        JsonNode big = QmpJson.parse("{\"return\": {\"total\": 18446744073709551615, \"n\": 42}}").path("return");
        assertEquals("18446744073709551615", big.get("total").asText());
        assertEquals(42, big.path("n").asLong(-1));
        assertEquals(-1, big.path("absent").asLong(-1));
        // a missing member iterates as empty
        int n = 0;
        for (JsonNode ignored : big.path("absent")) {
            n++;
        }
        assertEquals(0, n);
        assertThrows(IllegalArgumentException.class, () -> QmpJson.parse("{\"unterminated\": "));
    }
}
