package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON for QMP and for QEMU's JSON {@code -device}/{@code -blockdev} syntax, on Jackson's tree model:
 * replies and events are {@link JsonNode}s, arguments {@link ObjectNode}s (insertion-ordered, so the
 * command line is stable for the golden files).
 */
public final class QmpJson {
    /** Thread-safe once configured; shared by every monitor. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private QmpJson() {
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * An object from key/value pairs; null values are left out. Values are strings, numbers, booleans
     * or JSON nodes.
     */
    public static ObjectNode obj(Object... kv) {
        ObjectNode n = object();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            String k = (String) kv[i];
            if (v == null) {
                continue;
            }
            if (v instanceof String s) {
                n.put(k, s);
            } else if (v instanceof Boolean b) {
                n.put(k, b);
            } else if (v instanceof Integer x) {
                n.put(k, x);
            } else if (v instanceof Long x) {
                n.put(k, x);
            } else if (v instanceof JsonNode j) {
                n.set(k, j);
            } else {
                n.set(k, MAPPER.valueToTree(v));
            }
        }
        return n;
    }

    /** One compact line of JSON. */
    public static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Parses one JSON value; throws IllegalArgumentException on malformed input. */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A text member, or null when absent or JSON null. */
    public static String str(JsonNode o, String key) {
        JsonNode v = o == null ? null : o.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
