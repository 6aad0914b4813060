package org.jvirt.driver.qemu.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jvirt.api.VirtUri;
import org.jvirt.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * The QEMU/KVM driver: {@code qemu:///system}, {@code qemu:///session} and
 * {@code qemu:///embed?root=/dir}. State (domains, processes) is per root and shared by all
 * connections to that root in this process. System and session state lives as long as the driver;
 * an embed root's state is released with its last connection (its guests keep running and are
 * found again on the next open), as libvirt's embedded driver does.
 */
@Component(service = Driver.class, configurationPid = QemuDriver.PID,
    property = {Driver.SCHEME_PROPERTY + "=qemu", Driver.SCHEME_PROPERTY + "=kvm", "service.ranking:Integer=0"})
public class QemuDriver implements Driver {

    /** ConfigAdmin PID of the driver's settings: {@code system.prefix}, {@code defaultUri}. */
    public static final String PID = "org.jvirt.driver.qemu";

    private volatile Path systemPrefix = Path.of("/");
    private volatile String defaultUriSetting;
    /** Whether this process is jvirtd (system property {@value #DAEMON_PROPERTY}, or the {@code daemon} setting). */
    private volatile boolean daemon = Boolean.getBoolean(DAEMON_PROPERTY);

    /** Set by jvirtd's launcher: this process owns the node's state. */
    public static final String DAEMON_PROPERTY = "jvirt.daemon";

    private final Map<String, QemuHost> hosts = new HashMap<>();
    private final Map<Path, QemuCapsCache> capsCaches = new HashMap<>();

    @Override
    public String name() {
        return "QEMU";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("qemu", "kvm");
    }

    @Override
    public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
        String scheme = uri.driver();
        if (!"qemu".equals(scheme) && !"kvm".equals(scheme) || uri.isRemote()) {
            return Optional.empty();
        }
        QemuConfig config = QemuConfig.fromUri(uri, systemPrefix);
        if (!config.uri().startsWith("qemu:///embed") && !daemon) {
            // qemu:///system and qemu:///session belong to jvirtd: a client reaches them through its socket
            return Optional.empty();
        }
        QemuHost host;
        synchronized (hosts) {
            host = hosts.get(config.key());
            if (host == null) {
                QemuCapsCache cache = capsCaches.computeIfAbsent(config.cacheDir(), QemuCapsCache::new);
                host = new QemuHost(config, cache);
                host.init();
                hosts.put(config.key(), host);
            }
            host.refs++;
        }
        return Optional.of(new QemuConnection(this, host, context.events()));
    }

    /** Running guests keep jvirtd up past its idle timeout, as libvirtd's QEMU driver inhibits shutdown. */
    @Override
    public boolean inhibitsIdleExit() {
        synchronized (hosts) {
            for (QemuHost h : hosts.values()) {
                if (h.domains.numActive() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    void release(QemuHost host) {
        synchronized (hosts) {
            host.refs--;
            if (host.refs <= 0 && host.config.uri().startsWith("qemu:///embed")) {
                hosts.remove(host.config.key());
                host.close();
            }
        }
    }

    /**
     * Takes the ConfigAdmin settings: {@code system.prefix} (a directory prepended to qemu:///system's
     * roots; new opens use it), {@code defaultUri} (what a null URI opens; {@code none} to never be
     * the default).
     */
    @Activate
    @Modified
    public void configure(Map<String, Object> properties) {
        Object prefix = properties.get("system.prefix");
        Path p = prefix == null || String.valueOf(prefix).isBlank() ? Path.of("/") : Path.of(String.valueOf(prefix));
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("system.prefix must be an absolute directory, not '" + prefix + "'");
        }
        systemPrefix = p;
        Object d = properties.get("daemon");
        daemon = d != null ? Boolean.parseBoolean(String.valueOf(d)) : Boolean.getBoolean(DAEMON_PROPERTY);
        Object dflt = properties.get("defaultUri");
        defaultUriSetting = dflt == null || String.valueOf(dflt).isBlank() ? null : String.valueOf(dflt);
    }

    @Override
    public Optional<String> defaultUri() {
        String configured = defaultUriSetting;
        if (configured != null) {
            return configured.equals("none") ? Optional.empty() : Optional.of(configured);
        }
        return QemuXmlHooks.defaultEmulator(QemuXmlHooks.hostArch()) != null ? Optional.of("qemu:///system")
                : Optional.empty();
    }

    /** Detaches from every guest, leaving them running (bundle stop or update, JVM shutdown). */
    @Deactivate
    public void deactivate() {
        synchronized (hosts) {
            for (QemuHost h : hosts.values()) {
                h.close();
            }
            hosts.clear();
        }
    }
}
