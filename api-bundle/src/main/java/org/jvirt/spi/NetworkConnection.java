package org.jvirt.spi;

import java.util.List;
import java.util.UUID;

import org.jvirt.api.VirtException;
import org.osgi.annotation.versioning.ConsumerType;

/** The network side of a connection. Every entry defaults to {@code NO_SUPPORT}; lookups throw {@code NO_NETWORK}. */
@ConsumerType
public interface NetworkConnection {

    default List<String> listNetworkNames(boolean active) {
        throw VirtException.noSupport("virConnectListNetworks");
    }

    /** Networks matching libvirt's virConnectListAllNetworksFlags. */
    default List<NetworkRef> listAllNetworks(int flags) {
        throw VirtException.noSupport("virConnectListAllNetworks");
    }

    default NetworkRef lookupByName(String name) {
        throw VirtException.noSupport("virNetworkLookupByName");
    }

    default NetworkRef lookupByUUID(UUID uuid) {
        throw VirtException.noSupport("virNetworkLookupByUUID");
    }

    default NetworkRef defineXML(String xml) {
        throw VirtException.noSupport("virNetworkDefineXML");
    }

    default NetworkRef createXML(String xml) {
        throw VirtException.noSupport("virNetworkCreateXML");
    }

    default String xmlDesc(NetworkRef net) {
        throw VirtException.noSupport("virNetworkGetXMLDesc");
    }

    /** @param flags libvirt's virNetworkXMLFlags; the default takes none */
    default String xmlDesc(NetworkRef net, int flags) {
        if (flags == 0) {
            return xmlDesc(net);
        }
        throw DriverConnection.unsupportedFlags(flags, "virNetworkGetXMLDesc");
    }

    default String bridgeName(NetworkRef net) {
        throw VirtException.noSupport("virNetworkGetBridgeName");
    }

    default boolean isActive(NetworkRef net) {
        throw VirtException.noSupport("virNetworkIsActive");
    }

    default boolean isPersistent(NetworkRef net) {
        throw VirtException.noSupport("virNetworkIsPersistent");
    }

    default void create(NetworkRef net) {
        throw VirtException.noSupport("virNetworkCreate");
    }

    default void destroy(NetworkRef net) {
        throw VirtException.noSupport("virNetworkDestroy");
    }

    default void undefine(NetworkRef net) {
        throw VirtException.noSupport("virNetworkUndefine");
    }

    default boolean getAutostart(NetworkRef net) {
        throw VirtException.noSupport("virNetworkGetAutostart");
    }

    default void setAutostart(NetworkRef net, boolean autostart) {
        throw VirtException.noSupport("virNetworkSetAutostart");
    }

    /** Releases the network side; the primary connection's close calls it too. */
    default void close() {
    }
}
