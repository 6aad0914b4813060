package org.jvirt.xml;

import java.util.BitSet;

/** libvirt's bitmap text ("0-3,^2,5"), as cpuset, nodeset and vcpus attributes carry it. */
public final class Bitmaps {
    /** virBitmapParse's bound in domain XML (VIR_DOMAIN_CPUMASK_LEN): bits 0 to 65535. */
    static final int MAX_BIT = 65535;

    private Bitmaps() {
    }

    /** The set, or null when the text is absent or does not parse (the caller reports that in its words). */
    public static BitSet parse(String text) {
        if (text == null) {
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
                if (lo < 0 || hi < lo || hi > MAX_BIT) {
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

    /** virBitmapFormat: ranges of set bits, "0-3,5"; an empty set is "". */
    public static String format(BitSet set) {
        StringBuilder b = new StringBuilder();
        for (int i = set.nextSetBit(0); i >= 0; ) {
            int end = set.nextClearBit(i) - 1;
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(i);
            if (end > i) {
                b.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return b.toString();
    }
}
