package org.jvirt.core.internal;

import org.jvirt.api.ProgressListener;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.MigrationStep;

/** Drives libvirt's v3 migration phases between a source and a destination driver connection. */
final class Migration {
    private Migration() {
    }

    static DomainRef run(DriverConnection src, DomainRef dom, DriverConnection dst, int flags, String newName,
            String uri, long bandwidth, ProgressListener progress) {
        MigrationStep begun = src.migrateBegin(dom, flags);
        String name = newName != null ? newName : dom.name();
        MigrationStep prepared = dst.migratePrepare(begun.text(), begun.cookie(), uri, flags, newName);
        byte[] performed;
        try {
            performed = src.migratePerform(dom, prepared.text(), prepared.cookie(), flags, bandwidth, progress);
        } catch (RuntimeException e) {
            try {
                dst.migrateFinish(name, null, flags, true);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        DomainRef moved;
        try {
            moved = dst.migrateFinish(name, performed, flags, false);
        } catch (RuntimeException e) {
            try {
                src.migrateConfirm(dom, performed, flags, true);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        src.migrateConfirm(dom, performed, flags, false);
        return moved;
    }
}
