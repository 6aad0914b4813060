package org.jvirt.core.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.jvirt.spi.Driver;
import org.jvirt.spi.NetworkDriver;

/**
 * The drivers a front end knows, by scheme and ranking. In OSGi the {@link DriverTracker} feeds it from
 * the service registry; otherwise it loads drivers once through {@link ServiceLoader}.
 */
final class DriverRegistry {

    /** A usable driver: a {@link Driver} or a {@link NetworkDriver}. */
    public record Entry(Object service, String name, List<String> schemes, int ranking, long order, String origin) {
    }

    /** A driver that was found but could not be used. */
    public record Rejected(String name, String reason, String origin) {
    }

    /** Highest ranking first, then first registered; a plain class so that startup links no lambda. */
    private static final Comparator<Entry> BY_RANKING = new Comparator<>() {
        @Override
        public int compare(Entry a, Entry b) {
            int r = Integer.compare(b.ranking(), a.ranking());
            return r != 0 ? r : Long.compare(a.order(), b.order());
        }
    };

    private final AtomicLong order = new AtomicLong();
    private volatile List<Entry> entries = List.of();
    private volatile List<Rejected> rejected = List.of();
    private volatile boolean driversLoaded;
    private volatile boolean networkDriversLoaded;
    private final boolean osgi;

    /** @param fromClassPath whether drivers come from ServiceLoader (outside OSGi) or are added (OSGi) */
    DriverRegistry(boolean fromClassPath) {
        this.osgi = !fromClassPath;
    }

    /** Drivers of the given kind serving a scheme, best first. */
    public <T> List<T> find(Class<T> kind, String scheme) {
        ensureLoaded(kind == NetworkDriver.class);
        List<T> out = new ArrayList<>(2);
        for (Entry e : entries) {
            if (kind.isInstance(e.service()) && e.schemes().contains(scheme)) {
                out.add(kind.cast(e.service()));
            }
        }
        return out;
    }

    public List<Entry> active() {
        ensureLoaded(false);
        ensureLoaded(true);
        return entries;
    }

    public List<Rejected> rejected() {
        ensureLoaded(false);
        ensureLoaded(true);
        return rejected;
    }

    /** Outside OSGi, loads each kind of driver through ServiceLoader the first time it is asked for. */
    private void ensureLoaded(boolean network) {
        if (osgi || (network ? networkDriversLoaded : driversLoaded)) {
            return;
        }
        synchronized (this) {
            if (osgi || (network ? networkDriversLoaded : driversLoaded)) {
                return;
            }
            ClassLoader cl = DriverRegistry.class.getClassLoader();
            if (network) {
                loadAll(ServiceLoader.load(NetworkDriver.class, cl).iterator(), "classpath");
                networkDriversLoaded = true;
            } else {
                loadAll(ServiceLoader.load(Driver.class, cl).iterator(), "classpath");
                driversLoaded = true;
            }
        }
    }

    private void loadAll(Iterator<?> it, String origin) {
        while (true) {
            Object svc;
            try {
                if (!it.hasNext()) {
                    return;
                }
                svc = it.next();
            } catch (ServiceConfigurationError e) {
                reject(e.getMessage(), String.valueOf(e.getCause() != null ? e.getCause() : e.getMessage()), origin);
                continue;
            }
            add(svc, null, origin);
        }
    }

    /** Adds a driver; scheme and ranking come from service properties when given, else from the driver. */
    public synchronized void add(Object service, Map<String, ?> properties, String origin) {
        String name = service.getClass().getName();
        List<String> schemes;
        int ranking;
        try {
            name = service instanceof Driver d ? d.name() : name;
            Object prop = properties == null ? null : properties.get(Driver.SCHEME_PROPERTY);
            schemes = prop != null ? toStrings(prop) : List.copyOf(schemesOf(service));
            Object rank = properties == null ? null : properties.get("service.ranking");
            ranking = rank instanceof Integer i ? i : rankingOf(service);
        } catch (RuntimeException e) {
            reject(name, "failed to describe itself: " + e, origin);
            return;
        }
        if (schemes.isEmpty()) {
            reject(name, "declares no URI scheme (" + Driver.SCHEME_PROPERTY + ")", origin);
            return;
        }
        List<Entry> next = new ArrayList<>(entries);
        next.add(new Entry(service, name, schemes, ranking, order.incrementAndGet(), origin));
        next.sort(BY_RANKING);
        entries = List.copyOf(next);
    }

    public synchronized void remove(Object service) {
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(e -> e.service() == service);
        entries = List.copyOf(next);
    }

    public synchronized void reject(String name, String reason, String origin) {
        List<Rejected> next = new ArrayList<>(rejected);
        next.removeIf(r -> r.name().equals(name) && r.origin().equals(origin));
        next.add(new Rejected(name, reason, origin));
        rejected = List.copyOf(next);
    }

    public synchronized void clearRejected(String name) {
        List<Rejected> next = new ArrayList<>(rejected);
        next.removeIf(r -> r.name().equals(name));
        rejected = List.copyOf(next);
    }

    private static Set<String> schemesOf(Object service) {
        if (service instanceof Driver d) {
            return d.schemes();
        }
        return ((NetworkDriver) service).schemes();
    }

    private static int rankingOf(Object service) {
        if (service instanceof Driver d) {
            return d.ranking();
        }
        return ((NetworkDriver) service).ranking();
    }

    private static List<String> toStrings(Object prop) {
        if (prop instanceof String s) {
            return List.of(s);
        }
        if (prop instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        if (prop.getClass().isArray()) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(prop); i++) {
                out.add(String.valueOf(Array.get(prop, i)));
            }
            return out;
        }
        return List.of(String.valueOf(prop));
    }
}
