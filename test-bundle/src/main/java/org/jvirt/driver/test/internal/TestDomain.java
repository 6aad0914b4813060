package org.jvirt.driver.test.internal;

import java.util.UUID;

import org.jvirt.api.DomainState;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.support.DomainObject;
import org.jvirt.xml.DomainDef;

/** One domain of a test host: its definitions and runtime state. Guarded by the host's lock. */
final class TestDomain implements DomainObject {
    /** The persistent definition, or null for a transient domain. */
    DomainDef persistent;
    /** The running definition, or null when shut off. */
    DomainDef live;
    DomainState state = DomainState.SHUTOFF;
    int reason;
    int id = -1;
    boolean autostart;
    int schedulerWeight = 50;
    /** Whether a managed save image exists: set by virDomainManagedSave, cleared by a start or its removal. */
    boolean managedSave;
    private DomainRef ref;

    TestDomain(DomainDef persistent) {
        this.persistent = persistent;
    }

    /** The definition callers see now: the live one while running. */
    DomainDef current() {
        return live != null ? live : persistent;
    }

    @Override
    public String name() {
        DomainDef d = current();
        return d != null ? d.getName() : ref.name(); // a transient domain that just stopped
    }

    @Override
    public UUID uuid() {
        DomainDef d = current();
        return d != null ? d.getUuid() : ref.uuid();
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
    public boolean hasManagedSave() {
        return managedSave;
    }

    @Override
    public boolean isAutostart() {
        return autostart;
    }

    @Override
    public DomainRef ref() {
        DomainRef r = ref;
        DomainDef d = current();
        if (d == null) {
            return new DomainRef(r.name(), r.uuid(), -1); // a transient domain that just stopped
        }
        if (r == null || r.id() != id || !r.name().equals(d.getName())) {
            r = new DomainRef(d.getName(), d.getUuid(), id);
            ref = r;
        }
        return r;
    }

    void setState(DomainState state, int reason) {
        this.state = state;
        this.reason = reason;
    }
}
