package org.jvirt.driver.xen.internal;

import java.util.UUID;

import org.jvirt.api.DomainState;
import org.jvirt.spi.support.DomainObject;
import org.jvirt.xml.DomainDef;

/** One Xen domain of the driver: its persistent definition and what is known of it running. */
final class XenDomain implements DomainObject {
    volatile DomainDef persistent;
    volatile DomainState state = DomainState.SHUTOFF;
    volatile int id = -1;
    volatile boolean autostart;

    XenDomain(DomainDef persistent) {
        this.persistent = persistent;
    }

    @Override
    public String name() {
        return persistent.getName();
    }

    @Override
    public UUID uuid() {
        return persistent.getUuid();
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public DomainState state() {
        return state;
    }

    @Override
    public boolean isPersistent() {
        return persistent != null;
    }

    @Override
    public boolean isAutostart() {
        return autostart;
    }
}
