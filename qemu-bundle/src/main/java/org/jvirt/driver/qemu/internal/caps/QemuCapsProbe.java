package org.jvirt.driver.qemu.internal.caps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;

/** Runs a QEMU binary once with {@code -machine none -qmp stdio} and asks it what it can do. */
public final class QemuCapsProbe {
    private QemuCapsProbe() {
    }

    public static QemuCaps probe(Path binary) {
        List<String> cmd = List.of(binary.toString(), "-S", "-no-user-config", "-nodefaults", "-nographic",
                "-machine", "none", "-qmp", "stdio");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "Cannot run QEMU binary " + binary + ": " + e.getMessage(), e);
        }
        try {
            String[] commands = {
                "{\"execute\":\"qmp_capabilities\",\"id\":\"caps\"}",
                "{\"execute\":\"query-version\",\"id\":\"version\"}",
                "{\"execute\":\"query-target\",\"id\":\"target\"}",
                "{\"execute\":\"query-machines\",\"id\":\"machines\"}",
                "{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"accel\"},\"id\":\"accels\"}",
                "{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"device\",\"abstract\":false},"
                    + "\"id\":\"devices\"}",
                "{\"execute\":\"quit\",\"id\":\"quit\"}",
            };
            try (OutputStream out = p.getOutputStream()) {
                out.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            ObjectNode replies = QmpJson.object();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode msg;
                    try {
                        msg = QmpJson.parse(line);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    String id = QmpJson.str(msg, "id");
                    if (id != null) {
                        replies.set(id, msg.path("return"));
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (!replies.has("target") || !replies.has("machines")) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU,
                        "QEMU binary " + binary + " did not answer the capability probe");
            }
            return parse(binary.toString(), replies);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "probing QEMU binary " + binary + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted probing " + binary);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    static QemuCaps parse(String binary, JsonNode r) {
        JsonNode ver = r.path("version");
        JsonNode q = ver.path("qemu");
        long version = q.path("major").asLong(0) * 1_000_000 + q.path("minor").asLong(0) * 1000 + q.path("micro").asLong(0);
        String arch = archName(QmpJson.str(r.path("target"), "arch"));
        List<QemuCaps.Machine> machines = new ArrayList<>();
        for (JsonNode o : r.path("machines")) {
            String name = QmpJson.str(o, "name");
            if (name == null || name.equals("none")) {
                continue;
            }
            QemuCaps.Machine m = new QemuCaps.Machine(name, QmpJson.str(o, "alias"), o.path("is-default").asBoolean(false),
                    (int) o.path("cpu-max").asLong(1), o.path("deprecated").asBoolean(false));
            if (m.isDefault()) {
                machines.add(0, m);
            } else {
                machines.add(m);
            }
        }
        TreeSet<String> accels = new TreeSet<>();
        for (JsonNode o : r.path("accels")) {
            String n = QmpJson.str(o, "name");
            if (n != null && n.endsWith("-accel")) {
                accels.add(n.substring(0, n.length() - "-accel".length()));
            }
        }
        TreeSet<String> devices = new TreeSet<>();
        for (JsonNode o : r.path("devices")) {
            String n = QmpJson.str(o, "name");
            if (n != null) {
                devices.add(n);
            }
        }
        return new QemuCaps(binary, arch, version, List.copyOf(machines), accels, devices);
    }

    /** libvirt's arch names for QEMU's target names. */
    static String archName(String target) {
        if (target == null) {
            return null;
        }
        return switch (target) {
            case "i386" -> "i686";
            case "arm" -> "armv7l";
            default -> target;
        };
    }

    /** Reads the file behind a binary to identify it (size and mtime). */
    static String fingerprint(Path binary) throws IOException {
        Path real = binary.toRealPath();
        return real + ":" + Files.size(real) + ":" + Files.getLastModifiedTime(real).toMillis();
    }
}
