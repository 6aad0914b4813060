package org.jvirt.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirt.api.Connect;
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
    private final Driver driver;
    private final DriverConnection conn;
    private final VirtUri uri;
    private final boolean readOnly;
    private final EventFanout events;
    private final List<ErrorListener> errorListeners = new CopyOnWriteArrayList<>();
    private volatile VirtError lastError;
    private volatile NetworkConnection networks;
    private volatile boolean closed;
    private volatile boolean driverGone;

    ConnectImpl(Driver driver, DriverConnection conn, VirtUri uri, boolean readOnly, EventFanout events) {
        this.driver = driver;
        this.conn = conn;
        this.uri = uri;
        this.readOnly = readOnly;
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
        Connections.enter();
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
            throw new VirtException(ErrorCode.OPERATION_DENIED, ErrorDomain.NONE,
                    "read only access prevents " + api);
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
        Connections.report(err, this);
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
                    for (NetworkDriver nd : DriverRegistry.get().find(NetworkDriver.class, uri.driver())) {
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
        Connections.closed(this);
        try {
            NetworkConnection n = networks;
            if (n != null && n != conn.networks()) {
                n.close();
            }
        } catch (RuntimeException ignored) {
            // closing goes on
        }
        conn.close();
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
            return enter().type();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getVersion() {
        try {
            return enter().version();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getLibVersion() {
        enter();
        return Connections.LIBRARY_VERSION;
    }

    @Override
    public String getHostname() {
        try {
            return enter().hostname();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getURI() {
        try {
            return enter().uri();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int getMaxVcpus(String type) {
        try {
            return enter().maxVcpus(type);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getCapabilities() {
        try {
            return enter().capabilities();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public CapabilitiesDef getCapabilitiesDef() {
        try {
            return CapabilitiesXml.parse(enter().capabilities());
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public NodeInfo nodeInfo() {
        try {
            return enter().nodeInfo();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getFreeMemory() {
        try {
            return enter().freeMemory();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public CpuMap getCPUMap() {
        try {
            return enter().cpuMap();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public SecurityModel getSecurityModel() {
        try {
            return enter().securityModel();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isAlive() {
        return !closed && !driverGone && conn.isAlive();
    }

    @Override
    public boolean isSecure() {
        try {
            return enter().isSecure();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isEncrypted() {
        try {
            return enter().isEncrypted();
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
            return enter().listDomainIds();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfDomains() {
        try {
            return enter().numOfDomains();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<String> listDefinedDomains() {
        try {
            return enter().listDefinedDomainNames();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfDefinedDomains() {
        try {
            return enter().numOfDefinedDomains();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<Domain> listAllDomains(Set<ListDomainsFlag> flags) {
        try {
            requireNonNull(flags, "flags", "virConnectListAllDomains");
            List<DomainRef> refs = enter().listAllDomains(Flag.mask(flags));
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
            return new DomainImpl(this, c.lookupById(id));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain lookupByName(String name) {
        try {
            DriverConnection c = enter();
            requireNonNull(name, "name", "virDomainLookupByName");
            return new DomainImpl(this, c.lookupByName(name));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain lookupByUUID(UUID uuid) {
        try {
            DriverConnection c = enter();
            requireNonNull(uuid, "uuid", "virDomainLookupByUUID");
            return new DomainImpl(this, c.lookupByUUID(uuid));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain lookupByUUIDString(String uuid) {
        try {
            DriverConnection c = enter();
            return new DomainImpl(this, c.lookupByUUID(parseUuid(uuid, "virDomainLookupByUUIDString")));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain defineXML(String xml) {
        try {
            DriverConnection c = enterMutating("virDomainDefineXML");
            requireNonEmpty(xml, "xml", "virDomainDefineXML");
            return new DomainImpl(this, c.defineXML(xml));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain createXML(String xml) {
        try {
            DriverConnection c = enterMutating("virDomainCreateXML");
            requireNonEmpty(xml, "xmlDesc", "virDomainCreateXML");
            return new DomainImpl(this, c.createXML(xml));
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
            return new DomainImpl(this, c.createXML(xml, Flag.mask(flags)));
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
            c.restore(file, progress == null ? ProgressListener.NONE : progress);
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
            return c.domainXMLToNative(nativeFormat, xml);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    // ---- networks --------------------------------------------------------------------------------

    @Override
    public List<String> listNetworks() {
        try {
            enter();
            return networks().listNetworkNames(true);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfNetworks() {
        return listNetworks().size();
    }

    @Override
    public List<String> listDefinedNetworks() {
        try {
            enter();
            return networks().listNetworkNames(false);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int numOfDefinedNetworks() {
        return listDefinedNetworks().size();
    }

    @Override
    public List<Network> listAllNetworks(Set<ListNetworksFlag> flags) {
        try {
            enter();
            requireNonNull(flags, "flags", "virConnectListAllNetworks");
            List<NetworkRef> refs = networks().listAllNetworks(Flag.mask(flags));
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
            return new NetworkImpl(this, networks().lookupByName(name));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkLookupByUUID(UUID uuid) {
        try {
            enter();
            requireNonNull(uuid, "uuid", "virNetworkLookupByUUID");
            return new NetworkImpl(this, networks().lookupByUUID(uuid));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkLookupByUUIDString(String uuid) {
        try {
            enter();
            return new NetworkImpl(this, networks().lookupByUUID(parseUuid(uuid, "virNetworkLookupByUUIDString")));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkDefineXML(String xml) {
        try {
            enterMutating("virNetworkDefineXML");
            requireNonEmpty(xml, "xml", "virNetworkDefineXML");
            return new NetworkImpl(this, networks().defineXML(xml));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Network networkCreateXML(String xml) {
        try {
            enterMutating("virNetworkCreateXML");
            requireNonEmpty(xml, "xmlDesc", "virNetworkCreateXML");
            return new NetworkImpl(this, networks().createXML(xml));
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
            events.add(listener);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void removeDomainEventListener(DomainEventListener listener) {
        events.remove(listener);
    }

    @Override
    public String toString() {
        return "Connect[" + uri + (readOnly ? ", read-only" : "") + (closed ? ", closed" : "") + "]";
    }
}
