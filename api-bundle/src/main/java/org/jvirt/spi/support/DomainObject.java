package org.jvirt.spi.support;

import java.util.UUID;

import org.jvirt.api.DomainState;
import org.jvirt.spi.DomainRef;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a {@link DomainList} needs to know of a driver's domain (libvirt's virDomainObj as seen by
 * virdomainobjlist.c). A driver's own domain class implements it; the list never calls these methods while
 * it holds its own lock, so an implementation may take the driver's per-domain lock.
 */
@ConsumerType
public interface DomainObject {

    String name();

    UUID uuid();

    /** The id while running, else -1. */
    int id();

    DomainState state();

    /** Whether the domain has a persistent definition (is not transient). */
    boolean isPersistent();

    default boolean isActive() {
        return state().isActive();
    }

    default boolean isAutostart() {
        return false;
    }

    default boolean hasManagedSave() {
        return false;
    }

    default boolean hasSnapshot() {
        return false;
    }

    default boolean hasCheckpoint() {
        return false;
    }

    /** The handle the front end gets. */
    default DomainRef ref() {
        return new DomainRef(name(), uuid(), id());
    }
}
