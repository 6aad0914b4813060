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
import org.jvirt.api.DriverInfo;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ErrorListener;
import org.jvirt.api.OpenFlag;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;

/** Opening connections, and the process-wide error state (libvirt's virGetLastError, virSetErrorFunc). */
public final class Connections {

    /** The libvirt version jvirt's API matches: 9.0.0. */
    public static final long LIBRARY_VERSION = 9_000_000L;

    private static final ThreadLocal<VirtError> LAST_ERROR = new ThreadLocal<>();
    private static final List<ErrorListener> GLOBAL_LISTENERS = new CopyOnWriteArrayList<>();
    private static final Map<ConnectImpl, Boolean> OPEN = new ConcurrentHashMap<>();

    private Connections() {
    }

    public static Connect open(String uri, ConnectAuth auth, Set<OpenFlag> flags) {
        LAST_ERROR.remove();
        try {
            return doOpen(uri, auth, flags == null ? Set.of() : flags);
        } catch (VirtException e) {
            report(e.error(), null);
            throw e;
        } catch (RuntimeException e) {
            VirtException ve = new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE,
                    "opening " + uri + " failed: " + e, e);
            report(ve.error(), null);
            throw ve;
        }
    }

    private static Connect doOpen(String uri, ConnectAuth auth, Set<OpenFlag> flags) {
        String name = uri;
        if (name == null || name.isEmpty()) {
            name = defaultUri();
        }
        VirtUri parsed = VirtUri.parse(name);
        String scheme = parsed.isRemote() ? Driver.REMOTE_SCHEME : parsed.driver();
        List<Driver> drivers = DriverRegistry.get().find(Driver.class, scheme);
        boolean readOnly = flags.contains(OpenFlag.READ_ONLY);
        for (Driver driver : drivers) {
            EventFanout events = new EventFanout();
            Optional<DriverConnection> conn = driver.open(parsed, new OpenContext(readOnly, auth, events));
            if (conn.isPresent()) {
                ConnectImpl c = new ConnectImpl(driver, conn.get(), parsed, readOnly, events);
                OPEN.put(c, Boolean.TRUE);
                return c;
            }
        }
        throw new VirtException(ErrorCode.NO_CONNECT, ErrorDomain.NONE, name);
    }

    private static String defaultUri() {
        String env = System.getenv("JVIRT_DEFAULT_URI");
        if (env == null || env.isEmpty()) {
            env = System.getenv("LIBVIRT_DEFAULT_URI");
        }
        if (env != null && !env.isEmpty()) {
            return env;
        }
        for (DriverRegistry.Entry e : DriverRegistry.get().active()) {
            if (e.service() instanceof Driver d) {
                Optional<String> u = d.defaultUri();
                if (u.isPresent()) {
                    return u.get();
                }
            }
        }
        throw new VirtException(ErrorCode.NO_CONNECT, ErrorDomain.NONE, "<null>");
    }

    public static List<DriverInfo> listDrivers() {
        DriverRegistry r = DriverRegistry.get();
        List<DriverInfo> out = new ArrayList<>();
        for (DriverRegistry.Entry e : r.active()) {
            out.add(new DriverInfo(e.name(), e.schemes(), e.ranking(), e.origin(), null));
        }
        for (DriverRegistry.Rejected e : r.rejected()) {
            out.add(new DriverInfo(e.name(), List.of(), 0, e.origin(), e.reason()));
        }
        return out;
    }

    static void closed(ConnectImpl c) {
        OPEN.remove(c);
    }

    /** A driver went away: connections on it fail from now on. */
    static void driverGone(Driver driver) {
        for (ConnectImpl c : OPEN.keySet()) {
            if (c.driver() == driver) {
                c.driverGone();
            }
        }
    }

    /** Records an error as the thread's last error and tells the global listeners. */
    static void report(VirtError error, ConnectImpl conn) {
        LAST_ERROR.set(error);
        for (ErrorListener l : GLOBAL_LISTENERS) {
            try {
                l.onError(error);
            } catch (RuntimeException ignored) {
                // a listener's failure must not mask the error being reported
            }
        }
    }

    static void enter() {
        if (LAST_ERROR.get() != null) {
            LAST_ERROR.remove();
        }
    }

    public static VirtError lastError() {
        return LAST_ERROR.get();
    }

    public static void resetLastError() {
        LAST_ERROR.remove();
    }

    public static void addGlobalErrorListener(ErrorListener l) {
        GLOBAL_LISTENERS.add(l);
    }

    public static void removeGlobalErrorListener(ErrorListener l) {
        GLOBAL_LISTENERS.remove(l);
    }
}
