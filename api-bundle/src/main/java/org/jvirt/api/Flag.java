package org.jvirt.api;

import java.util.Collection;
import java.util.EnumSet;

/** A flag with libvirt's bit value, so that flag sets cross the wire as libvirt's unsigned ints. */
public interface Flag {
    int bit();

    /** The libvirt bit mask of a set of flags. */
    static int mask(Collection<? extends Flag> flags) {
        int m = 0;
        for (Flag f : flags) {
            m |= f.bit();
        }
        return m;
    }

    /** The flags of a given enum present in a mask. */
    static <E extends Enum<E> & Flag> EnumSet<E> fromMask(Class<E> type, int mask) {
        EnumSet<E> set = EnumSet.noneOf(type);
        for (E e : type.getEnumConstants()) {
            if ((mask & e.bit()) != 0) {
                set.add(e);
            }
        }
        return set;
    }
}
