package org.jvirt.driver.xen.internal;

import java.util.UUID;

import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.driver.xen.internal.libxl.XlDomain;
import org.jvirt.spi.support.DomainObject;
import org.jvirt.xml.DomainDef;

/**
 * One Xen domain of the driver: its persistent definition (null for a transient domain, e.g. one that
 * {@code xl create} started outside jvirt), the definition it runs with, and what the hypervisor last
 * reported of it ({@code xl list}).
 */
final class XenDomain implements DomainObject {
    volatile DomainDef persistent;
    /** The definition while running; null when shut off. */
    volatile DomainDef live;
    volatile DomainState state = DomainState.SHUTOFF;
    /** libvirt's state reason (e.g. RUNNING_BOOTED = 1, RUNNING_UNKNOWN = 0). */
    volatile int reason = DomainStatus.SHUTOFF_UNKNOWN;
    volatile int id = -1;
    /** Set while destroy or save ends the domain: a xenstore watch leaves its end (and the event) to them. */
    volatile boolean ending;
    volatile boolean autostart;
    /** The hypervisor's last word on it: {@code xl list}'s row, or null. */
    volatile XlDomain info;

    XenDomain(DomainDef persistent) {
        this.persistent = persistent;
    }

    /** The definition that describes the domain now: the live one while running. */
    DomainDef def() {
        DomainDef l = live;
        return l != null ? l : persistent;
    }

    boolean isDom0() {
        return id == 0 && isActive();
    }

    @Override
    public String name() {
        return def().getName();
    }

    @Override
    public UUID uuid() {
        return def().getUuid();
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
