package org.jvirt.driver.xen.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.driver.xen.internal.libxl.XlToolstack;
import org.jvirt.driver.xen.internal.xenstore.XenStore;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * The Xen driver: {@code xen:///system} (and libvirt's older {@code xen:///}). Stateful: outside jvirtd it
 * declines, so that the front end sends the URI to the daemon. Settings (ConfigAdmin PID {@value #PID}):
 * {@code daemon}, {@code configDir} (default /etc/libvirt/libxl), {@code xl} (the toolstack binary),
 * {@code xenstore} (xenstored's socket), {@code toolstack.env.NAME} (environment of xl).
 */
@Component(service = Driver.class, configurationPid = XenDriver.PID,
    property = {Driver.SCHEME_PROPERTY + "=xen", "service.ranking:Integer=0"})
public class XenDriver implements Driver {
    public static final String PID = "org.jvirt.driver.xen";
    public static final String DAEMON_PROPERTY = "jvirt.daemon";

    private volatile boolean daemon = Boolean.getBoolean(DAEMON_PROPERTY);
    private volatile XenHost.Config config = new XenHost.Config(Path.of("/etc/libvirt/libxl"), XlToolstack.DEFAULT_XL,
            XenStore.defaultSocket(), Map.of());
    private XenHost host;

    @Override
    public String name() {
        return "Xen";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("xen");
    }

    @Override
    public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
        if (!"xen".equals(uri.driver()) || uri.isRemote()) {
            return Optional.empty();
        }
        String path = uri.path();
        if (!path.isEmpty() && !path.equals("/") && !path.equals("/system")) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL,
                    "unexpected Xen URI path '" + path + "', try xen:///system");
        }
        if (!daemon) {
            return Optional.empty(); // xen:///system belongs to jvirtd
        }
        XenHost h;
        synchronized (this) {
            if (host == null) {
                XenHost fresh = new XenHost(config);
                fresh.init();
                host = fresh;
            }
            h = host;
            h.refs++;
        }
        XenConnection c = new XenConnection(this, h, context.events());
        h.watchDomains();
        return Optional.of(c);
    }

    synchronized void release(XenHost h) {
        if (--h.refs == 0) {
            h.close(); // xenstored's connection is opened again by the next connection's first call
        }
    }

    @Activate
    @Modified
    public void configure(Map<String, Object> properties) {
        Object d = properties.get("daemon");
        daemon = d != null ? Boolean.parseBoolean(String.valueOf(d)) : Boolean.getBoolean(DAEMON_PROPERTY);
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            if (e.getKey().startsWith("toolstack.env.")) {
                env.put(e.getKey().substring("toolstack.env.".length()), String.valueOf(e.getValue()));
            }
        }
        XenHost.Config c = new XenHost.Config(path(properties, "configDir", Path.of("/etc/libvirt/libxl")),
                path(properties, "xl", XlToolstack.DEFAULT_XL), path(properties, "xenstore", XenStore.defaultSocket()),
                env);
        synchronized (this) {
            config = c;
            host = null; // new opens use the new settings
        }
    }

    private static Path path(Map<String, Object> p, String key, Path dflt) {
        Object v = p.get(key);
        return v == null || String.valueOf(v).isBlank() ? dflt : Path.of(String.valueOf(v));
    }

    @Deactivate
    public synchronized void deactivate() {
        host = null;
    }
}
