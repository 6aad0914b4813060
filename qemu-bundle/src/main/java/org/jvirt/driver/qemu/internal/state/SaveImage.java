package org.jvirt.driver.qemu.internal.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * A save image: a header page ({@code JVIRT-QEMU-SAVE 1 xmlLength paused dataOffset\n}, the domain XML,
 * zero padding to a 4 KiB boundary), then QEMU's migration stream from {@code dataOffset} on.
 *
 * @param xml        the domain XML
 * @param paused     whether to leave the restored domain paused
 * @param dataOffset where the migration stream starts
 */
public record SaveImage(String xml, boolean paused, long dataOffset) {
    private static final String MAGIC = "JVIRT-QEMU-SAVE 1 ";
    public static final int ALIGN = 4096;

    /** Writes the header and returns the image (its data offset). */
    public static SaveImage writeHeader(Path file, String xml, boolean paused) {
        byte[] x = xml.getBytes(StandardCharsets.UTF_8);
        String first0 = MAGIC + x.length + " " + (paused ? 1 : 0) + " ";
        long len = first0.length() + 12 + x.length;
        long offset = (len + ALIGN - 1) / ALIGN * ALIGN;
        String first = first0 + String.format("%010d\n", offset);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            byte[] h = first.getBytes(StandardCharsets.US_ASCII);
            out.write(h);
            out.write(x);
            out.write(new byte[(int) (offset - h.length - x.length)]);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.WRITE_FAILED, ErrorDomain.QEMU,
                    "cannot write save image " + file + ": " + e.getMessage(), e);
        }
        return new SaveImage(xml, paused, offset);
    }

    public static SaveImage read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(128);
            String s = new String(head, StandardCharsets.US_ASCII);
            int nl = s.indexOf('\n');
            if (!s.startsWith(MAGIC) || nl < 0) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                        file + " is not a jvirt QEMU save image");
            }
            String[] f = s.substring(MAGIC.length(), nl).trim().split(" ");
            int xmlLen = Integer.parseInt(f[0]);
            boolean paused = f[1].equals("1");
            long offset = Long.parseLong(f[2]);
            byte[] all = new byte[nl + 1 + xmlLen];
            System.arraycopy(head, 0, all, 0, Math.min(head.length, all.length));
            if (all.length > head.length) {
                byte[] rest = in.readNBytes(all.length - head.length);
                System.arraycopy(rest, 0, all, head.length, rest.length);
            }
            String xml = new String(all, nl + 1, xmlLen, StandardCharsets.UTF_8);
            return new SaveImage(xml, paused, offset);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "cannot open save image " + file + ": No such file or directory");
        } catch (IOException | RuntimeException e) {
            if (e instanceof VirtException v) {
                throw v;
            }
            throw new VirtException(ErrorCode.READ_FAILED, ErrorDomain.QEMU,
                    "cannot read save image " + file + ": " + e.getMessage(), e);
        }
    }

    /** Quotes a path for the shell QEMU runs exec: migration URIs with. */
    public static String shq(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
