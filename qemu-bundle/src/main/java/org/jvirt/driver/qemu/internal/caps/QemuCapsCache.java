package org.jvirt.driver.qemu.internal.caps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.spi.support.AtomicFiles;

/**
 * Probe results per binary, keyed by path, size and mtime: in memory, and on disk under the cache
 * directory so that a new process does not probe again. A changed binary is probed again.
 */
public final class QemuCapsCache {
    private static final String MAGIC = "jvirt-qemu-caps 1";

    private final Path dir;
    private final Map<String, QemuCaps> memory = new ConcurrentHashMap<>();

    public QemuCapsCache(Path dir) {
        this.dir = dir;
    }

    private final Map<String, QemuCaps> fixed = new ConcurrentHashMap<>();

    /** Pins the capabilities of a path without probing (golden-file tests use a fixed QEMU). */
    public QemuCapsCache fix(QemuCaps caps) {
        fixed.put(caps.emulator(), caps);
        return this;
    }

    /** The capabilities of a binary; throws SYSTEM_ERROR naming the binary when it cannot be used. */
    public QemuCaps get(String emulator) {
        if (emulator == null) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "no emulator given");
        }
        QemuCaps pinned = fixed.get(emulator);
        if (pinned != null) {
            return pinned;
        }
        Path bin = Path.of(emulator);
        if (!bin.isAbsolute()) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "emulator path '" + emulator + "' must be absolute");
        }
        String key;
        try {
            key = QemuCapsProbe.fingerprint(bin);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "Cannot check QEMU binary " + emulator + ": No such file or directory");
        }
        if (!Files.isExecutable(bin)) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "Cannot check QEMU binary " + emulator + ": Permission denied");
        }
        QemuCaps c = memory.get(key);
        if (c != null) {
            return c;
        }
        synchronized (this) {
            c = memory.get(key);
            if (c != null) {
                return c;
            }
            Path file = dir == null ? null : dir.resolve(fileName(emulator));
            c = file == null ? null : load(file, key, emulator);
            if (c == null) {
                c = QemuCapsProbe.probe(bin);
                if (file != null) {
                    store(file, key, c);
                }
            }
            memory.put(key, c);
            return c;
        }
    }

    private static String fileName(String emulator) {
        return emulator.replaceAll("[^A-Za-z0-9._-]", "_") + ".caps";
    }

    private static QemuCaps load(Path file, String key, String emulator) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 3 || !lines.get(0).equals(MAGIC) || !lines.get(1).equals("key " + key)) {
                return null;
            }
            String arch = null;
            long version = 0;
            List<QemuCaps.Machine> machines = new ArrayList<>();
            TreeSet<String> accels = new TreeSet<>();
            TreeSet<String> devices = new TreeSet<>();
            for (String l : lines.subList(2, lines.size())) {
                String[] f = l.split(" ");
                switch (f[0]) {
                    case "arch" -> arch = f[1];
                    case "version" -> version = Long.parseLong(f[1]);
                    case "machine" -> machines.add(new QemuCaps.Machine(f[1], f[2].equals("-") ? null : f[2],
                            f[3].equals("1"), Integer.parseInt(f[4]), f[5].equals("1")));
                    case "accel" -> accels.add(f[1]);
                    case "device" -> devices.add(f[1]);
                    default -> { }
                }
            }
            return new QemuCaps(emulator, arch, version, List.copyOf(machines), accels, devices);
        } catch (IOException | RuntimeException e) {
            return null; // a damaged cache file is probed again
        }
    }

    private static void store(Path file, String key, QemuCaps c) {
        StringBuilder sb = new StringBuilder(16384);
        sb.append(MAGIC).append('\n').append("key ").append(key).append('\n');
        sb.append("arch ").append(c.arch()).append('\n').append("version ").append(c.version()).append('\n');
        for (QemuCaps.Machine m : c.machines()) {
            sb.append("machine ").append(m.name()).append(' ').append(m.alias() == null ? "-" : m.alias())
                    .append(' ').append(m.isDefault() ? 1 : 0).append(' ').append(m.maxCpus()).append(' ')
                    .append(m.deprecated() ? 1 : 0).append('\n');
        }
        for (String a : c.accels()) {
            sb.append("accel ").append(a).append('\n');
        }
        for (String d : c.deviceTypes()) {
            sb.append("device ").append(d).append('\n');
        }
        try {
            AtomicFiles.write(file, sb.toString(), ErrorDomain.QEMU);
        } catch (VirtException e) {
            // a cache we cannot write only costs a probe next time
        }
    }

    /** Entries probed so far, for tests. */
    public Map<String, QemuCaps> snapshot() {
        return new LinkedHashMap<>(memory);
    }
}
