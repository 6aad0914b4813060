package org.jvirt.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirt.api.Connect;
import org.jvirt.api.ConnectAuth;
import org.jvirt.api.ConnectCloseListener;
import org.jvirt.api.CpuMap;
import org.jvirt.api.CreateFlag;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainEventListener;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ErrorListener;
import org.jvirt.api.Flag;
import org.jvirt.api.ListDomainsFlag;
import org.jvirt.api.ListNetworksFlag;
import org.jvirt.api.Network;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.ProgressListener;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.NetworkDriver;
import org.jvirt.spi.NetworkRef;
import org.jvirt.spi.OpenContext;
import org.jvirt.xml.CapabilitiesDef;
import org.jvirt.xml.CapabilitiesXml;

/**
 * The front end of one connection: for every call it checks the arguments and the read-only flag,
 * calls the driver, and turns failures into reported {@link VirtException}s.
 */
final class ConnectImpl implements Connect {
    private final FrontEndImpl frontEnd;
    private volatile Driver driver;
    private volatile DriverConnection conn;
    private final VirtUri uri;
    private final boolean readOnly;
    private final ConnectAuth auth;
    private final EventFanout events;
    private final List<ErrorListener> errorListeners = new CopyOnWriteArrayList<>();
    private volatile VirtError lastError;
    private volatile NetworkConnection networks;
    private volatile boolean closed;
    private volatile boolean driverGone;
    /** The driver's callback id for this connection's lifecycle events, or -1 while nobody listens. */
    private int lifecycleCallback = -1;

    ConnectImpl(FrontEndImpl frontEnd, Driver driver, DriverConnection conn, VirtUri uri, boolean readOnly,
            ConnectAuth auth, EventFanout events) {
        this.frontEnd = frontEnd;
        this.driver = driver;
        this.conn = conn;
        this.uri = uri;
        this.readOnly = readOnly;
        this.auth = auth;
        this.events = events;
        events.attach(this);
    }

    Driver driver() {
        return driver;
    }

    DriverConnection driverConnection() {
        return conn;
    }

    // ---- the checks every call makes -------------------------------------------------------------

    /** Starts a call: resets the thread's last error and checks the connection is usable. */
    DriverConnection enter() {
        frontEnd.enter();
        if (closed || driverGone) {
            throw new VirtException(new VirtError(ErrorCode.INVALID_CONN, ErrorDomain.NONE, driverGone
                    ? "invalid connection: the driver for scheme '" + uri.driver() + "' was removed; reopen the connection"
                    : "invalid connection: the connection is closed"));
        }
        return conn;
    }

    /** Starts a call that changes state: also refuses on a read-only connection. */
    DriverConnection enterMutating(String api) {
        DriverConnection c = enter();
        if (readOnly) {
            throw frontEnd.readOnlyRefusal(api);
        }
        return c;
    }

    /** Ends a failed call: reports the error and returns what to throw. */
    RuntimeException fail(RuntimeException e) {
        return fail(e, null, null);
    }

