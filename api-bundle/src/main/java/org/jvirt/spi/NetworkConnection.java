package org.jvirt.spi;

import java.util.List;
import java.util.UUID;

import org.jvirt.api.VirtException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The network side of a connection: libvirt's network driver table, one entry per procedure of
 * {@code remote_protocol.x} (see {@link Procedure}). Every entry defaults to {@code NO_SUPPORT}; lookups
 * throw {@code NO_NETWORK}.
 */
@ConsumerType
public interface NetworkConnection {

    default int connectNumOfNetworks() {
        throw VirtException.noSupport("virConnectNumOfNetworks");
    }

    default List<String> connectListNetworks(int maxnames) {
        throw VirtException.noSupport("virConnectListNetworks");
    }

    default int connectNumOfDefinedNetworks() {
        throw VirtException.noSupport("virConnectNumOfDefinedNetworks");
    }

    default List<String> connectListDefinedNetworks(int maxnames) {
        throw VirtException.noSupport("virConnectListDefinedNetworks");
    }

    /** Networks matching libvirt's virConnectListAllNetworksFlags. */
    default List<NetworkRef> connectListAllNetworks(int flags) {
        throw VirtException.noSupport("virConnectListAllNetworks");
    }

    default NetworkRef networkLookupByName(String name) {
        throw VirtException.noSupport("virNetworkLookupByName");
    }

    default NetworkRef networkLookupByUUID(UUID uuid) {
        throw VirtException.noSupport("virNetworkLookupByUUID");
    }

    /** @param flags virNetworkDefineFlags */
    default NetworkRef networkDefineXMLFlags(String xml, int flags) {
        throw VirtException.noSupport("virNetworkDefineXMLFlags");
    }

    /** @param flags virNetworkCreateFlags */
    default NetworkRef networkCreateXMLFlags(String xml, int flags) {
        throw VirtException.noSupport("virNetworkCreateXMLFlags");
    }

    /** @param flags libvirt's virNetworkXMLFlags */
    default String networkGetXMLDesc(NetworkRef net, int flags) {
        throw VirtException.noSupport("virNetworkGetXMLDesc");
    }

    default String networkGetBridgeName(NetworkRef net) {
        throw VirtException.noSupport("virNetworkGetBridgeName");
    }

    default boolean networkIsActive(NetworkRef net) {
        throw VirtException.noSupport("virNetworkIsActive");
    }

    default boolean networkIsPersistent(NetworkRef net) {
        throw VirtException.noSupport("virNetworkIsPersistent");
    }

    default void networkCreate(NetworkRef net) {
        throw VirtException.noSupport("virNetworkCreate");
    }

    default void networkDestroy(NetworkRef net) {
        throw VirtException.noSupport("virNetworkDestroy");
    }

    default void networkUndefine(NetworkRef net) {
        throw VirtException.noSupport("virNetworkUndefine");
    }

    default boolean networkGetAutostart(NetworkRef net) {
        throw VirtException.noSupport("virNetworkGetAutostart");
    }

    default void networkSetAutostart(NetworkRef net, boolean autostart) {
        throw VirtException.noSupport("virNetworkSetAutostart");
    }

    /** Releases the network side; the primary connection's close calls it too. */
    default void connectClose() {
    }
}
