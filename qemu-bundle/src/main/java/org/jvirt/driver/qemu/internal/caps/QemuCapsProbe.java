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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;
import org.jvirt.driver.qemu.internal.monitor.QmpMachine;
import org.jvirt.driver.qemu.internal.monitor.QmpObjectType;
import org.jvirt.driver.qemu.internal.monitor.QmpRequest;
import org.jvirt.driver.qemu.internal.monitor.QmpTarget;
import org.jvirt.driver.qemu.internal.monitor.QmpVersion;

/**
 * Runs a QEMU binary once with {@code -machine none -qmp stdio} and asks it what it can do. The requests go
 * out in one batch, each with its own id; a QEMU that has not answered within the timeout is killed.
 */
public final class QemuCapsProbe {
    /** How long QEMU may take to answer the whole probe. */
    static final long TIMEOUT_MS = 30_000;

    private QemuCapsProbe() {
    }

    public static QemuCaps probe(Path binary) {
        return probe(binary, TIMEOUT_MS);
    }

    static QemuCaps probe(Path binary, long timeoutMs) {
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
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
            timedOut.set(true);
            p.destroyForcibly();
        }, CompletableFuture.delayedExecutor(timeoutMs, TimeUnit.MILLISECONDS));
        try {
            try (OutputStream out = p.getOutputStream()) {
                out.write(requests().getBytes(StandardCharsets.UTF_8));
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
            if (timedOut.get() && (!replies.has("target") || !replies.has("machines"))) {
                throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU,
                        "QEMU binary " + binary + " did not answer the capability probe within "
                                + QemuMonitor.duration(timeoutMs));
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
            watchdog.cancel(false);
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** What the probe writes to QEMU's stdin: one request a line, each reply found by its id. */
    static String requests() {
        return String.join("\n",
                QmpRequest.qmpCapabilities().line("caps"),
                QmpRequest.queryVersion().line("version"),
                QmpRequest.queryTarget().line("target"),
                QmpRequest.queryMachines().line("machines"),
                QmpRequest.qomListTypes("accel", null).line("accels"),
                QmpRequest.qomListTypes("device", false).line("devices"),
                QmpRequest.quit().line("quit")) + "\n";
    }

    static QemuCaps parse(String binary, JsonNode r) {
        long version = QmpVersion.from(r.path("version")).number();
        String arch = archName(QmpTarget.from(r.path("target")).arch());
        List<QemuCaps.Machine> machines = new ArrayList<>();
        for (QmpMachine o : QmpMachine.list(r.path("machines"))) {
            String name = o.name();
            if (name == null || name.equals("none")) {
                continue;
            }
            QemuCaps.Machine m = new QemuCaps.Machine(name, o.alias(), o.isDefault(), o.cpuMax(), o.deprecated());
            if (m.isDefault()) {
                machines.add(0, m);
            } else {
                machines.add(m);
            }
        }
        TreeSet<String> accels = new TreeSet<>();
        for (QmpObjectType o : QmpObjectType.list(r.path("accels"))) {
            String n = o.name();
            if (n != null && n.endsWith("-accel")) {
                accels.add(n.substring(0, n.length() - "-accel".length()));
            }
        }
        TreeSet<String> devices = new TreeSet<>();
        for (QmpObjectType o : QmpObjectType.list(r.path("devices"))) {
            String n = o.name();
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
