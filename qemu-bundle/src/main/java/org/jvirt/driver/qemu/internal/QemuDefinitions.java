package org.jvirt.driver.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.driver.qemu.internal.command.QemuCommandLine;
import org.jvirt.driver.qemu.internal.process.QemuProcess;
import org.jvirt.spi.support.AtomicFiles;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Procedure;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * Definitions: define and undefine (the config file), the XML of a domain, its autostart link, and the
 * command line a definition would run with (qemu-argv).
 */
final class QemuDefinitions {
    /** virDomainDefineFlags: VALIDATE (the parser always validates). */
    private static final int DEFINE_FLAGS = 1;
    /** virDomainUndefineFlagsValues: MANAGED_SAVE, SNAPSHOTS_METADATA, NVRAM, KEEP_NVRAM, CHECKPOINTS_METADATA. */
    private static final int UNDEFINE_MANAGED_SAVE = 1;
    private static final int UNDEFINE_FLAGS = 1 | 2 | 4 | 8 | 16;
    private static final int XML_FLAGS = XmlFlag.SECURE.bit() | XmlFlag.INACTIVE.bit() | XmlFlag.UPDATE_CPU.bit()
            | XmlFlag.MIGRATABLE.bit();

    private final QemuHost host;

    QemuDefinitions(QemuHost host) {
        this.host = host;
    }

    DomainRef domainDefineXMLFlags(String xml, int flags) {
        Procedure.checkFlags(flags, DEFINE_FLAGS, ErrorDomain.QEMU, "qemuDomainDefineXMLFlags");
        DomainDef def = DomainXml.parse(xml, host.hooks);
        while (true) {
            QemuHost.Defined defined = host.define(def);
            QemuDomain d = defined.domain();
            synchronized (d) {
                if (defined.created()) {
                    host.emit(d, DomainEventType.DEFINED, DomainEventType.DEFINED_ADDED);
                    return d.ref();
                }
                if (!host.domains.contains(d)) {
                    continue; // undefined meanwhile: define anew
                }
                host.writeConfig(def);
                d.persistent = def;
                host.emit(d, DomainEventType.DEFINED, DomainEventType.DEFINED_UPDATED);
                return d.ref();
            }
        }
    }

    void domainUndefineFlags(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, UNDEFINE_FLAGS, ErrorDomain.QEMU, "qemuDomainUndefineFlags");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot undefine transient domain");
            }
            Path managed = d.managedSavePath();
            if (Files.exists(managed)) {
                if ((flags & UNDEFINE_MANAGED_SAVE) == 0) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                            "Refusing to undefine while domain managed save image exists");
                }
                AtomicFiles.delete(managed, ErrorDomain.QEMU);
            }
            AtomicFiles.delete(host.configFile(d.name()), ErrorDomain.QEMU);
            QemuHost.deleteQuietly(host.autostartLink(d.name()));
            host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_REMOVED);
            d.autostart = false;
            if (d.isActive()) {
                d.persistent = null;
            } else {
                host.forget(d);
            }
        }
    }

    String domainGetXMLDesc(DomainRef dom, int flags) {
        Procedure.checkFlags(flags, XML_FLAGS, ErrorDomain.QEMU, "qemuDomainGetXMLDesc");
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            boolean inactive = (flags & XmlFlag.INACTIVE.bit()) != 0 && d.persistent != null;
            DomainDef def = inactive ? d.persistent : d.current();
            if ((flags & XmlFlag.MIGRATABLE.bit()) != 0 && !inactive && d.live != null) {
                def = QemuMigration.migratable(def);
            }
            int id = inactive ? -1 : d.id;
            return DomainXml.format(def, new DomainXml.Format(id, (flags & XmlFlag.SECURE.bit()) != 0, inactive));
        }
    }

    boolean domainIsPersistent(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.persistent != null;
        }
    }

    String domainGetOSType(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.current().getOs().getType();
        }
    }

    boolean domainGetAutostart(DomainRef dom) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            return d.autostart;
        }
    }

    void domainSetAutostart(DomainRef dom, boolean autostart) {
        QemuDomain d = host.domains.get(dom);
        synchronized (d) {
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                        "cannot set autostart for transient domain");
            }
            Path link = host.autostartLink(d.name());
            if (autostart) {
                AtomicFiles.write(link, host.configFile(d.name()) + "\n", ErrorDomain.QEMU);
            } else {
                AtomicFiles.delete(link, ErrorDomain.QEMU);
            }
            d.autostart = autostart;
        }
    }

    String connectDomainXMLToNative(String nativeFormat, String xml, int flags) {
        Procedure.checkFlags(flags, 0, ErrorDomain.QEMU, "qemuConnectDomainXMLToNative");
        if (!"qemu-argv".equals(nativeFormat)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "unsupported config type " + nativeFormat + " (the QEMU driver writes qemu-argv)");
        }
        DomainDef def = DomainXml.parse(xml, host.hooks);
        List<String> argv = nativeArgv(def, host.config.runDir());
        StringBuilder sb = new StringBuilder("LC_ALL=C");
        for (String a : argv) {
            sb.append(' ').append(QemuProcess.shellQuote(a));
        }
        return sb.append('\n').toString();
    }

    /** The command line a definition would run with, with placeholder ports and tap names. */
    static List<String> nativeArgv(DomainDef def, Path runDir) {
        int[] tap = {0};
        QemuCommandLine.Context ctx = new QemuCommandLine.Context(QemuHost.domainRunDir(runDir, -1, def.getName())
                        .resolve("monitor.sock"),
                "127.0.0.1", () -> 5900, () -> "vnet" + tap[0]++, n -> "virbr0", null);
        QemuCommandLine.prepareLive(def, ctx);
        return QemuCommandLine.build(def, ctx).argv();
    }
}
