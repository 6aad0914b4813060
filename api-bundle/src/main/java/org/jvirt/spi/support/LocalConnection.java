package org.jvirt.spi.support;

import java.util.List;

import org.jvirt.spi.DriverConnection;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The entries every driver whose domains live in its own process answers the same way: the connection is
 * local (secure, not encrypted, alive as long as it is open) and the listing entries come from its
 * {@link DomainList}. A driver that needs more (a lock of its own around the list) overrides them.
 */
@ConsumerType
public interface LocalConnection extends DriverConnection {

    /** The driver's domains behind this connection. */
    DomainList<?> domainList();

    @Override
    default boolean connectIsSecure() {
        return true;
    }

    @Override
    default boolean connectIsEncrypted() {
        return false;
    }

    @Override
    default boolean connectIsAlive() {
        return true;
    }

    @Override
    default int[] connectListDomains(int maxids) {
        return domainList().activeIds(maxids);
    }

    @Override
    default int connectNumOfDomains() {
        return domainList().numActive();
    }

    @Override
    default List<String> connectListDefinedDomains(int maxnames) {
        return domainList().inactiveNames(maxnames);
    }

    @Override
    default int connectNumOfDefinedDomains() {
        return domainList().numInactive();
    }
}
