package org.jvirt.platform.internal;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jvirt.api.DriverInfo;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Finds driver components that SCR could not make usable (activation failed, configuration or
 * references missing) and publishes each as a rejected {@link DriverInfo} service, which the front
 * end lists under {@code Connect.listDrivers()} with the reason. It rescans shortly after any bundle
 * or driver service change, on one thread that ends with the component.
 */
@Component(immediate = true)
public class DriverFailureMonitor {

    private static final String DRIVER = "org.jvirt.spi.Driver";

    @Reference
    private ServiceComponentRuntime scr;

    private BundleContext context;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> pending;
    private final Map<String, ServiceRegistration<DriverInfo>> published = new HashMap<>();
    private final Map<String, String> reasons = new HashMap<>();
    private final ServiceListener serviceListener = e -> schedule();
    private final BundleListener bundleListener = e -> {
        if (e.getType() == BundleEvent.STARTED || e.getType() == BundleEvent.STOPPED) {
            schedule();
        }
    };

    @Activate
    void activate(BundleContext ctx) throws Exception {
        context = ctx;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jvirt-driver-monitor");
            t.setDaemon(true);
            return t;
        });
        ctx.addServiceListener(serviceListener, "(objectClass=" + DRIVER + ")");
        ctx.addBundleListener(bundleListener);
        schedule();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        context.removeServiceListener(serviceListener);
        context.removeBundleListener(bundleListener);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (this) {
            for (ServiceRegistration<DriverInfo> r : published.values()) {
                unregister(r);
            }
            published.clear();
        }
    }

    /** Rescans soon, once for a burst of events (SCR acts on them in the same dispatch). */
    private synchronized void schedule() {
        if (executor.isShutdown() || (pending != null && !pending.isDone())) {
            return;
        }
        pending = executor.schedule(this::scanSafely, 50, TimeUnit.MILLISECONDS);
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            // a bundle went away during the scan: the next event rescans
        }
    }

    /** Compares SCR's view of driver components with what is published, and fixes the difference. */
    synchronized void scan() {
        Map<String, String> now = new HashMap<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.serviceInterfaces == null || !List.of(d.serviceInterfaces).contains(DRIVER)) {
                continue;
            }
            String key = d.bundle.symbolicName + "/" + d.name;
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                String reason = reason(c);
                if (reason != null) {
                    now.put(key, reason);
                }
            }
        }
        for (var it = published.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            String reason = now.get(e.getKey());
            if (reason == null || !reason.equals(reasons.get(e.getKey()))) {
                unregister(e.getValue());
                reasons.remove(e.getKey());
                it.remove();
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!published.containsKey(e.getKey())) {
                DriverInfo info = new DriverInfo(e.getKey(), List.of(), 0, "osgi", e.getValue());
                published.put(e.getKey(), context.registerService(DriverInfo.class, info, new Hashtable<>()));
                reasons.put(e.getKey(), e.getValue());
            }
        }
    }

    private static String reason(ComponentConfigurationDTO c) {
        switch (c.state) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "activation failed: " + firstLine(c.failure);
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waiting for its required configuration";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE: {
                StringBuilder sb = new StringBuilder("unsatisfied references:");
                for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                    sb.append(' ').append(r.name);
                }
                return sb.toString();
            }
            default:
                return null;
        }
    }

    /**
     * The message of the failure. SCR gives a stack trace: its first line and its "Caused by" lines
     * are candidates, and the first that carries a message (not a reflection wrapper) is the reason.
     */
    static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "unknown reason";
        }
        List<String> lines = failure.lines().toList();
        List<String> candidates = new java.util.ArrayList<>();
        candidates.add(lines.get(0));
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                candidates.add(line.substring("Caused by: ".length()));
            }
        }
        for (String c : candidates) {
            int colon = c.indexOf(": ");
            if (colon > 0 && !c.contains("InvocationTargetException")) {
                String cls = c.substring(0, colon);
                return cls.substring(cls.lastIndexOf('.') + 1) + c.substring(colon);
            }
        }
        return lines.get(0).trim();
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with the framework
        }
    }
}
