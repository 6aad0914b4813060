package org.jvirt.driver.xen.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.xen.internal.libxl.XlToolstack;
import org.jvirt.driver.xen.internal.xenstore.XenStore;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * The state of the Xen driver in this process (jvirtd): the domains, their definitions under
 * {@code configDir} (NAME.xml, written atomically: temp file, fsync, rename) and autostart links, the
 * toolstack and the xenstore socket. Shared by every connection.
 */
final class XenHost {
    /** The driver's settings. */
    record Config(Path configDir, Path xl, Path xenstore, Map<String, String> toolEnv) {
        Path autostartDir() {
            return configDir.resolve("autostart");
        }
    }

    final Config config;
    final XenXmlHooks hooks = new XenXmlHooks();
    final XlToolstack xl;
    final DomainList<XenDomain> domains = new DomainList<>(ErrorDomain.LIBXL);
    final DomainEvents.Hub eventHub = new DomainEvents.Hub();
    final Object registration = new Object();
    final XenHostDomains running = new XenHostDomains(this);
    private XenStore store;
    int refs;

    XenHost(Config config) {
        this.config = config;
        this.xl = new XlToolstack(config.xl(), config.toolEnv());
    }

    /** Loads the saved definitions. */
    void init() {
        try {
            if (!Files.isDirectory(config.configDir())) {
                return; // nothing defined yet: the directory is made by the first definition
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(config.configDir(), "*.xml")) {
                for (Path f : s) {
                    DomainDef def = DomainXml.parse(Files.readString(f), hooks);
                    XenDomain d = new XenDomain(def);
                    d.autostart = Files.exists(autostartLink(def.getName()));
                    domains.add(d);
                }
            }
        } catch (IOException e) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.LIBXL,
                    "cannot load the Xen domain configs in " + config.configDir() + ": " + e.getMessage(), e);
        }
    }

    /** Whether xenstored's @introduceDomain/@releaseDomain are watched (again on a new store connection). */
    private boolean watching;

    /** The connection to xenstored, opened on first use (and again after it broke). */
    synchronized XenStore store() {
        if (store == null || !store.isOpen()) {
            store = XenStore.open(config.xenstore());
            if (watching) {
                watchDomains(store);
            }
        }
        return store;
    }

    /**
     * Watches xenstored's special paths {@code @introduceDomain} (a domain was given its store: it was
     * created) and {@code @releaseDomain} (a domain died or was released): each brings the domain list up to
     * date, which sends the connections' listeners STARTED and STOPPED events. xenstored fires every watch
     * once when it is set; that first listing is the baseline and sends nothing.
     */
    synchronized void watchDomains() {
        if (watching) {
            return;
        }
        watching = true;
        try {
            if (store != null && store.isOpen()) {
                watchDomains(store);
            } else {
                store();
            }
        } catch (RuntimeException e) {
            // xenstored cannot be reached now: the watches are set when a call opens the store
        }
    }

    private void watchDomains(XenStore s) {
        XenStore.WatchListener changed = (path, token) -> domainsChanged();
        try {
            s.watch("@introduceDomain", "jvirt-introduce", changed);
            s.watch("@releaseDomain", "jvirt-release", changed);
        } catch (RuntimeException e) {
            s.close(); // no half-watched connection: the next use opens and watches again
            throw e;
        }
    }

    private void domainsChanged() {
        try {
            running.sync();
        } catch (RuntimeException e) {
            // xl or xenstored failed: the next call (or watch) lists again
        }
    }

    synchronized void close() {
        watching = false;
        if (store != null) {
            store.close();
            store = null;
        }
    }

    Path configFile(String name) {
        return config.configDir().resolve(name + ".xml");
    }

    Path autostartLink(String name) {
        return config.autostartDir().resolve(name + ".xml");
    }

    void writeConfig(DomainDef def) {
        writeAtomically(configFile(def.getName()), DomainXml.format(def, DomainXml.Format.INACTIVE));
    }

    /** Writes a file whole or not at all: a temp file in the same directory, fsync, rename. */
    static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(text));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a directory
            }
        } catch (IOException e) {
            throw new VirtException(ErrorCode.WRITE_FAILED, ErrorDomain.LIBXL,
                    "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
