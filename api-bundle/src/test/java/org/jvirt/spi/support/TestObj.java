package org.jvirt.spi.support;

import java.util.UUID;

import org.jvirt.api.DomainState;

/** A minimal driver domain for the support tests. */
final class TestObj implements DomainObject {
    final String name;
    final UUID uuid;
    DomainState state = DomainState.SHUTOFF;
    int id = -1;
    boolean persistent = true;
    boolean autostart;

    TestObj(String name, String uuid) {
        this.name = name;
        this.uuid = UUID.fromString(uuid);
    }

    TestObj running(int id) {
        this.id = id;
        this.state = DomainState.RUNNING;
        return this;
    }

    TestObj transientDomain() {
        this.persistent = false;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public UUID uuid() {
        return uuid;
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
        return persistent;
    }

    @Override
    public boolean isAutostart() {
        return autostart;
    }
}
