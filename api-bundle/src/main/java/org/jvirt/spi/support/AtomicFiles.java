package org.jvirt.spi.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * A driver's persistent files, written so that readers see the old or the new content, never a torn one:
 * a hidden temp file in the same directory, fsync, rename, fsync of the directory. A temp file left by a
 * process killed mid-write is removed by {@link #removeLeftovers} when the driver next loads the directory.
 */
public final class AtomicFiles {
    private static final String TEMP_MARK = ".jvirt-tmp-";

    private AtomicFiles() {
    }

    /** Writes {@code text} to {@code file} whole or not at all; failures are WRITE_FAILED in {@code domain}. */
    public static void write(Path file, String text, ErrorDomain domain) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + TEMP_MARK + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // not every file system lets a directory be synced
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new VirtException(ErrorCode.WRITE_FAILED, domain, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes a file if it exists; failures are SYSTEM_ERROR in {@code domain}. */
    public static void delete(Path file, ErrorDomain domain) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, domain, "cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the temp files that writers killed mid-write left in {@code dir} (never read: the rename did
     * not happen). Call it while holding the directory's owner lock. Returns how many were removed.
     */
    public static int removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(".")
                && p.getFileName().toString().contains(TEMP_MARK))) {
            for (Path p : s) {
                if (Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException ignored) {
            // leftovers are harmless; they are only untidy
        }
        return removed;
    }
}
