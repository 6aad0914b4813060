package org.jvirt.shell;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;

/** Small helpers shared by the commands. */
final class Util {

    private Util() {
    }

    /** Reads an XML file as virsh does; fails with a virsh-like message. */
    static String readFile(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CommandFailed("Failed to open file '" + file + "': No such file or directory");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CommandFailed("Failed to open file '" + file + "': Permission denied");
        } catch (IOException | RuntimeException e) {
            throw new CommandFailed("Failed to read file '" + file + "': " + e.getMessage());
        }
    }

    /** Nanoseconds as seconds with one decimal, rounded as C's printf("%.1lf") rounds. */
    static String seconds(long nanos) {
        double secs = nanos / 1_000_000_000.0;
        return new BigDecimal(secs).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A CPU set as libvirt formats bitmaps: "0-3,6,8-9". */
    static String cpuRanges(BitSet set) {
        return org.jvirt.xml.Bitmaps.format(set);
    }

    /** The text of the first element with this tag inside the given section, or null. */
    static String xmlText(String xml, String section, String tag) {
        int from = 0;
        if (section != null) {
            from = xml.indexOf("<" + section + ">");
            if (from < 0) {
                return null;
            }
        }
        int start = xml.indexOf("<" + tag, from);
        if (start < 0) {
            return null;
        }
        int gt = xml.indexOf('>', start);
        if (gt < 0) {
            return null;
        }
        if (xml.charAt(gt - 1) == '/') {
            return "";
        }
        int end = xml.indexOf("</" + tag + ">", gt);
        return end < 0 ? null : unescape(xml.substring(gt + 1, end).strip());
    }

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
