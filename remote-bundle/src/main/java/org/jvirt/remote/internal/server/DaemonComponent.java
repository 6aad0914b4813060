package org.jvirt.remote.internal.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirt.spi.ProcedureFrontEnd;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * jvirtd's RPC server in OSGi. Configured by the PID {@value #PID} (libvirtd.conf setting names as
 * properties) on top of the libvirtd.conf file named by {@code config_file} or by the framework property
 * {@value #CONFIG_PROPERTY} (jvirtd's {@code -f}); {@code --listen} sets {@value #LISTEN_PROPERTY}.
 * A server that cannot start stops the framework, so that jvirtd exits with the reason. With a timeout, the
 * daemon exits once no client has been connected for that long and no driver has running domains.
 */
@Component(immediate = true, configurationPid = DaemonComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class DaemonComponent {
    public static final String PID = "org.jvirt.remote.server";
    public static final String CONFIG_PROPERTY = "jvirt.daemon.config";
    public static final String LISTEN_PROPERTY = "jvirt.daemon.listen";
    public static final String FAILED_PROPERTY = "jvirt.daemon.failed";

    @Reference
    private ProcedureFrontEnd frontEnd;

    /** The drivers, asked whether they keep the daemon up (running domains) when no client is connected. */
    @Reference(service = org.jvirt.spi.Driver.class, cardinality = org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile java.util.List<org.jvirt.spi.Driver> drivers;

    private RpcServer server;
    private java.util.concurrent.ScheduledExecutorService idleCheck;

    @Activate
    void activate(BundleContext ctx, Map<String, Object> props) {
        try {
            String file = string(props.get("config_file"), ctx.getProperty(CONFIG_PROPERTY));
            DaemonConfig fromFile = file == null || file.isEmpty() ? DaemonConfig.empty() : DaemonConfig.read(Path.of(file));
            DaemonConfig config = overlay(fromFile, props);
            boolean listen = Boolean.parseBoolean(string(props.get("listen"), ctx.getProperty(LISTEN_PROPERTY)));
            ServerSettings settings = ServerSettings.from(config, listen, defaultSocketDir());
            server = new RpcServer(frontEnd, settings, m -> System.out.println("jvirtd: " + m));
            server.start();
            startIdleTimeout(ctx, string(props.get("timeout"), ctx.getProperty("jvirt.daemon.timeout")));
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            System.err.println("jvirtd: error: cannot start the RPC server: " + why);
            System.setProperty(FAILED_PROPERTY, why);
            stopFramework(ctx);
        }
    }

    /** The directory of libvirtd's sockets: /var/run/libvirt for root, else $XDG_RUNTIME_DIR/libvirt. */
    static Path defaultSocketDir() {
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/run/libvirt");
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return runtime != null ? Path.of(runtime, "libvirt") : Path.of(System.getProperty("user.home"), ".cache/libvirt");
    }

    /** ConfigAdmin values over the file's: strings that are numbers become numbers, as in libvirtd.conf. */
    private static DaemonConfig overlay(DaemonConfig file, Map<String, Object> props) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : props.entrySet()) {
            String k = e.getKey();
            if (k.contains(".") || k.equals("config_file") || k.equals("listen")) {
                continue; // service.pid, felix.fileinstall.filename, component.name...
            }
            Object v = e.getValue();
            if (v instanceof String s && s.matches("-?\\d+")) {
                v = Long.parseLong(s);
            } else if (v instanceof Integer i) {
                v = i.longValue();
            } else if (v instanceof String s && s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
                v = s.substring(1, s.length() - 1);
            }
            m.put(k, v);
        }
        return file.with(m);
    }

    private static String string(Object first, String second) {
        return first != null ? String.valueOf(first) : second;
    }

    private static void stopFramework(BundleContext ctx) {
        Thread t = new Thread(() -> {
            try {
                ctx.getBundle(0).stop();
            } catch (BundleException | RuntimeException ignored) {
                // the framework is stopping anyway
            }
        }, "jvirtd-stop");
        t.setDaemon(true);
        t.start();
    }

    /** libvirtd's --timeout: exit once no client has been connected for that many seconds. */
    private void startIdleTimeout(BundleContext ctx, String seconds) {
        long timeout = seconds == null || seconds.isEmpty() ? 0 : Long.parseLong(seconds.trim());
        if (timeout <= 0) {
            return;
        }
        long[] idleSince = {System.nanoTime()};
        idleCheck = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jvirtd-idle-timeout");
            t.setDaemon(true);
            return t;
        });
        idleCheck.scheduleWithFixedDelay(() -> {
            if (server.clientCount() > 0 || inhibited()) {
                idleSince[0] = System.nanoTime();
            } else if (System.nanoTime() - idleSince[0] >= java.util.concurrent.TimeUnit.SECONDS.toNanos(timeout)) {
                System.out.println("jvirtd: no client for " + timeout + " s: exiting");
                idleCheck.shutdown();
                stopFramework(ctx);
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private boolean inhibited() {
        java.util.List<org.jvirt.spi.Driver> ds = drivers;
        if (ds == null) {
            return false;
        }
        for (org.jvirt.spi.Driver d : ds) {
            try {
                if (d.inhibitsIdleExit()) {
                    return true;
                }
            } catch (RuntimeException ignored) {
                // a driver that cannot say does not hold the daemon
            }
        }
        return false;
    }

    @Deactivate
    void deactivate() {
        if (idleCheck != null) {
            idleCheck.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }
}
