package org.example.driver.exe;

import java.util.UUID;

import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.support.DomainObject;
import org.jvirt.xml.DomainDef;

/** One domain of the exe driver. Guarded by its {@link ExeHost}'s lock. */
final class ExeDomain implements DomainObject {
    final String name;
    final UUID uuid;
    /** The persistent definition, or null for a transient domain. */
    DomainDef persistent;
    /** The definition the running process was started from, or null while shut off. */
    DomainDef live;
    boolean autostart;

    int id = -1;
    long pid;
    long startTicks;
    /** The process while running: a {@link Process} when this driver instance started it. */
    Process process;
    ProcessHandle handle;
    boolean paused;
    /** Bumped on every start and stop, so a late exit notification for an older run is ignored. */
    long generation;
    /** Why the process is being stopped (a STOPPED event detail), or null when it exits on its own. */
    Integer stopDetail;
    DomainStatus lastStop = new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_UNKNOWN);

    ExeDomain(String name, UUID uuid) {
        this.name = name;
        this.uuid = uuid;
    }

    boolean running() {
        return handle != null;
    }

    DomainDef current() {
        return live != null ? live : persistent;
    }

    DomainStatus status() {
        if (!running()) {
            return lastStop;
        }
        return paused ? new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER)
                : new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_BOOTED);
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
        return status().state();
    }

    @Override
    public boolean isActive() {
        return running();
    }

    @Override
    public boolean isPersistent() {
        return persistent != null;
    }

    @Override
    public boolean isAutostart() {
        return autostart;
    }

    @Override
    public DomainRef ref() {
        return new DomainRef(name, uuid, id);
    }
}
