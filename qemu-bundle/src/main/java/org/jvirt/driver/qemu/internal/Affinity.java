package org.jvirt.driver.qemu.internal;

import java.util.BitSet;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/** A thread's CPU affinity through the C library's {@code sched_setaffinity(2)}, called with JNA. */
final class Affinity {
    /** glibc's cpu_set_t: 1024 CPUs. */
    private static final int CPU_SETSIZE = 1024;

    interface CLib extends Library {
        int sched_setaffinity(int pid, NativeLong cpusetsize, long[] mask) throws LastErrorException;
    }

    /** Loaded on first use, so that a host without JNA's native part fails only pinVcpu. */
    private static final class Holder {
        static final CLib C = Native.load("c", CLib.class);
    }

    private Affinity() {
    }

    private static CLib c() {
        try {
            return Holder.C;
        } catch (LinkageError e) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.QEMU,
                    "sched_setaffinity is not available here (JNA: " + e.getMessage() + ")");
        }
    }

    /** Restricts a thread (a Linux task id) to a set of host CPUs. */
    static void set(long tid, BitSet cpus) {
        if (cpus.length() > CPU_SETSIZE) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "cpumap is larger than "
                    + CPU_SETSIZE + " CPUs");
        }
        long[] mask = new long[CPU_SETSIZE / 64];
        long[] words = cpus.toLongArray();
        System.arraycopy(words, 0, mask, 0, words.length);
        try {
            c().sched_setaffinity((int) tid, new NativeLong(mask.length * 8L), mask);
        } catch (LastErrorException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot set CPU affinity of thread "
                    + tid + ": " + e.getMessage() + " (errno " + e.getErrorCode() + ")", e);
        }
    }
}
