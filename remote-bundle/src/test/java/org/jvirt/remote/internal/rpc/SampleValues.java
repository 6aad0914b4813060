package org.jvirt.remote.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.BlockStats;
import org.jvirt.api.CpuMap;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.SecurityLabel;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuInfo;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.MigrationFinish;
import org.jvirt.spi.MigrationStep;
import org.jvirt.spi.NetworkRef;
import org.jvirt.spi.SchedulerType;

/**
 * Sample values of the SPI's parameter and return types. The seed (a parameter's position) makes
 * neighbouring values differ, so that a codec that swaps two fields fails; a type without a sample fails the
 * test, so that a new SPI type cannot slip through unchecked.
 */
public final class SampleValues {
    private SampleValues() {
    }

    static final UUID UUID_1 = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");

    static DomainRef domain(int seed) {
        return new DomainRef("guest-" + seed, new UUID(0x0123456789abcdefL + seed, 0xfedcba9876543210L - seed),
                seed % 2 == 0 ? seed + 1 : -1);
    }

    static NetworkRef network(int seed) {
        return new NetworkRef("net" + seed, new UUID(0x1111222233334444L + seed, 0x5555666677778888L));
    }

    static List<TypedParameter> typedParams() {
        return List.of(new TypedParameter("i", TypedParameter.Type.INT, -7),
                TypedParameter.ofUInt("weight", 0x80000001),
                new TypedParameter("ll", TypedParameter.Type.LLONG, -1234567890123L),
                TypedParameter.ofULong("limit", 0xfedcba9876543210L),
                new TypedParameter("ratio", TypedParameter.Type.DOUBLE, 1.5),
                new TypedParameter("on", TypedParameter.Type.BOOLEAN, true),
                new TypedParameter("text", TypedParameter.Type.STRING, "été"));
    }

    static BitSet bits(int... on) {
        BitSet b = new BitSet();
        for (int i : on) {
            b.set(i);
        }
        return b;
    }

