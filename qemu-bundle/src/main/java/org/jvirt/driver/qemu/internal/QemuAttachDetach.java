package org.jvirt.driver.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.command.QemuCommandLine;
import org.jvirt.driver.qemu.internal.command.QemuDevices;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.driver.qemu.internal.monitor.QmpJson;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.support.DomainDevices;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.ControllerDef;
import org.jvirt.xml.DeviceDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.InterfaceDef;

/**
 * Attaching and detaching disks and interfaces, in the persistent config and in the running guest (the
 * QMP side is {@link QemuHotplug}).
 */
final class QemuAttachDetach {
    /** virDomainDeviceModifyFlags: LIVE, CONFIG (FORCE is only for updates). */
    private static final int MODIFY_FLAGS = ModifyFlag.LIVE.bit() | ModifyFlag.CONFIG.bit();

    private final QemuHost host;

    QemuAttachDetach(QemuHost host) {
        this.host = host;
    }

    void domainAttachDeviceFlags(DomainRef dom, String xml, int flags) {
        Procedure.checkFlags(flags, MODIFY_FLAGS, ErrorDomain.QEMU, "qemuDomainAttachDeviceFlags");
        DeviceDef parsed = DomainXml.parseDevice(xml);
        if (!(parsed instanceof DiskDef) && !(parsed instanceof InterfaceDef)) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, "attaching <"
                    + parsed.getElementName() + "> is not supported; disks and interfaces are");
        }
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.Impact where = DomainList.modificationImpact(d, flags);
            DomainDef newConfig = null;
            if (where.config()) {
                newConfig = withDevice(d.persistent, DomainXml.parseDevice(xml));
            }
            if (where.live()) {
                attachLive(d, withDevice(d.live, DomainXml.parseDevice(xml)));
            }
            if (newConfig != null) {
                host.writeConfig(newConfig);
                d.persistent = newConfig;
            }
        }
    }

    /** A copy of a definition with the device added, defaults filled and validated. */
    private DomainDef withDevice(DomainDef def, DeviceDef dev) {
        DomainDevices.checkNoClash(def, dev, ErrorDomain.QEMU);
        DomainDef work = def.copy();
        work.addDevice(dev);
        host.hooks.postParse(work);
        host.hooks.validate(work);
        return work;
    }

    /** Plugs into the running guest what the new live definition has that the old one lacks. */
    private void attachLive(QemuDomain d, DomainDef work) {
        QemuMonitor m = d.proc.monitor();
        Set<String> known = new HashSet<>();
        for (DeviceDef x : d.live.getAllDevices()) {
            if (x.getAlias() != null) {
                known.add(x.getAlias());
            }
        }
        int[] tap = {0};
        QemuCommandLine.prepareLive(work, new QemuCommandLine.Context(m.path(), host.config.vncListen(),
                () -> 5900, () -> {
                    String n;
                    do {
                        n = "vnet" + (1000 + d.id * 10 + tap[0]++);
                    } while (Files.exists(Path.of("/sys/class/net", n)));
                    return n;
                }, host::networkBridge, null));
        Set<String> added = new HashSet<>();
        for (ControllerDef c : work.getControllers()) {
            if (!known.contains(c.getAlias())) {
                ObjectNode props = QmpJson.obj("driver", QemuDevices.controllerDevice(c.getType(), c.getModel()),
                        "id", c.getAlias());
                if (props.get("driver") != null) {
                    var a = c.getAddress();
                    if (a != null) {
                        props.put("bus", QemuCommandLine.pciBus(work));
                        props.put("addr", String.format("0x%x", Integer.decode(a.get("slot"))));
                    }
                    m.deviceAdd(props);
                }
            }
        }
        for (DiskDef disk : work.getDisks()) {
            if (!known.contains(disk.getAlias())) {
                QemuHost.checkDisk(disk);
                QemuHotplug.attachDisk(m, work, disk);
                added.add(disk.getAlias());
            }
        }
        for (InterfaceDef nic : work.getInterfaces()) {
            if (!known.contains(nic.getAlias())) {
                String bridge = switch (nic.getType()) {
                    case "bridge" -> nic.getSourceBridge();
                    case "network" -> host.networkBridge(nic.getSourceNetwork());
                    default -> null;
                };
                QemuHotplug.attachNic(m, work, nic, bridge);
                added.add(nic.getAlias());
            }
        }
        d.live = work;
        host.writeStatus(d);
        for (String alias : added) {
            host.emit(DomainEventIds.DEVICE_ADDED, d.ref(), new EventPayload.Device(alias));
        }
    }

    void domainDetachDeviceFlags(DomainRef dom, String xml, int flags) {
        Procedure.checkFlags(flags, MODIFY_FLAGS, ErrorDomain.QEMU, "qemuDomainDetachDeviceFlags");
        DeviceDef partial = DomainXml.parsePartialDevice(xml);
        if (!(partial instanceof DiskDef) && !(partial instanceof InterfaceDef)) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, "detaching <"
                    + partial.getElementName() + "> is not supported; disks and interfaces are");
        }
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            DomainList.Impact where = DomainList.modificationImpact(d, flags);
            DomainDef newConfig = null;
            if (where.config()) {
                newConfig = d.persistent.copy();
                DeviceDef found = DomainXml.findDevice(newConfig, partial);
                if (found == null) {
                    throw missing(partial);
                }
                newConfig.removeDevice(found);
            }
            if (where.live()) {
                DeviceDef found = DomainXml.findDevice(d.live, partial);
                if (found == null) {
                    throw missing(partial);
                }
                detachLive(d, found);
            }
            if (newConfig != null) {
                host.writeConfig(newConfig);
                d.persistent = newConfig;
            }
        }
    }

    private static VirtException missing(DeviceDef partial) {
        return new VirtException(ErrorCode.DEVICE_MISSING, ErrorDomain.QEMU,
                "matching device not found: " + DomainXml.formatDevice(partial).trim());
    }

    /** Asks the guest to release a device and waits (up to the configured time) until QEMU says it has. */
    private void detachLive(QemuDomain d, DeviceDef dev) {
        String id = dev.getAlias();
        if (dev instanceof DiskDef disk && !"virtio".equals(disk.getTargetBus()) && !"scsi".equals(disk.getTargetBus())) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                    "disk bus '" + disk.getTargetBus() + "' cannot be hot-unplugged (virtio and scsi can)");
        }
        QemuMonitor m = d.proc.monitor();
        CompletableFuture<Void> gone = new CompletableFuture<>();
        d.unplugs.put(id, gone);
        try {
            m.deviceDel(id);
        } catch (RuntimeException e) {
            d.unplugs.remove(id);
            throw e;
        }
        long timeout = host.config.detachTimeoutMs();
        try {
            gone.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            d.unplugs.remove(id);
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU, "device '" + id
                    + "' was not removed within " + timeout + " ms: the guest has not released it (an unplug "
                    + "request is pending; it is dropped from the domain when the guest lets go)");
        } catch (ExecutionException e) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "detaching '" + id + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted");
        }
        DomainDef work = d.live.copy();
        DeviceDef copy = DomainXml.findDevice(work, dev);
        if (dev instanceof DiskDef disk) {
            QemuHotplug.releaseDisk(m, disk);
        } else if (dev instanceof InterfaceDef nic) {
            QemuHotplug.releaseNic(m, nic);
        }
        if (copy != null) {
            work.removeDevice(copy);
        }
        d.live = work;
        host.writeStatus(d);
        host.emit(DomainEventIds.DEVICE_REMOVED, d.ref(), new EventPayload.Device(id));
    }
}
