package org.jvirt.driver.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirt.api.DomainState;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.spi.support.DomainObject;
import org.jvirt.xml.DomainDef;

/**
 * One domain of a driver state. Changed under its own monitor (synchronized on the object); what the
 * domain list reads without that lock (definitions, state, id, autostart) is volatile.
 */
final class QemuDomain implements DomainObject {
    volatile DomainDef persistent;
    /** The running definition; also set while a transient domain that was just registered is being started. */
    volatile DomainDef live;
    volatile DomainState state = DomainState.SHUTOFF;
    int reason;
    volatile int id = -1;
    volatile boolean autostart;
    QemuProcess proc;
    /** The running domain's cpu cgroup, or null (no usable controller). */
    QemuCgroup cgroup;
    /** Set while the driver itself stops the process (destroy, save, migrate): exit is then no crash. */
    boolean stopping;
    /** QEMU reported a shutdown; exit is then a shutdown, not a crash. */
    boolean shutdownSeen;
    boolean fakeReboot;
    int expectStop;
    int expectResume;
    /** Waiters for DEVICE_DELETED, by device id; completed on the monitor's reader thread. */
    final Map<String, CompletableFuture<Void>> unplugs = new ConcurrentHashMap<>();
    /** Where managed save images are kept (the driver's state directory's save/). */
    private final Path saveDir;

    QemuDomain(DomainDef persistent, Path saveDir) {
        this.persistent = persistent;
        this.saveDir = saveDir;
    }

    DomainDef current() {
        DomainDef l = live;
        return l != null ? l : persistent;
    }

    /** The managed save image a persistent domain starts from, if there is one. */
    Path managedSavePath() {
        return saveDir.resolve(name() + ".save");
    }

    @Override
    public String name() {
        return current().getName();
    }

    @Override
    public UUID uuid() {
        return current().getUuid();
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

    @Override
    public boolean hasManagedSave() {
        return persistent != null && Files.exists(managedSavePath());
    }
}