    /** A sample of a parameter or return type. */
    public static Object of(Type type, int seed) {
        if (type instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            return list(pt.getActualTypeArguments()[0], seed);
        }
        if (!(type instanceof Class<?> c)) {
            throw new AssertionError("no sample for type " + type);
        }
        if (c == org.jvirt.spi.StreamPeer.class) {
            return null; // a stream is not on the wire: the call's serial names it
        }
        if (c == int.class || c == Integer.class) {
            return 1000 + seed;
        }
        if (c == long.class || c == Long.class) {
            // even seeds set the top bit: an unsigned hyper keeps all 64 bits
            return seed % 2 == 0 ? 0x8000000000000001L + seed : (1L << 40) + seed;
        }
        if (c == boolean.class || c == Boolean.class) {
            return seed % 2 == 0;
        }
        if (c == String.class) {
            return "s" + seed + "-é" + "x".repeat(seed % 4);
        }
        if (c == byte[].class) {
            byte[] b = new byte[5 + seed];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (0xf0 + i + seed);
            }
            return b;
        }
        if (c == int[].class) {
            return new int[] {1, 2, 3 + seed};
        }
        if (c == UUID.class) {
            return new UUID(0x0f0e0d0c0b0a0908L + seed, 0x0706050403020100L);
        }
        if (c == BitSet.class) {
            return bits(0, 3, 9 + seed);
        }
        if (c == DomainRef.class) {
            return domain(seed);
        }
        if (c == NetworkRef.class) {
            return network(seed);
        }
        if (c == DomainInfo.class) {
            return new DomainInfo(DomainState.RUNNING, 2097152L, 1048576L, 2, 123456789012L);
        }
        if (c == DomainStatus.class) {
            return new DomainStatus(DomainState.PAUSED, DomainStatus.PAUSED_USER);
        }
        if (c == NodeInfo.class) {
            return new NodeInfo("x86_64", 16384000L, 8, 2400, 1, 1, 4, 2);
        }
        if (c == CpuMap.class) {
            return new CpuMap(12, bits(0, 1, 2, 5, 11));
        }
        if (c == SecurityModel.class) {
            return new SecurityModel("selinux", "0");
        }
        if (c == SecurityLabel.class) {
            return new SecurityLabel("system_u:system_r:svirt_t:s0:c87,c520", true);
        }
        if (c == SchedulerType.class) {
            return new SchedulerType("posix", 5);
        }
        if (c == BlockStats.class) {
            return new BlockStats(1, 2, 3, 4, -1);
        }
        if (c == InterfaceStats.class) {
            return new InterfaceStats(1, 2, 3, 4, 5, 6, -1, 1L << 40);
        }
        if (c == JobInfo.class) {
            return new JobInfo(JobInfo.BOUNDED, 1000, 2000, 3000, 1500, 1500);
        }
        if (c == JobStats.class) {
            return new JobStats(JobInfo.COMPLETED, typedParams());
        }
        if (c == MigrationStep.class) {
            return new MigrationStep("<domain type='test'/>", (byte[]) of(byte[].class, seed));
        }
        if (c == MigrationFinish.class) {
            return new MigrationFinish(domain(seed), (byte[]) of(byte[].class, seed + 1));
        }
        if (c == long[].class) {
            return new long[] {2097152L, 0x8000000000000000L + seed, -1L};
        }
        if (c == org.jvirt.spi.NodeStats.class) {
            return new org.jvirt.spi.NodeStats(List.of(new org.jvirt.api.NodeStat("user", 9797400000L + seed),
                    new org.jvirt.api.NodeStat("kérnel", -1L)), seed);
        }
        if (c == org.jvirt.api.BlockInfo.class) {
            return new org.jvirt.api.BlockInfo(1L << 40, (1L << 40) + 5, -2);
        }
        if (c == org.jvirt.api.ControlInfo.class) {
            return new org.jvirt.api.ControlInfo(org.jvirt.api.ControlInfo.ERROR, 2, 0x8000000000000005L);
        }
        if (c == org.jvirt.api.DomainTime.class) {
            return new org.jvirt.api.DomainTime(-627319920L, 999_999_999);
        }
        throw new AssertionError("no sample for type " + c.getName() + ": add one to SampleValues");
    }

    private static List<?> list(Type item, int seed) {
        if (item == String.class) {
            return List.of("a", "bc", "déf" + seed);
        }
        if (item == DomainRef.class) {
            return List.of(domain(seed), domain(seed + 1));
        }
        if (item == NetworkRef.class) {
            return List.of(network(seed), network(seed + 1));
        }
        if (item == TypedParameter.class) {
            return typedParams();
        }
        if (item == VcpuInfo.class) {
            return List.of(new VcpuInfo(0, 1, 5_000_000_000L, 3, bits(0, 2)),
                    new VcpuInfo(1, 2, 42L, -1, bits(1, 9)));
        }
        if (item == BitSet.class) {
            return List.of(bits(0, 7), bits(), bits(1, 2, 3 + seed));
        }
        if (item == org.jvirt.api.MemoryStat.class) {
            return List.of(new org.jvirt.api.MemoryStat(org.jvirt.api.MemoryStat.ACTUAL_BALLOON, 2097152),
                    new org.jvirt.api.MemoryStat(99, 0xffffffffffffffffL));
        }
        throw new AssertionError("no sample for List<" + item.getTypeName() + ">: add one to SampleValues");
    }

    /** Deep equality: arrays by content, records component by component, lists item by item. */
    static void assertSame(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
            return;
        }
        if (expected instanceof byte[] e) {
            assertTrue(actual instanceof byte[], where + ": a byte[] expected, got " + actual.getClass());
            assertArrayEquals(e, (byte[]) actual, where);
            return;
        }
        if (expected instanceof long[] e) {
            assertTrue(actual instanceof long[], where + ": a long[] expected, got " + actual.getClass());
            assertArrayEquals(e, (long[]) actual, where);
            return;
        }
        if (expected instanceof int[] e) {
            assertTrue(actual instanceof int[], where + ": an int[] expected, got " + actual.getClass());
            assertArrayEquals(e, (int[]) actual, where);
            return;
        }
        if (expected instanceof List<?> e) {
            assertTrue(actual instanceof List, where + ": a List expected, got " + actual.getClass());
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), where + ": size");
            for (int i = 0; i < e.size(); i++) {
                assertSame(e.get(i), a.get(i), where + "[" + i + "]");
            }
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), where);
        if (expected.getClass().isRecord()) {
            for (RecordComponent rc : expected.getClass().getRecordComponents()) {
                try {
                    assertSame(rc.getAccessor().invoke(expected), rc.getAccessor().invoke(actual),
                            where + "." + rc.getName());
                } catch (ReflectiveOperationException ex) {
                    fail(ex);
                }
            }
            return;
        }
        assertEquals(expected, actual, where);
    }
}
