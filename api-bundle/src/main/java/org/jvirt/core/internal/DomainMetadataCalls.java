package org.jvirt.core.internal;

import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.Flag;
import org.jvirt.api.MetadataType;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;

/**
 * The front end's metadata calls (description, title, custom elements) with libvirt's public API checks:
 * a title is one line; description and title take no URI nor key; an element needs its URI, and a key to be
 * set. {@link DomainImpl} delegates to it.
 */
final class DomainMetadataCalls {
    private final ConnectImpl connect;

    DomainMetadataCalls(ConnectImpl connect) {
        this.connect = connect;
    }

    String getMetadata(DomainRef ref, MetadataType type, String uri, Set<ModifyFlag> flags) {
        ConnectImpl.requireNonNull(type, "type", "virDomainGetMetadata");
        ConnectImpl.requireNonNull(flags, "flags", "virDomainGetMetadata");
        int mask = Flag.mask(flags);
        DomainRuntimeCalls.exclusive(mask, ModifyFlag.LIVE.bit(), "VIR_DOMAIN_AFFECT_LIVE", ModifyFlag.CONFIG.bit(),
                "VIR_DOMAIN_AFFECT_CONFIG");
        if (type == MetadataType.ELEMENT) {
            requireNonNull(uri, "uri", "virDomainGetMetadata");
        } else {
            requireNull(uri, "uri", "virDomainGetMetadata");
        }
        return connect.enter().domainGetMetadata(ref, type.code(), uri, mask);
    }

    void setMetadata(DomainRef ref, MetadataType type, String metadata, String key, String uri,
            Set<ModifyFlag> flags) {
        DriverConnection c = connect.enterMutating("virDomainSetMetadata");
        ConnectImpl.requireNonNull(type, "type", "virDomainSetMetadata");
        ConnectImpl.requireNonNull(flags, "flags", "virDomainSetMetadata");
        if (type == MetadataType.ELEMENT) {
            requireNonNull(uri, "uri", "virDomainSetMetadata");
            if (metadata != null) {
                requireNonNull(key, "key", "virDomainSetMetadata");
            }
        } else {
            if (type == MetadataType.TITLE && metadata != null && metadata.contains("\n")) {
                throw invalidArg("metadata title can't contain newlines");
            }
            requireNull(uri, "uri", "virDomainSetMetadata");
            requireNull(key, "key", "virDomainSetMetadata");
        }
        c.domainSetMetadata(ref, type.code(), metadata, key, uri, Flag.mask(flags));
    }

    private static void requireNull(Object value, String what, String api) {
        if (value != null) {
            throw invalidArg(what + " in " + api + " must be NULL");
        }
    }

    private static void requireNonNull(Object value, String what, String api) {
        if (value == null) {
            throw invalidArg(what + " in " + api + " must not be NULL");
        }
    }

    private static VirtException invalidArg(String message) {
        return new VirtException(new VirtError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, message));
    }
}
