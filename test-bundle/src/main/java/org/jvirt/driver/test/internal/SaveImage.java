package org.jvirt.driver.test.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * The test driver's save and core files: a magic line, the domain XML, and a run state. Written to a
 * temporary file, synced, then renamed, so a crash never leaves a half-written image.
 */
record SaveImage(String xml, boolean paused) {
    static final String SAVE_MAGIC = "JvirtTestSave1\n";
    static final String CORE_MAGIC = "JvirtTestCore1\n";
    private static final int MAX_XML = 1 << 20;

    /** Writes a save image; {@code progress} hears how many of {@code total} bytes are done. */
    static void write(Path file, SaveImage image, long total, LongConsumer progress) {
        byte[] xml = image.xml.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(SAVE_MAGIC.length() + 5 + xml.length);
        buf.put(SAVE_MAGIC.getBytes(StandardCharsets.US_ASCII)).put((byte) (image.paused ? 1 : 0))
                .putInt(xml.length).put(xml).flip();
        writeAtomically(file, buf, "saving domain", total, progress);
    }

    static void writeCore(Path file, String xml, long total, LongConsumer progress) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(CORE_MAGIC.length() + 4 + bytes.length);
        buf.put(CORE_MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(bytes.length).put(bytes).flip();
        writeAtomically(file, buf, "dumping domain", total, progress);
    }

    static SaveImage read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.TEST,
                    "cannot read domain image '" + file + "': No such file or directory");
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.TEST,
                    "cannot read domain image '" + file + "': " + e.getMessage());
        }
        ByteBuffer buf = ByteBuffer.wrap(all);
        byte[] magic = new byte[SAVE_MAGIC.length()];
        if (all.length < magic.length + 5) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "incomplete save header in '" + file + "'");
        }
        buf.get(magic);
        if (!SAVE_MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "mismatched header magic");
        }
        boolean paused = buf.get() == 1;
        int len = buf.getInt();
        if (len < 1 || len > MAX_XML || len > buf.remaining()) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "length of metadata out of range");
        }
        String xml = new String(all, buf.position(), len, StandardCharsets.UTF_8);
        return new SaveImage(xml, paused);
    }

    private static void writeAtomically(Path file, ByteBuffer data, String what, long total, LongConsumer progress) {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (data.hasRemaining()) {
                    ch.write(data);
                }
                ch.force(true);
                progress.accept(total / 2);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(abs.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // some file systems cannot sync a directory; the rename itself is done
            }
            progress.accept(total);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // already failing
            }
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.TEST,
                    what + " to '" + file + "': " + e.getMessage());
        }
    }
}
