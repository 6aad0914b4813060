package org.jvirt.spi;

import java.util.List;

import org.jvirt.api.NodeStat;

/**
 * The answer of {@link DriverConnection#nodeGetCPUStats} and {@link DriverConnection#nodeGetMemoryStats}, as
 * on libvirt's wire: asked for none ({@code nparams} 0), how many there are in {@code nparams} and no
 * statistics; asked for some, at most that many statistics and {@code nparams} 0.
 */
public record NodeStats(List<NodeStat> stats, int nparams) {
    public NodeStats {
        stats = List.copyOf(stats);
    }

    /** The answer to "how many": {@code count} and no statistics. */
    public static NodeStats count(int count) {
        return new NodeStats(List.of(), count);
    }

    /** The statistics asked for. */
    public static NodeStats of(List<NodeStat> stats) {
        return new NodeStats(stats, 0);
    }
}
