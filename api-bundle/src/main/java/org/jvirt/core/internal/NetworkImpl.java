package org.jvirt.core.internal;

import java.util.UUID;

import org.jvirt.api.Connect;
import org.jvirt.api.Network;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.NetworkRef;

/** The front end for one network: a cheap handle. */
final class NetworkImpl implements Network {
    private final ConnectImpl connect;
    private final NetworkRef ref;

    NetworkImpl(ConnectImpl connect, NetworkRef ref) {
        this.connect = connect;
        this.ref = ref;
    }

    private NetworkConnection enter() {
        connect.enter();
        return connect.networks();
    }

    private NetworkConnection mutating(String api) {
        connect.enterMutating(api);
        return connect.networks();
    }

    private RuntimeException fail(RuntimeException e) {
        return connect.fail(e, null, ref.name());
    }

    @Override
    public Connect getConnect() {
        return connect;
    }

    @Override
    public String getName() {
        return ref.name();
    }

    @Override
    public UUID getUUID() {
        return ref.uuid();
    }

    @Override
    public String getUUIDString() {
        return ref.uuid().toString();
    }

    @Override
    public String getXMLDesc() {
        try {
            return enter().networkGetXMLDesc(ref, 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getXMLDesc(java.util.Set<org.jvirt.api.NetworkXmlFlag> flags) {
        try {
            NetworkConnection c = enter();
            ConnectImpl.requireNonNull(flags, "flags", "virNetworkGetXMLDesc");
            return c.networkGetXMLDesc(ref, org.jvirt.api.Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getBridgeName() {
        try {
            return enter().networkGetBridgeName(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isActive() {
        try {
            return enter().networkIsActive(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isPersistent() {
        try {
            return enter().networkIsPersistent(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void create() {
        try {
            mutating("virNetworkCreate").networkCreate(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void destroy() {
        try {
            mutating("virNetworkDestroy").networkDestroy(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void undefine() {
        try {
            mutating("virNetworkUndefine").networkUndefine(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean getAutostart() {
        try {
            return enter().networkGetAutostart(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setAutostart(boolean autostart) {
        try {
            mutating("virNetworkSetAutostart").networkSetAutostart(ref, autostart);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkImpl n && n.connect == connect && n.ref.uuid().equals(ref.uuid());
    }

    @Override
    public int hashCode() {
        return ref.uuid().hashCode();
    }

    @Override
    public String toString() {
        return "Network[" + ref.name() + "]";
    }
}
