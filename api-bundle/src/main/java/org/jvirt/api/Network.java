package org.jvirt.api;

import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/** A cheap handle on one virtual network (libvirt's virNetwork). */
@ProviderType
public interface Network {

    Connect getConnect();

    String getName();

    UUID getUUID();

    String getUUIDString();

    String getXMLDesc();

    /** The XML with options: {@link NetworkXmlFlag#INACTIVE} gives the definition used at the next start. */
    String getXMLDesc(java.util.Set<NetworkXmlFlag> flags);

    String getBridgeName();

    boolean isActive();

    boolean isPersistent();

    void create();

    void destroy();

    void undefine();

    boolean getAutostart();

    void setAutostart(boolean autostart);
}
