package org.jvirt.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesWholeFilesAndLeavesNoTempBehind() throws Exception {
        Path f = dir.resolve("g1.xml");
        AtomicFiles.write(f, "<domain/>\n", ErrorDomain.QEMU);
        AtomicFiles.write(f, "<domain type='qemu'/>\n", ErrorDomain.QEMU);
        assertEquals("<domain type='qemu'/>\n", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    /** What a writer killed between creating its temp file and the rename leaves is removed on the next load. */
    @Test
    void leftoversOfAKilledWriterAreRemoved() throws Exception {
        Path kept = dir.resolve("g1.xml");
        AtomicFiles.write(kept, "<domain/>\n", ErrorDomain.QEMU);
        Files.writeString(dir.resolve(".g2.xml.jvirt-tmp-4242-17"), "<dom");
        Files.writeString(dir.resolve(".hidden-but-mine"), "x");
        assertEquals(1, AtomicFiles.removeLeftovers(dir));
        assertTrue(Files.exists(kept));
        assertTrue(Files.exists(dir.resolve(".hidden-but-mine")), "only jvirt's temp files go");
        assertEquals(0, AtomicFiles.removeLeftovers(dir.resolve("absent")));
    }

    @Test
    void aFailedWriteIsWriteFailedInTheDriversDomain() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        VirtException e = assertThrows(VirtException.class,
                () -> AtomicFiles.write(notADir.resolve("g.xml"), "y", ErrorDomain.XEN));
        assertEquals(ErrorCode.WRITE_FAILED, e.code());
        assertEquals(ErrorDomain.XEN, e.error().domain());
    }
}
