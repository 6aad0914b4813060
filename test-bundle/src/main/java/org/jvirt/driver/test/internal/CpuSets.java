package org.jvirt.driver.test.internal;

import java.util.BitSet;

/** libvirt's CPU set text ("0-3,^2,5"), as domain XML carries it in cpuset attributes. */
final class CpuSets {
    private CpuSets() {
    }

    /** The set, or null when the text is absent or does not parse. */
    static BitSet parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        BitSet b = new BitSet();
        for (String part : text.split(",")) {
            String p = part.trim();
            boolean negated = p.startsWith("^");
            if (negated) {
                p = p.substring(1);
            }
            int dash = p.indexOf('-');
            try {
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 0 || hi < lo) {
                    return null;
                }
                if (negated) {
                    b.clear(lo, hi + 1);
                } else {
                    b.set(lo, hi + 1);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return b;
    }

    /** libvirt's virBitmapFormat: ranges of set bits, "0-3,5". */
    static String format(BitSet b) {
        StringBuilder sb = new StringBuilder();
        for (int i = b.nextSetBit(0); i >= 0; ) {
            int end = b.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = b.nextSetBit(end + 1);
        }
        return sb.toString();
    }
}
