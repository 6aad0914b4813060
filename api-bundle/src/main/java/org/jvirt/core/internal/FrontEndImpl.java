package org.jvirt.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirt.api.Connect;
import org.jvirt.api.ConnectAuth;
import org.jvirt.api.DomainEventListener;
import org.jvirt.api.DriverInfo;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ErrorListener;
import org.jvirt.api.FrontEnd;
import org.jvirt.api.OpenFlag;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.OpenContext;
import org.jvirt.spi.ProcedureFrontEnd;

/**
 * The front end's state, all of it in one object: the driver registry, the open connections, the global
 * error and event listeners, and each thread's last error (libvirt's virGetLastError, virSetErrorFunc).
 * Outside OSGi, {@link java.util.ServiceLoader} makes one that loads drivers from the class path; in OSGi
 * the {@link DriverTracker} component holds one fed by the service registry.
 */
public final class FrontEndImpl implements FrontEnd, ProcedureFrontEnd {
    /** The schemes of libvirt's stateful drivers, which a client process reaches through the daemon. */
    private static final Set<String> DAEMON_SCHEMES = Set.of("qemu", "xen", "lxc", "network", "storage",
            "nodedev", "secret", "nwfilter", "interface", "ch", "bhyve", "vbox", "vz");
    private final DriverRegistry registry;
    private final ThreadLocal<VirtError> lastError = new ThreadLocal<>();
    private final List<ErrorListener> globalErrorListeners = new CopyOnWriteArrayList<>();
    private final List<DomainEventListener> globalEventListeners = new CopyOnWriteArrayList<>();
    private final Map<ConnectImpl, Boolean> open = new ConcurrentHashMap<>();

    /** A front end whose drivers come from the class path through ServiceLoader. */
    public FrontEndImpl() {
        this(new DriverRegistry(true));
    }

    /** A front end with exactly these drivers, none loaded from the class path (tests, embedders). */
    public static FrontEndImpl of(Driver... drivers) {
        FrontEndImpl f = new FrontEndImpl(new DriverRegistry(false));
        for (Driver d : drivers) {
            f.registry.add(d, null, "embedded");
        }
        return f;
    }

    FrontEndImpl(DriverRegistry registry) {
        this.registry = registry;
    }

    DriverRegistry registry() {
        return registry;
    }

