package org.jvirt.remote.internal.rpc;

import static org.jvirt.remote.internal.rpc.ProcedureCodec.args;
import static org.jvirt.remote.internal.rpc.ProcedureCodec.ret;
import static org.jvirt.remote.internal.rpc.XdrTypes.DOMAIN;
import static org.jvirt.remote.internal.rpc.XdrTypes.INT;
import static org.jvirt.remote.internal.rpc.XdrTypes.STRING;
import static org.jvirt.remote.internal.rpc.XdrTypes.UINT;
import static org.jvirt.remote.internal.rpc.XdrTypes.nonNull;

import java.util.Map;

import org.jvirt.api.BlockInfo;
import org.jvirt.api.ControlInfo;
import org.jvirt.api.DomainTime;
import org.jvirt.api.MemoryStat;
import org.jvirt.spi.Procedure;

/**
 * The wire form of the procedures that ask about a running domain (vCPU counts, statistics, what the guest
 * reports), from libvirt's {@code remote_protocol.x}; {@link RemoteProcedures} holds them with the others.
 */
final class DomainRuntimeProcedures {
    /** REMOTE_DOMAIN_MEMORY_STATS_MAX. */
    static final int DOMAIN_MEMORY_STATS_MAX = 1024;

    private DomainRuntimeProcedures() {
    }

    /** remote_domain_memory_stat {int tag; unsigned hyper val}. */
    private static final XdrType<MemoryStat> MEMORY_STAT = XdrTypes.of((w, s) -> {
        nonNull(s, "memory stat");
        w.writeInt(s.tag()).writeHyper(s.value());
    }, r -> new MemoryStat(r.readInt(), r.readHyper()));

    /** remote_domain_get_block_info_ret {unsigned hyper allocation, capacity, physical}: not the record's order. */
    private static final XdrType<BlockInfo> BLOCK_INFO = XdrTypes.of((w, b) -> {
        nonNull(b, "block info");
        w.writeHyper(b.allocation()).writeHyper(b.capacity()).writeHyper(b.physical());
    }, r -> {
        long allocation = r.readHyper();
        long capacity = r.readHyper();
        return new BlockInfo(capacity, allocation, r.readHyper());
    });

    /** remote_domain_get_control_info_ret {unsigned int state, details; unsigned hyper stateTime}. */
    private static final XdrType<ControlInfo> CONTROL_INFO = XdrTypes.of((w, c) -> {
        nonNull(c, "control info");
        w.writeInt(c.state()).writeInt(c.details()).writeHyper(c.stateTimeMs());
    }, r -> new ControlInfo(r.readInt(), r.readInt(), r.readHyper()));

    /** remote_domain_get_time_ret {hyper seconds; unsigned int nseconds}. */
    private static final XdrType<DomainTime> TIME = XdrTypes.of((w, t) -> {
        nonNull(t, "time");
        w.writeHyper(t.seconds()).writeInt(t.nanoseconds());
    }, r -> new DomainTime(r.readHyper(), r.readInt()));

    static void register(Map<Procedure, ProcedureCodec> m) {
        // remote_domain_get_vcpus_flags_args {dom; flags}, ret {int num}
        put(m, Procedure.DOMAIN_GET_VCPUS_FLAGS, args(DOMAIN, UINT), ret(INT));
        // remote_domain_memory_stats_args {dom; unsigned int maxStats; flags}, ret {stats<>}
        put(m, Procedure.DOMAIN_MEMORY_STATS, args(DOMAIN, UINT, UINT),
                ret(XdrTypes.list(MEMORY_STAT, DOMAIN_MEMORY_STATS_MAX)));
        // remote_domain_get_block_info_args {dom; remote_nonnull_string path; flags}
        put(m, Procedure.DOMAIN_GET_BLOCK_INFO, args(DOMAIN, STRING, UINT), ret(BLOCK_INFO));
        put(m, Procedure.DOMAIN_GET_CONTROL_INFO, args(DOMAIN, UINT), ret(CONTROL_INFO));
        put(m, Procedure.DOMAIN_GET_TIME, args(DOMAIN, UINT), ret(TIME));
        // remote_domain_get_hostname_ret {remote_nonnull_string hostname}
        put(m, Procedure.DOMAIN_GET_HOSTNAME, args(DOMAIN, UINT), ret(STRING));
    }

    private static void put(Map<Procedure, ProcedureCodec> m, Procedure p, ProcedureCodec.Args a,
            ProcedureCodec.Ret r) {
        m.put(p, new ProcedureCodec(p, a, r));
    }
}
