package org.jvirt.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A daemon's pid file, held with an exclusive lock for the life of the process, as libvirtd's: a second
 * daemon on the same file is refused at once with the holder's pid.
 */
final class PidFile {
    /** Kept open (and locked) until the process exits. */
    private static FileLock held;

    private PidFile() {
    }

    static void acquire(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
                ch.close();
                System.err.println("jvirtd: error: another jvirtd (pid " + (holder.isEmpty() ? "?" : holder)
                        + ") holds the pid file " + file);
                System.exit(1);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            held = lock;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // removed at the next start anyway
                }
            }, "jvirtd-pidfile"));
        } catch (IOException e) {
            System.err.println("jvirtd: error: cannot write the pid file " + file + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
