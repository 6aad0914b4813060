package org.jvirt.driver.qemu.internal.caps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.Json;

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
            Map<String, Object> replies = new HashMap<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Object msg;
                    try {
                        msg = Json.parse(line);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    String id = Json.str(msg, "id");
                    if (id != null) {
                        replies.put(id, ((Map<?, ?>) msg).get("return"));
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (!replies.containsKey("target") || !replies.containsKey("machines")) {
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

    static QemuCaps parse(String binary, Map<String, Object> r) {
        Map<String, Object> ver = Json.map(r, "version");
        Map<String, Object> q = Json.map(ver, "qemu");
        long version = Json.num(q, "major", 0) * 1_000_000 + Json.num(q, "minor", 0) * 1000 + Json.num(q, "micro", 0);
        String arch = archName(Json.str(Json.map(r, "target"), "arch"));
        List<QemuCaps.Machine> machines = new ArrayList<>();
        for (Object o : Json.list(r, "machines")) {
            String name = Json.str(o, "name");
            if (name == null || name.equals("none")) {
                continue;
            }
            QemuCaps.Machine m = new QemuCaps.Machine(name, Json.str(o, "alias"), Json.bool(o, "is-default"),
                    (int) Json.num(o, "cpu-max", 1), Json.bool(o, "deprecated"));
            if (m.isDefault()) {
                machines.add(0, m);
            } else {
                machines.add(m);
            }
        }
        TreeSet<String> accels = new TreeSet<>();
        for (Object o : Json.list(r, "accels")) {
            String n = Json.str(o, "name");
            if (n != null && n.endsWith("-accel")) {
                accels.add(n.substring(0, n.length() - "-accel".length()));
            }
        }
        TreeSet<String> devices = new TreeSet<>();
        for (Object o : Json.list(r, "devices")) {
            String n = Json.str(o, "name");
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
