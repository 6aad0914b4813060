package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.MigrateFlag;
import org.jvirt.api.VirtException;

/** Through the public API (the driver found by ServiceLoader): two roots, live migration over TCP. */
class QemuMigrationTest {
    @TempDir
    Path src;
    @TempDir
    Path dst;
    final List<Connect> open = new ArrayList<>();

    Connect open(Path root) {
        Connect c = Connect.open("qemu:///embed?root=" + root);
        open.add(c);
        return c;
    }

    @AfterEach
    void cleanup() {
        for (Connect c : open) {
            try {
                for (Domain d : c.listAllDomains()) {
                    if (d.isActive()) {
                        d.destroy();
                    }
                }
            } catch (RuntimeException ignored) {
                // best effort
            }
            c.close();
        }
        assertEquals(0, QemuTestSupport.killStray(src) + QemuTestSupport.killStray(dst), "QEMU left behind");
    }

    @Test
    void liveMigrationBetweenTwoInstances() {
        QemuTestSupport.requireQemu();
        Connect a = open(src);
        Connect b = open(dst);
        assertEquals("QEMU", a.getType());
        Domain d = a.createXML(QemuTestSupport.noDiskXml("mover", ""));
        List<long[]> progress = new ArrayList<>();
        Domain moved = d.migrate(b, Set.of(MigrateFlag.LIVE), null, null, 0,
                (done, total) -> progress.add(new long[] {done, total}));
        assertEquals("mover", moved.getName());
        assertEquals(d.getUUID(), moved.getUUID());
        assertEquals(new DomainStatus(DomainState.RUNNING, DomainStatus.RUNNING_MIGRATED), moved.getState());
        assertThrows(VirtException.class, () -> a.lookupByName("mover"));
        assertFalse(progress.isEmpty());
        assertTrue(progress.get(progress.size() - 1)[1] > 0);
        moved.suspend();
        moved.resume();
        moved.destroy();
    }
}
