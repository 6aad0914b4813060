package org.jvirt.driver.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.api.CreateFlag;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/** Running state: start (from XML, a definition or its managed save image), destroy, shutdown, reboot, pause. */
final class QemuLifecycle {
    /** virDomainDestroyFlagsValues: GRACEFUL (SIGTERM only). */
    private static final int DESTROY_GRACEFUL = 1;
    /** virDomainShutdownFlagValues and virDomainRebootFlagValues: ACPI_POWER_BTN, the only mode there is here. */
    private static final int POWER_BUTTON = 1;

    private final QemuHost host;
    private final QemuSaveRestore saves;

    QemuLifecycle(QemuHost host, QemuSaveRestore saves) {
        this.host = host;
        this.saves = saves;
    }

    /** Whether to leave the guest paused; refuses every other start flag. */
    private static boolean startFlags(int flags, String function) {
        Procedure.checkFlags(flags, CreateFlag.PAUSED.bit(), ErrorDomain.QEMU, function);
        return flags != 0;
    }

    DomainRef domainCreateXML(String xml, int flags) {
        boolean paused = startFlags(flags, "qemuDomainCreateXML");
        DomainDef def = DomainXml.parse(xml, host.hooks);
        QemuHost.Claim claim = host.claim(def);
        QemuDomain d = claim.domain();
        synchronized (d) {
            try {
                host.requireListed(d);
                if (d.isActive()) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '"
                            + def.getName() + "' is already active");
                }
                host.start(d, def, paused, DomainStatus.RUNNING_BOOTED, DomainEventType.STARTED_BOOTED);
                return d.ref();
            } catch (RuntimeException e) {
                host.unclaim(claim);
                throw e;
            }
        }
    }

    DomainRef domainCreateWithFlags(DomainRef dom, int flags) {
        boolean paused = startFlags(flags, "qemuDomainCreateWithFlags");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            host.requireListed(d);
            if (d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '" + d.name()
                        + "' is already running");
            }
            Path managed = d.managedSavePath();
            if (Files.exists(managed)) {
                saves.restoreInto(d, managed, paused ? Boolean.TRUE : null);
                QemuHost.deleteQuietly(managed);
                return d.ref();
            }
            host.start(d, d.persistent.copy(), paused, DomainStatus.RUNNING_BOOTED, DomainEventType.STARTED_BOOTED);
            return d.ref();
        }
    }

    void domainDestroyFlags(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, DESTROY_GRACEFUL, ErrorDomain.QEMU, "qemuDomainDestroyFlags");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            if ((flags & DESTROY_GRACEFUL) != 0) {
                d.stopping = true;
                if (!d.proc.terminateGracefully(host.config.shutdownTimeoutMs())) {
                    d.stopping = false;
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                            "Failed to terminate process " + d.proc.pid() + " with SIGTERM");
                }
                host.stopped(d, DomainStatus.SHUTOFF_DESTROYED, DomainEventType.STOPPED_DESTROYED);
                return;
            }
            host.destroyProcess(d, DomainStatus.SHUTOFF_DESTROYED, DomainEventType.STOPPED_DESTROYED);
        }
    }

    void domainShutdownFlags(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, POWER_BUTTON, ErrorDomain.QEMU, "qemuDomainShutdownFlags");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            if (d.state != DomainState.RUNNING && d.state != DomainState.PAUSED) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
            }
            d.proc.monitor().systemPowerdown();
        }
    }

    /** A reboot is a shutdown that QEMU turns into a reset when the guest powers off (libvirt's fake reboot). */
    void domainReboot(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, POWER_BUTTON, ErrorDomain.QEMU, "qemuDomainReboot");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            d.fakeReboot = true;
            try {
                d.proc.monitor().systemPowerdown();
            } catch (RuntimeException e) {
                d.fakeReboot = false;
                throw e;
            }
        }
    }

    void domainSuspend(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            if (d.state == DomainState.PAUSED) {
                return;
            }
            d.expectStop++;
            try {
                d.proc.monitor().stop();
            } catch (RuntimeException e) {
                d.expectStop--;
                throw e;
            }
            host.setState(d, DomainState.PAUSED, DomainStatus.PAUSED_USER);
            host.emit(d, DomainEventType.SUSPENDED, DomainEventType.SUSPENDED_PAUSED);
        }
    }

    void domainResume(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.checkActive(d);
            if (d.state == DomainState.RUNNING) {
                return;
            }
            if (d.state != DomainState.PAUSED) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "domain is " + d.state.label() + ", not paused");
            }
            host.cont(d, DomainStatus.RUNNING_UNPAUSED);
            host.emit(d, DomainEventType.RESUMED, DomainEventType.RESUMED_UNPAUSED);
        }
    }

    DomainStatus domainGetState(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.QEMU, "qemuDomainGetState");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return new DomainStatus(d.state, d.reason);
        }
    }

    boolean domainHasManagedSaveImage(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.hasManagedSave();
        }
    }

    boolean domainIsActive(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.isActive();
        }
    }
}