    @Override
    public Connect open(String uri, ConnectAuth auth, Set<OpenFlag> flags) {
        lastError.remove();
        try {
            return doOpen(uri, auth, flags == null ? Set.of() : flags);
        } catch (VirtException e) {
            report(e.error());
            throw e;
        } catch (RuntimeException e) {
            VirtException ve = new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE,
                    "opening " + uri + " failed: " + e, e);
            report(ve.error());
            throw ve;
        }
    }

    @Override
    public ProcedureConnection openProcedures(String uri, ConnectAuth auth, boolean readOnly, EventSink events) {
        lastError.remove();
        try {
            String name = uri == null || uri.isEmpty() ? defaultUri() : uri;
            VirtUri parsed = VirtUri.parse(name);
            for (Driver driver : registry.find(Driver.class, parsed.isRemote() ? Driver.REMOTE_SCHEME : parsed.driver())) {
                Optional<DriverConnection> conn = driver.open(parsed, new OpenContext(readOnly, auth, events));
                if (conn.isPresent()) {
                    return new ProcedureConnectionImpl(this, conn.get(), readOnly);
                }
            }
            throw new VirtException(ErrorCode.NO_CONNECT, ErrorDomain.NONE, name);
        } catch (VirtException e) {
            report(e.error());
            throw e;
        } catch (RuntimeException e) {
            VirtException ve = new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE,
                    "opening " + uri + " failed: " + e, e);
            report(ve.error());
            throw ve;
        }
    }

    /** The refusal of a change on a read-only connection, as libvirt words it. */
    VirtException readOnlyRefusal(String api) {
        return new VirtException(ErrorCode.OPERATION_DENIED, ErrorDomain.NONE, "read only access prevents " + api);
    }

    private Connect doOpen(String uri, ConnectAuth auth, Set<OpenFlag> flags) {
        String name = uri;
        if (name == null || name.isEmpty()) {
            name = defaultUri();
        }
        VirtUri parsed = VirtUri.parse(name);
        boolean readOnly = flags.contains(OpenFlag.READ_ONLY);
        EventFanout events = new EventFanout(globalEventListeners);
        Opened o = reopen(parsed, name, readOnly, auth, events);
        ConnectImpl c = new ConnectImpl(this, o.driver(), o.connection(), parsed, readOnly, auth, events);
        open.put(c, Boolean.TRUE);
        if (!globalEventListeners.isEmpty()) {
            c.listenForLifecycleEvents();
        }
        return c;
    }

    /** A driver and the connection it opened. */
    record Opened(Driver driver, DriverConnection connection) {
    }

    /**
     * Opens a driver connection for a URI: the first driver of its scheme that takes it, or for a stateful
     * driver's URI that no in-process driver takes, the daemon (as libvirt's client library does).
     */
    Opened reopen(VirtUri parsed, String name, boolean readOnly, ConnectAuth auth, EventFanout events) {
        String scheme = parsed.isRemote() ? Driver.REMOTE_SCHEME : parsed.driver();
        Opened o = firstToOpen(registry.find(Driver.class, scheme), parsed, readOnly, auth, events);
        if (o == null && !parsed.isRemote() && DAEMON_SCHEMES.contains(parsed.driver())) {
            o = firstToOpen(registry.find(Driver.class, Driver.REMOTE_SCHEME), parsed, readOnly, auth, events);
        }
        if (o == null) {
            throw new VirtException(ErrorCode.NO_CONNECT, ErrorDomain.NONE, name);
        }
        return o;
    }

    /** The connection of the first driver that takes the URI, or null when all decline. */
    private static Opened firstToOpen(List<Driver> drivers, VirtUri uri, boolean readOnly, ConnectAuth auth,
            EventFanout events) {
        for (Driver driver : drivers) {
            Optional<DriverConnection> conn = driver.open(uri, new OpenContext(readOnly, auth, events));
            if (conn.isPresent()) {
                return new Opened(driver, conn.get());
            }
        }
        return null;
    }

    /** A connection opened again (see {@link ConnectImpl#reconnect()}) is open again. */
    void reopened(ConnectImpl c) {
        open.put(c, Boolean.TRUE);
    }

    private String defaultUri() {
        String env = System.getenv("JVIRT_DEFAULT_URI");
        if (env == null || env.isEmpty()) {
            env = System.getenv("LIBVIRT_DEFAULT_URI");
        }
        if (env != null && !env.isEmpty()) {
            return env;
        }
        for (DriverRegistry.Entry e : registry.active()) {
            if (e.service() instanceof Driver d) {
                Optional<String> u = d.defaultUri();
                if (u.isPresent()) {
                    return u.get();
                }
            }
        }
        throw new VirtException(ErrorCode.NO_CONNECT, ErrorDomain.NONE, "<null>");
    }

    @Override
    public List<DriverInfo> listDrivers() {
        List<DriverInfo> out = new ArrayList<>();
        for (DriverRegistry.Entry e : registry.active()) {
            out.add(new DriverInfo(e.name(), e.schemes(), e.ranking(), e.origin(), null));
        }
        for (DriverRegistry.Rejected e : registry.rejected()) {
            out.add(new DriverInfo(e.name(), List.of(), 0, e.origin(), e.reason()));
        }
        return out;
    }

    void closed(ConnectImpl c) {
        open.remove(c);
    }

    /** A driver went away: connections on it fail from now on. */
    void driverGone(Driver driver) {
        for (ConnectImpl c : open.keySet()) {
            if (c.driver() == driver) {
                c.driverGone();
            }
        }
    }

    /** Records an error as the thread's last error and tells the global listeners. */
    void report(VirtError error) {
        lastError.set(error);
        for (ErrorListener l : globalErrorListeners) {
            try {
                l.onError(error);
            } catch (RuntimeException ignored) {
                // a listener's failure must not mask the error being reported
            }
        }
    }

    /** Starts a call: clears the thread's last error. */
    void enter() {
        if (lastError.get() != null) {
            lastError.remove();
        }
    }

    @Override
    public VirtError lastError() {
        return lastError.get();
    }

    @Override
    public void resetLastError() {
        lastError.remove();
    }

    @Override
    public void addGlobalErrorListener(ErrorListener l) {
        globalErrorListeners.add(l);
    }

    @Override
    public void removeGlobalErrorListener(ErrorListener l) {
        globalErrorListeners.remove(l);
    }

    /** Adds an observer of every connection's lifecycle events (e.g. the EventAdmin bridge). */
    void addGlobalEventListener(DomainEventListener l) {
        globalEventListeners.add(l);
        for (ConnectImpl c : open.keySet()) {
            try {
                c.listenForLifecycleEvents();
            } catch (RuntimeException ignored) {
                // a driver without events simply has none to observe
            }
        }
    }

    void removeGlobalEventListener(DomainEventListener l) {
        globalEventListeners.remove(l);
    }
}