    /** As {@link #fail(RuntimeException)}, naming the domain or network concerned. */
    RuntimeException fail(RuntimeException e, String domainName, String networkName) {
        VirtException ve = e instanceof VirtException v ? v
                : new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, String.valueOf(e), e);
        VirtError err = ve.error();
        if (domainName != null && err.domainName() == null || networkName != null && err.networkName() == null) {
            err = err.withDomainName(domainName != null ? domainName : err.domainName())
                    .withNetworkName(networkName != null ? networkName : err.networkName());
            ve = new VirtException(err, ve);
        }
        lastError = err;
        frontEnd.report(err);
        for (ErrorListener l : errorListeners) {
            try {
                l.onError(err);
            } catch (RuntimeException ignored) {
                // a listener's failure must not mask the error
            }
        }
        return ve;
    }

    static void requireNonNull(Object value, String what, String api) {
        if (value == null) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                    what + " in " + api + " must not be NULL");
        }
    }

    static void requireNonEmpty(String value, String what, String api) {
        if (value == null || value.isEmpty()) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                    what + " in " + api + " must not be " + (value == null ? "NULL" : "empty"));
        }
    }

    static UUID parseUuid(String text, String api) {
        requireNonEmpty(text, "uuidstr", api);
        String hex = text.replace("-", "").replace(" ", "");
        if (hex.length() != 32) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "uuidstr in " + api + " must be a valid UUID");
        }
        try {
            return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
        } catch (NumberFormatException e) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "uuidstr in " + api + " must be a valid UUID");
        }
    }

    Domain domain(DomainRef ref) {
        return new DomainImpl(this, ref);
    }

    NetworkConnection networks() {
        NetworkConnection n = networks;
        if (n != null) {
            return n;
        }
        synchronized (this) {
            if (networks == null) {
                NetworkConnection primary = conn.networks();
                if (primary == null) {
                    for (NetworkDriver nd : frontEnd.registry().find(NetworkDriver.class, uri.driver())) {
                        Optional<NetworkConnection> c = nd.open(uri, new OpenContext(readOnly, null, events));
                        if (c.isPresent()) {
                            primary = c.get();
                            break;
                        }
                    }
                }
                if (primary == null) {
                    throw VirtException.noSupport("no network driver for " + uri);
                }
                networks = primary;
            }
            return networks;
        }
    }

    /** The driver went away: later calls fail with INVALID_CONN, and the driver's resources are released now. */
    void driverGone() {
        synchronized (this) {
            if (driverGone || closed) {
                return;
            }
            driverGone = true;
        }
        try {
            release();
        } catch (RuntimeException ignored) {
            // the driver is gone; nothing more can be done for its connection
        }
    }

    /** Forgets this connection and closes the driver's side of it: a secondary network side first. */
    private void release() {
        frontEnd.closed(this);
        closeDriverSide(conn, networks);
    }

    private static void closeDriverSide(DriverConnection c, NetworkConnection n) {
        try {
            if (n != null && n != c.networks()) {
                n.connectClose();
            }
        } catch (RuntimeException ignored) {
            // closing goes on
        }
        c.connectClose();
    }

    @Override
    public void reconnect() {
        try {
            frontEnd.enter();
            DriverConnection oldConn;
            NetworkConnection oldNetworks;
            boolean released;
            synchronized (this) {
                if (closed) {
                    throw new VirtException(new VirtError(ErrorCode.INVALID_CONN, ErrorDomain.NONE,
                            "invalid connection: the connection is closed"));
                }
                FrontEndImpl.Opened fresh = frontEnd.reopen(uri, uri.toString(), readOnly, auth, events);
                oldConn = conn;
                oldNetworks = networks;
                released = driverGone;
                driver = fresh.driver();
                conn = fresh.connection();
                networks = null;
                driverGone = false;
                lifecycleCallback = -1;
                frontEnd.reopened(this);
                if (events.anyListener()) {
                    listenForLifecycleEvents();
                }
            }
            if (!released) {
                try {
                    closeDriverSide(oldConn, oldNetworks);
                } catch (RuntimeException ignored) {
                    // the old peer is usually gone already
                }
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void addCloseListener(ConnectCloseListener listener) {
        try {
            enter();
            requireNonNull(listener, "cb", "virConnectRegisterCloseCallback");
            events.addCloseListener(listener);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void removeCloseListener(ConnectCloseListener listener) {
        events.removeCloseListener(listener);
    }

    // ---- errors ----------------------------------------------------------------------------------

    @Override
    public void addErrorListener(ErrorListener listener) {
        errorListeners.add(listener);
    }

    @Override
    public void removeErrorListener(ErrorListener listener) {
        errorListeners.remove(listener);
    }

    @Override
    public VirtError getLastError() {
        return lastError;
    }

    @Override
    public void resetLastError() {
        lastError = null;
    }

    // ---- the connection --------------------------------------------------------------------------

    @Override
    public String getType() {
        try {
            return enter().connectGetType();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getVersion() {
        try {
            return enter().connectGetVersion();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getLibVersion() {
        enter();
        return Connect.libraryVersion();
    }

    @Override
    public String getHostname() {
        try {
            return enter().connectGetHostname();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getURI() {
        try {
            return enter().connectGetURI();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int getMaxVcpus(String type) {
        try {
            return enter().connectGetMaxVcpus(type);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getCapabilities() {
        try {
            return enter().connectGetCapabilities();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public CapabilitiesDef getCapabilitiesDef() {
        try {
            return CapabilitiesXml.parse(enter().connectGetCapabilities());
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public NodeInfo nodeInfo() {
        try {
            return enter().nodeGetInfo();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getFreeMemory() {
        try {
            return enter().nodeGetFreeMemory();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** One call of {@link HostQueryCalls}, its error reported as every call's is. */
    private <T> T hostQuery(java.util.function.Function<HostQueryCalls, T> call) {
        try {
            return call.apply(new HostQueryCalls(enter()));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getSysinfo() {
        return hostQuery(HostQueryCalls::getSysinfo);
    }

    @Override
    public long[] getCellsFreeMemory(int startCell, int maxCells) {
        return hostQuery(h -> h.getCellsFreeMemory(startCell, maxCells));
    }

    @Override
    public List<org.jvirt.api.NodeStat> nodeCPUStats(int cpuNum) {
        return hostQuery(h -> h.nodeCPUStats(cpuNum));
    }

    @Override
    public List<org.jvirt.api.NodeStat> nodeMemoryStats(int cellNum) {
        return hostQuery(h -> h.nodeMemoryStats(cellNum));
    }

    @Override
    public List<String> getCPUModelNames(String arch) {
        return hostQuery(h -> h.getCPUModelNames(arch));
    }

    @Override
    public CpuMap getCPUMap() {
        try {
            return enter().nodeGetCPUMap(0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public SecurityModel getSecurityModel() {
        try {
            return enter().nodeGetSecurityModel();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isAlive() {
        if (closed || driverGone) {
            return false;
        }
        try {
            return conn.connectIsAlive();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isSecure() {
        try {
            return enter().connectIsSecure();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isEncrypted() {
        try {
            return enter().connectIsEncrypted();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (driverGone) {
                return; // released when the driver went away
            }
        }
        release();
    }

    // ---- domains ---------------------------------------------------------------------------------

    @Override
    public int[] listDomains() {
        try {
            DriverConnection c = enter();
            return c.connectListDomains(c.connectNumOfDomains()); // as virsh: count, then list
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfDomains() {
        try {
            return enter().connectNumOfDomains();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<String> listDefinedDomains() {
        try {
            DriverConnection c = enter();
            return c.connectListDefinedDomains(c.connectNumOfDefinedDomains());
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfDefinedDomains() {
        try {
            return enter().connectNumOfDefinedDomains();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<Domain> listAllDomains(Set<ListDomainsFlag> flags) {
        try {
            requireNonNull(flags, "flags", "virConnectListAllDomains");
            List<DomainRef> refs = enter().connectListAllDomains(Flag.mask(flags));
            List<Domain> out = new ArrayList<>(refs.size());
            for (DomainRef r : refs) {
                out.add(new DomainImpl(this, r));
            }
            return out;
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain lookupById(int id) {
        try {
            DriverConnection c = enter();
            if (id < 0) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                        "id in virDomainLookupByID must be non-negative");
            }
            return new DomainImpl(this, c.domainLookupByID(id));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain lookupByName(String name) {
        try {
            DriverConnection c = enter();
            requireNonNull(name, "name", "virDomainLookupByName");
            return new DomainImpl(this, c.domainLookupByName(name));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain lookupByUUID(UUID uuid) {
        try {
            DriverConnection c = enter();
            requireNonNull(uuid, "uuid", "virDomainLookupByUUID");
            return new DomainImpl(this, c.domainLookupByUUID(uuid));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain lookupByUUIDString(String uuid) {
        try {
            DriverConnection c = enter();
            return new DomainImpl(this, c.domainLookupByUUID(parseUuid(uuid, "virDomainLookupByUUIDString")));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain defineXML(String xml) {
        return defineXML(xml, 0);
    }

    @Override
    public Domain defineXML(String xml, int flags) {
        try {
            DriverConnection c = enterMutating("virDomainDefineXML");
            requireNonEmpty(xml, "xml", "virDomainDefineXML");
            return new DomainImpl(this, c.domainDefineXMLFlags(xml, flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain createXML(String xml) {
        try {
            DriverConnection c = enterMutating("virDomainCreateXML");
            requireNonEmpty(xml, "xmlDesc", "virDomainCreateXML");
            return new DomainImpl(this, c.domainCreateXML(xml, 0));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain createXML(String xml, Set<CreateFlag> flags) {
        try {
            DriverConnection c = enterMutating("virDomainCreateXML");
            requireNonEmpty(xml, "xmlDesc", "virDomainCreateXML");
            requireNonNull(flags, "flags", "virDomainCreateXML");
            return new DomainImpl(this, c.domainCreateXML(xml, Flag.mask(flags)));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void restore(String file) {
        restore(file, ProgressListener.NONE);
    }

    @Override
    public void restore(String file, ProgressListener progress) {
        try {
            DriverConnection c = enterMutating("virDomainRestore");
            requireNonEmpty(file, "from", "virDomainRestore");
            c.domainRestoreFlags(file, null, 0);
            if (progress != null) {
                progress.progress(1, 1);
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String domainXMLToNative(String nativeFormat, String xml) {
        try {
            DriverConnection c = enterMutating("virConnectDomainXMLToNative");
            requireNonEmpty(nativeFormat, "nativeFormat", "virConnectDomainXMLToNative");
            requireNonEmpty(xml, "domainXml", "virConnectDomainXMLToNative");
            return c.connectDomainXMLToNative(nativeFormat, xml, 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String domainXMLFromNative(String nativeFormat, String nativeConfig) {
        try {
            DriverConnection c = enterMutating("virConnectDomainXMLFromNative");
            requireNonEmpty(nativeFormat, "nativeFormat", "virConnectDomainXMLFromNative");
            requireNonEmpty(nativeConfig, "nativeConfig", "virConnectDomainXMLFromNative");
            return c.connectDomainXMLFromNative(nativeFormat, nativeConfig, 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    // ---- networks --------------------------------------------------------------------------------

    @Override
    public List<String> listNetworks() {
        try {
            enter();
            NetworkConnection n = networks();
            return n.connectListNetworks(n.connectNumOfNetworks());
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfNetworks() {
        try {
            enter();
            return networks().connectNumOfNetworks();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<String> listDefinedNetworks() {
        try {
            enter();
            NetworkConnection n = networks();
            return n.connectListDefinedNetworks(n.connectNumOfDefinedNetworks());
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfDefinedNetworks() {
        try {
            enter();
            return networks().connectNumOfDefinedNetworks();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<Network> listAllNetworks(Set<ListNetworksFlag> flags) {
        try {
            enter();
            requireNonNull(flags, "flags", "virConnectListAllNetworks");
            List<NetworkRef> refs = networks().connectListAllNetworks(Flag.mask(flags));
            List<Network> out = new ArrayList<>(refs.size());
            for (NetworkRef r : refs) {
                out.add(new NetworkImpl(this, r));
            }
            return out;
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkLookupByName(String name) {
        try {
            enter();
            requireNonNull(name, "name", "virNetworkLookupByName");
            return new NetworkImpl(this, networks().networkLookupByName(name));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkLookupByUUID(UUID uuid) {
        try {
            enter();
            requireNonNull(uuid, "uuid", "virNetworkLookupByUUID");
            return new NetworkImpl(this, networks().networkLookupByUUID(uuid));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkLookupByUUIDString(String uuid) {
        try {
            enter();
            return new NetworkImpl(this, networks().networkLookupByUUID(parseUuid(uuid, "virNetworkLookupByUUIDString")));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkDefineXML(String xml) {
        return networkDefineXML(xml, 0);
    }

    @Override
    public Network networkDefineXML(String xml, int flags) {
        try {
            enterMutating("virNetworkDefineXML");
            requireNonEmpty(xml, "xml", "virNetworkDefineXML");
            return new NetworkImpl(this, networks().networkDefineXMLFlags(xml, flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkCreateXML(String xml) {
        return networkCreateXML(xml, 0);
    }

    @Override
    public Network networkCreateXML(String xml, int flags) {
        try {
            enterMutating("virNetworkCreateXML");
            requireNonEmpty(xml, "xmlDesc", "virNetworkCreateXML");
            return new NetworkImpl(this, networks().networkCreateXMLFlags(xml, flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    // ---- events ----------------------------------------------------------------------------------

    @Override
    public void addDomainEventListener(DomainEventListener listener) {
        try {
            enter();
            requireNonNull(listener, "callback", "virConnectDomainEventRegisterAny");
            if (events.add(listener)) {
                listenForLifecycleEvents();
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void removeDomainEventListener(DomainEventListener listener) {
        if (events.remove(listener) && !events.anyListener()) {
            stopListening();
        }
    }

    /** Registers for lifecycle events with the driver, once, while anyone listens. */
    synchronized void listenForLifecycleEvents() {
        if (lifecycleCallback < 0 && !closed && !driverGone) {
            lifecycleCallback = conn.connectDomainEventCallbackRegisterAny(DomainEventIds.LIFECYCLE, null);
        }
    }

    private synchronized void stopListening() {
        int id = lifecycleCallback;
        lifecycleCallback = -1;
        if (id >= 0 && !closed && !driverGone) {
            try {
                conn.connectDomainEventCallbackDeregisterAny(id);
            } catch (RuntimeException ignored) {
                // the driver forgets its callbacks when the connection closes anyway
            }
        }
    }

    @Override
    public String toString() {
        return "Connect[" + uri + (readOnly ? ", read-only" : "") + (closed ? ", closed" : "") + "]";
    }
}
