package org.jvirt.core.internal;

import org.jvirt.api.ProgressListener;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.MigrationFinish;
import org.jvirt.spi.MigrationStep;

/** Drives libvirt's v3 migration phases between a source and a destination driver connection. */
final class Migration {
    private Migration() {
    }

    static DomainRef run(DriverConnection src, DomainRef dom, DriverConnection dst, int flags, String dname,
            String uri, long bandwidth, ProgressListener progress) {
        MigrationStep begun = src.domainMigrateBegin3(dom, null, flags, dname, bandwidth);
        String name = dname != null ? dname : dom.name();
        MigrationStep prepared = dst.domainMigratePrepare3(begun.cookie(), uri, flags, dname, bandwidth, begun.text());
        String sendTo = prepared.text() != null ? prepared.text() : uri;
        byte[] performed;
        try {
            performed = JobWatcher.run(src, dom, progress,
                    () -> src.domainMigratePerform3(dom, null, prepared.cookie(), null, sendTo, flags, dname, bandwidth));
        } catch (RuntimeException e) {
            try {
                dst.domainMigrateFinish3(name, null, null, sendTo, flags, true);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        MigrationFinish finished;
        try {
            finished = dst.domainMigrateFinish3(name, performed, null, sendTo, flags, false);
        } catch (RuntimeException e) {
            try {
                src.domainMigrateConfirm3(dom, performed, flags, true);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        src.domainMigrateConfirm3(dom, finished.cookie(), flags, false);
        return finished.domain();
    }
}
