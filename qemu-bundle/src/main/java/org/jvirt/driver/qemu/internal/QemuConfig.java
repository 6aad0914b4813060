package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;

/**
 * Where one driver instance keeps its files, and its settings (a libvirt-style {@code qemu.conf} in the
 * config directory: {@code key = value} lines, {@code #} comments).
 *
 * @param uri       the canonical URI
 * @param configDir persistent domain XML ({@code NAME.xml}) and {@code autostart/}
 * @param stateDir  save images, caps cache, per-domain lib dirs
 * @param runDir    status files and monitor sockets of running domains
 * @param logDir    per-domain QEMU logs
 * @param cacheDir  capability probe cache
 * @param settings  qemu.conf values
 */
public record QemuConfig(String uri, Path configDir, Path stateDir, Path runDir, Path logDir, Path cacheDir,
        Map<String, String> settings) {

    /** The key of a driver state: the roots. */
    public String key() {
        return configDir + "|" + runDir;
    }

    public static QemuConfig fromUri(VirtUri uri) {
        return fromUri(uri, Path.of("/"));
    }

    /**
     * The roots for a URI; {@code systemPrefix} is prepended to qemu:///system's directories
     * (ConfigAdmin PID {@code org.jvirt.driver.qemu}, property {@code system.prefix}).
     */
    public static QemuConfig fromUri(VirtUri uri, Path systemPrefix) {
        String path = uri.path();
        if (path.isEmpty() || path.equals("/")) {
            path = "/system";
        }
        QemuConfig c;
        switch (path) {
            case "/system" -> c = new QemuConfig("qemu:///system", systemPrefix.resolve("etc/jvirt/qemu"),
                    systemPrefix.resolve("var/lib/jvirt/qemu"), systemPrefix.resolve("run/jvirt/qemu"),
                    systemPrefix.resolve("var/log/jvirt/qemu"), systemPrefix.resolve("var/cache/jvirt/qemu"),
                    new HashMap<>());
            case "/session" -> {
                String home = System.getProperty("user.home");
                Path config = xdg("XDG_CONFIG_HOME", home, ".config").resolve("jvirt/qemu");
                Path data = xdg("XDG_DATA_HOME", home, ".local/share").resolve("jvirt/qemu");
                Path cache = xdg("XDG_CACHE_HOME", home, ".cache").resolve("jvirt/qemu");
                String rt = System.getenv("XDG_RUNTIME_DIR");
                Path run = rt != null && !rt.isEmpty() ? Path.of(rt, "jvirt/qemu/run") : cache.resolve("run");
                c = new QemuConfig("qemu:///session", config, data, run, cache.resolve("log"),
                        cache.resolve("capabilities"), new HashMap<>());
            }
            case "/embed" -> {
                String root = uri.param("root");
                if (root == null || root.isEmpty() || !Path.of(root).isAbsolute()) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                            "URI qemu:///embed needs an absolute root: qemu:///embed?root=/some/dir");
                }
                Path r = Path.of(root).normalize();
                c = new QemuConfig("qemu:///embed?root=" + r, r.resolve("etc/qemu"), r.resolve("lib/qemu"),
                        r.resolve("run/qemu"), r.resolve("log/qemu"), r.resolve("cache/qemu/capabilities"),
                        new HashMap<>());
            }
            default -> throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "unexpected QEMU URI path '" + path + "', try qemu:///system, qemu:///session or "
                            + "qemu:///embed?root=/dir");
        }
        c.loadSettings();
        return c;
    }

    private static Path xdg(String env, String home, String dflt) {
        String v = System.getenv(env);
        return v != null && !v.isEmpty() ? Path.of(v) : Path.of(home, dflt);
    }

    private void loadSettings() {
        Path f = configDir.resolve("qemu.conf");
        if (!Files.isRegularFile(f)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String l = line.trim();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.QEMU,
                            f + ": expected 'key = value' in: " + line);
                }
                String v = l.substring(eq + 1).trim();
                if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                }
                settings.put(l.substring(0, eq).trim(), v);
            }
        } catch (IOException e) {
            throw new VirtException(ErrorCode.READ_FAILED, ErrorDomain.QEMU, "cannot read " + f + ": " + e);
        }
    }

    public String setting(String key, String dflt) {
        return settings.getOrDefault(key, dflt);
    }

    public long setting(String key, long dflt) {
        String v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.QEMU,
                    "qemu.conf: '" + key + "' must be a number, not '" + v + "'");
        }
    }

    /** The KVM device whose accessibility decides whether type='kvm' can run. */
    public Path kvmDevice() {
        return Path.of(setting("kvm_device", "/dev/kvm"));
    }

    public String vncListen() {
        return setting("vnc_listen", "127.0.0.1");
    }

    public long detachTimeoutMs() {
        return setting("detach_timeout_ms", 5000);
    }

    public long shutdownTimeoutMs() {
        return setting("destroy_timeout_ms", 10_000);
    }
}
