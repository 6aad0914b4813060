package org.jvirt.driver.qemu.internal;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirt.api.DomainState;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.spi.DomainRef;
import org.jvirt.xml.DomainDef;

/** One domain of a driver state. Guarded by its own monitor (synchronized on the object). */
final class QemuDomain {
    DomainDef persistent;
    DomainDef live;
    DomainState state = DomainState.SHUTOFF;
    int reason;
    int id = -1;
    boolean autostart;
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
    boolean removed;
    /** Waiters for DEVICE_DELETED, by device id; completed on the monitor's reader thread. */
    final Map<String, CompletableFuture<Void>> unplugs = new ConcurrentHashMap<>();

    QemuDomain(DomainDef persistent) {
        this.persistent = persistent;
    }

    DomainDef current() {
        return live != null ? live : persistent;
    }

    String name() {
        return current().getName();
    }

    UUID uuid() {
        return current().getUuid();
    }

    boolean isActive() {
        return state.isActive();
    }

    DomainRef ref() {
        return new DomainRef(name(), uuid(), id);
    }
}
