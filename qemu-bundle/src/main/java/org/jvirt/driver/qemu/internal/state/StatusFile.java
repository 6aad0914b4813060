package org.jvirt.driver.qemu.internal.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.spi.support.AtomicFiles;

/**
 * A running domain's status file in the run directory: {@code key=value} lines (pid, id, state, reason,
 * monitor, log), a blank line, then the live domain XML. Written atomically after every change, read
 * when the driver starts again.
 */
public record StatusFile(Map<String, String> fields, String xml) {

    public String get(String key) {
        return fields.get(key);
    }

    public long getLong(String key, long dflt) {
        String v = fields.get(key);
        try {
            return v == null ? dflt : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    public void write(Path file) {
        StringBuilder sb = new StringBuilder(xml.length() + 256);
        sb.append("jvirt-qemu-status 1\n");
        for (Map.Entry<String, String> e : fields.entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue().replace("\n", " ")).append('\n');
        }
        sb.append('\n').append(xml);
        AtomicFiles.write(file, sb.toString(), ErrorDomain.QEMU);
    }

    public static StatusFile read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf("\n\n");
            if (!text.startsWith("jvirt-qemu-status 1\n") || end < 0) {
                throw new VirtException(ErrorCode.PARSE_FAILED, ErrorDomain.QEMU, "bad status file " + file);
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (String line : text.substring(text.indexOf('\n') + 1, end).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    f.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new StatusFile(f, text.substring(end + 2));
        } catch (IOException e) {
            throw new VirtException(ErrorCode.READ_FAILED, ErrorDomain.QEMU, "cannot read " + file + ": " + e);
        }
    }
}
