package org.jvirt.api;

/**
 * One CPU or memory statistic of the host (libvirt's virNodeCPUStats, virNodeMemoryStats): a field such as
 * {@code user}, {@code kernel}, {@code idle} (nanoseconds) or {@code total}, {@code free} (KiB), and its value.
 */
public record NodeStat(String field, long value) {
    /** Every CPU (virNodeGetCPUStats's VIR_NODE_CPU_STATS_ALL_CPUS) or every cell (VIR_NODE_MEMORY_STATS_ALL_CELLS). */
    public static final int ALL = -1;
}
