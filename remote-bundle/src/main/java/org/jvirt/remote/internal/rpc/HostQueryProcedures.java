package org.jvirt.remote.internal.rpc;

import static org.jvirt.remote.internal.rpc.ProcedureCodec.args;
import static org.jvirt.remote.internal.rpc.ProcedureCodec.ret;
import static org.jvirt.remote.internal.rpc.XdrTypes.INT;
import static org.jvirt.remote.internal.rpc.XdrTypes.STRING;
import static org.jvirt.remote.internal.rpc.XdrTypes.UINT;
import static org.jvirt.remote.internal.rpc.XdrTypes.nonNull;

import java.util.List;
import java.util.Map;

import org.jvirt.api.NodeStat;
import org.jvirt.spi.NodeStats;
import org.jvirt.spi.Procedure;

/**
 * The wire form of the procedures that ask about the host (sysinfo, NUMA cells' free memory, CPU and memory
 * counters, CPU models), from libvirt's {@code remote_protocol.x}; {@link RemoteProcedures} holds them.
 */
final class HostQueryProcedures {
    /** REMOTE_NODE_MAX_CELLS. */
    static final int NODE_MAX_CELLS = 1024;
    /** REMOTE_NODE_CPU_STATS_MAX. */
    static final int NODE_CPU_STATS_MAX = 16;
    /** REMOTE_NODE_MEMORY_STATS_MAX. */
    static final int NODE_MEMORY_STATS_MAX = 16;
    /** REMOTE_CONNECT_CPU_MODELS_MAX. */
    static final int CONNECT_CPU_MODELS_MAX = 8192;

    private HostQueryProcedures() {
    }

    /** remote_node_get_{cpu,memory}_stats {remote_nonnull_string field; unsigned hyper value}. */
    private static final XdrType<NodeStat> NODE_STAT = XdrTypes.of((w, s) -> {
        nonNull(s, "node stat");
        STRING.write(w, s.field());
        w.writeHyper(s.value());
    }, r -> new NodeStat(STRING.read(r), r.readHyper()));

    /** remote_node_get_{cpu,memory}_stats_ret {params<max>; int nparams}. */
    private static XdrType<NodeStats> nodeStats(int max) {
        XdrType<List<NodeStat>> params = XdrTypes.list(NODE_STAT, max);
        return XdrTypes.of((w, s) -> {
            nonNull(s, "node stats");
            params.write(w, s.stats());
            w.writeInt(s.nparams());
        }, r -> new NodeStats(params.read(r), r.readInt()));
    }

    private static final XdrType<List<String>> MODELS = XdrTypes.list(STRING, CONNECT_CPU_MODELS_MAX);

    static void register(Map<Procedure, ProcedureCodec> m) {
        put(m, Procedure.CONNECT_GET_SYSINFO, args(UINT), ret(STRING));
        // remote_node_get_cells_free_memory_args {int startCell; int maxcells}, ret {unsigned hyper cells<>}
        put(m, Procedure.NODE_GET_CELLS_FREE_MEMORY, args(INT, INT), ret(XdrTypes.hyperArray(NODE_MAX_CELLS)));
        // remote_node_get_cpu_stats_args {int cpuNum; int nparams; unsigned int flags}
        put(m, Procedure.NODE_GET_CPU_STATS, args(INT, INT, UINT), ret(nodeStats(NODE_CPU_STATS_MAX)));
        // remote_node_get_memory_stats_args {int nparams; int cellNum; flags}: the SPI has (cellNum, nparams, flags)
        put(m, Procedure.NODE_GET_MEMORY_STATS, ProcedureCodec.Args.of((w, a) -> {
            INT.writeObject(w, a[1]);
            INT.writeObject(w, a[0]);
            UINT.writeObject(w, a[2]);
        }, r -> {
            int nparams = r.readInt();
            int cellNum = r.readInt();
            return new Object[] {cellNum, nparams, r.readInt()};
        }), ret(nodeStats(NODE_MEMORY_STATS_MAX)));
        // remote_connect_get_cpu_model_names_args {remote_nonnull_string arch; int need_results; flags}: the
        // client always wants the names; ret {models<>; int ret}, ret the number of models
        put(m, Procedure.CONNECT_GET_CPU_MODEL_NAMES, ProcedureCodec.Args.of((w, a) -> {
            STRING.writeObject(w, a[0]);
            w.writeInt(1);
            UINT.writeObject(w, a[1]);
        }, r -> {
            String arch = STRING.read(r);
            r.readInt();
            return new Object[] {arch, r.readInt()};
        }), ret(XdrTypes.of((w, models) -> {
            MODELS.write(w, models);
            w.writeInt(models.size());
        }, r -> {
            List<String> models = MODELS.read(r);
            r.readInt();
            return models;
        })));
    }

    private static void put(Map<Procedure, ProcedureCodec> m, Procedure p, ProcedureCodec.Args a,
            ProcedureCodec.Ret r) {
        m.put(p, new ProcedureCodec(p, a, r));
    }
}
