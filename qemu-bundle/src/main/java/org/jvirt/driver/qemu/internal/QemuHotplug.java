package org.jvirt.driver.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.command.QemuCommandLine;
import org.jvirt.driver.qemu.internal.monitor.QemuMonitor;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.InterfaceDef;

/** Device hotplug through QMP: blockdev-add/device_add, netdev_add; and the host side of taps. */
final class QemuHotplug {
    private QemuHotplug() {
    }

    static void attachDisk(QemuMonitor m, DomainDef def, DiskDef disk) {
        List<ObjectNode> nodes = QemuCommandLine.blockdevProps(disk);
        int added = 0;
        try {
            for (ObjectNode n : nodes) {
                m.blockdevAdd(n);
                added++;
            }
            m.deviceAdd(QemuCommandLine.diskDeviceProps(def, disk, QemuCommandLine.pciBus(def)));
        } catch (RuntimeException e) {
            for (int i = added - 1; i >= 0; i--) {
                try {
                    m.blockdevDel(nodes.get(i).get("node-name").asText());
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    static void attachNic(QemuMonitor m, DomainDef def, InterfaceDef nic, String bridge) {
        m.netdevAdd(QemuCommandLine.netdevProps(nic));
        try {
            if (bridge != null) {
                attachTap(nic.getTargetDev(), bridge);
            }
            m.deviceAdd(QemuCommandLine.nicDeviceProps(nic, QemuCommandLine.pciBus(def)));
        } catch (RuntimeException e) {
            try {
                m.netdevDel(QemuCommandLine.netdevId(nic));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Removes a disk's block nodes once its device is gone. */
    static void releaseDisk(QemuMonitor m, DiskDef disk) {
        if (disk.getSourcePath() == null) {
            return;
        }
        for (String node : new String[] {QemuCommandLine.formatNode(disk), QemuCommandLine.storageNode(disk)}) {
            try {
                m.blockdevDel(node);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    static void releaseNic(QemuMonitor m, InterfaceDef nic) {
        try {
            m.netdevDel(QemuCommandLine.netdevId(nic));
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    /** Puts a tap QEMU opened on a bridge and brings it up ({@code ip link}). */
    static void attachTap(String tap, String bridge) {
        run(List.of("ip", "link", "set", "dev", tap, "master", bridge));
        run(List.of("ip", "link", "set", "dev", tap, "up"));
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                        String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted");
        }
    }
}
