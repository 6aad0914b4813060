package org.jvirt.remote.internal.rpc;

import static org.jvirt.remote.internal.rpc.ProcedureCodec.NO_ARGS;
import static org.jvirt.remote.internal.rpc.ProcedureCodec.VOID;
import static org.jvirt.remote.internal.rpc.ProcedureCodec.args;
import static org.jvirt.remote.internal.rpc.ProcedureCodec.ret;
import static org.jvirt.remote.internal.rpc.XdrTypes.BOOL;
import static org.jvirt.remote.internal.rpc.XdrTypes.DOMAIN;
import static org.jvirt.remote.internal.rpc.XdrTypes.INT;
import static org.jvirt.remote.internal.rpc.XdrTypes.NETWORK;
import static org.jvirt.remote.internal.rpc.XdrTypes.OPT_DOMAIN;
import static org.jvirt.remote.internal.rpc.XdrTypes.OPT_STRING;
import static org.jvirt.remote.internal.rpc.XdrTypes.STRING;
import static org.jvirt.remote.internal.rpc.XdrTypes.TYPED_PARAM;
import static org.jvirt.remote.internal.rpc.XdrTypes.UHYPER;
import static org.jvirt.remote.internal.rpc.XdrTypes.UHYPER_FLAGS;
import static org.jvirt.remote.internal.rpc.XdrTypes.UINT;
import static org.jvirt.remote.internal.rpc.XdrTypes.UUID_TYPE;
import static org.jvirt.remote.internal.rpc.XdrTypes.nonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.MigrationFinish;
import org.jvirt.spi.MigrationStep;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.SchedulerType;

/**
 * The wire form of every procedure in {@link Procedure}, from libvirt's {@code remote_protocol.x}
 * ({@code remote_<name>_args} and {@code remote_<name>_ret}). Limits are the .x file's constants.
 *
 * <p>Where the wire has fields the SPI method lacks, the client side fills them as libvirt's client does
 * ({@code need_results = 1}, the trailing {@code ret} count) and the reading side drops them. One codec is
 * not an SPI call: {@link Procedure#CONNECT_OPEN}'s arguments are the wire's {@code (String name, Integer
 * flags)}, the name null for the server's default, because the SPI's {@code OpenContext} cannot cross the
 * wire; the server resolves the name through its connection factory.
 */
public final class RemoteProcedures {
    /** REMOTE_STRING_MAX. */
    public static final int STRING_MAX = 4194304;
    /** REMOTE_DOMAIN_LIST_MAX: ids, names and domains of the domain listings. */
    public static final int DOMAIN_LIST_MAX = 16384;
    /** REMOTE_NETWORK_LIST_MAX. */
    public static final int NETWORK_LIST_MAX = 16384;
    /** REMOTE_CPUMAP_MAX: bytes of one CPU map (pinning, the node's CPU map). */
    public static final int CPUMAP_MAX = 2048;
    /** REMOTE_VCPUINFO_MAX. */
    public static final int VCPUINFO_MAX = 16384;
    /** REMOTE_CPUMAPS_MAX: bytes of all vCPUs' maps together. */
    public static final int CPUMAPS_MAX = 8388608;
    /** REMOTE_MIGRATE_COOKIE_MAX. */
    public static final int MIGRATE_COOKIE_MAX = 4194304;
    /** REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX. */
    public static final int DOMAIN_SCHEDULER_PARAMETERS_MAX = 16;
    /** REMOTE_DOMAIN_JOB_STATS_MAX. */
    public static final int DOMAIN_JOB_STATS_MAX = 64;
    /** REMOTE_SECURITY_MODEL_MAX = VIR_SECURITY_MODEL_BUFLEN (256 + 1: the NUL counts). */
    public static final int SECURITY_MODEL_MAX = 257;
    /** REMOTE_SECURITY_DOI_MAX = VIR_SECURITY_DOI_BUFLEN. */
    public static final int SECURITY_DOI_MAX = 257;
    /** REMOTE_SECURITY_LABEL_MAX = VIR_SECURITY_LABEL_BUFLEN. */
    public static final int SECURITY_LABEL_MAX = 4097;
    /** The size of remote_node_get_info_ret's {@code char model[32]}. */
    public static final int NODE_MODEL_LEN = 32;

    private static final XdrType<byte[]> COOKIE = XdrTypes.opaque(MIGRATE_COOKIE_MAX);
    private static final XdrType<List<TypedParameter>> SCHEDULER_PARAMS =
            XdrTypes.list(TYPED_PARAM, DOMAIN_SCHEDULER_PARAMETERS_MAX);

    private RemoteProcedures() {
    }

    /** The codec of a procedure, or null when it has none (number 0: answered by the transport). */
    public static ProcedureCodec codec(Procedure p) {
        return CODECS.get(p);
    }

    private static Map<Procedure, ProcedureCodec> build() {
        Map<Procedure, ProcedureCodec> m = new EnumMap<>(Procedure.class);

        // ---- the connection
        // remote_connect_open_args {remote_string name; unsigned int flags}: see the class comment
        put(m, Procedure.CONNECT_OPEN, args(OPT_STRING, UINT), VOID);
        put(m, Procedure.CONNECT_CLOSE, NO_ARGS, VOID);
        put(m, Procedure.NETWORK_CONNECT_CLOSE, NO_ARGS, VOID);
        put(m, Procedure.CONNECT_GET_TYPE, NO_ARGS, ret(STRING));
        put(m, Procedure.CONNECT_GET_VERSION, NO_ARGS, ret(UHYPER));
        put(m, Procedure.CONNECT_GET_HOSTNAME, NO_ARGS, ret(STRING));
        put(m, Procedure.CONNECT_GET_URI, NO_ARGS, ret(STRING));
        put(m, Procedure.CONNECT_GET_MAX_VCPUS, args(OPT_STRING), ret(INT));
        put(m, Procedure.CONNECT_GET_CAPABILITIES, NO_ARGS, ret(STRING));
        put(m, Procedure.NODE_GET_INFO, NO_ARGS, ret(NODE_INFO));
        put(m, Procedure.NODE_GET_FREE_MEMORY, NO_ARGS, ret(UHYPER));
        // remote_node_get_cpu_map_args {int need_map; int need_online; unsigned int flags}
        put(m, Procedure.NODE_GET_CPU_MAP, ProcedureCodec.Args.of((w, a) -> {
            w.writeInt(1);
            w.writeInt(1);
            UINT.writeObject(w, a[0]);
        }, r -> {
            r.readInt();
            r.readInt();
            return new Object[] {r.readInt()};
        }), ret(CPU_MAP));
        put(m, Procedure.NODE_GET_SECURITY_MODEL, NO_ARGS, ret(SECURITY_MODEL_TYPE));
        put(m, Procedure.CONNECT_IS_SECURE, NO_ARGS, ret(BOOL));
        HostQueryProcedures.register(m);

        // ---- listing, lookup and creation
        put(m, Procedure.CONNECT_LIST_DOMAINS, args(INT), ret(XdrTypes.intArray(DOMAIN_LIST_MAX)));
        put(m, Procedure.CONNECT_NUM_OF_DOMAINS, NO_ARGS, ret(INT));
        put(m, Procedure.CONNECT_LIST_DEFINED_DOMAINS, args(INT), ret(XdrTypes.list(STRING, DOMAIN_LIST_MAX)));
        put(m, Procedure.CONNECT_NUM_OF_DEFINED_DOMAINS, NO_ARGS, ret(INT));
        put(m, Procedure.CONNECT_LIST_ALL_DOMAINS, LIST_ALL_ARGS, listAllRet(DOMAIN, DOMAIN_LIST_MAX));
        put(m, Procedure.DOMAIN_LOOKUP_BY_ID, args(INT), ret(DOMAIN));
        put(m, Procedure.DOMAIN_LOOKUP_BY_NAME, args(STRING), ret(DOMAIN));
        put(m, Procedure.DOMAIN_LOOKUP_BY_UUID, args(UUID_TYPE), ret(DOMAIN));
        put(m, Procedure.DOMAIN_DEFINE_XML_FLAGS, args(STRING, UINT), ret(DOMAIN));
        put(m, Procedure.DOMAIN_CREATE_XML, args(STRING, UINT), ret(DOMAIN));
        put(m, Procedure.DOMAIN_RESTORE_FLAGS, args(STRING, OPT_STRING, UINT), VOID);
        put(m, Procedure.CONNECT_DOMAIN_XML_TO_NATIVE, args(STRING, STRING, UINT), ret(STRING));
        put(m, Procedure.CONNECT_DOMAIN_XML_FROM_NATIVE, args(STRING, STRING, UINT), ret(STRING));

        // ---- one domain
        put(m, Procedure.DOMAIN_GET_OS_TYPE, args(DOMAIN), ret(STRING));
        put(m, Procedure.DOMAIN_GET_INFO, args(DOMAIN), ret(DOMAIN_INFO));
        put(m, Procedure.DOMAIN_GET_STATE, args(DOMAIN, UINT), ret(DOMAIN_STATUS));
        put(m, Procedure.DOMAIN_GET_XML_DESC, args(DOMAIN, UINT), ret(STRING));
        // remote_domain_has_managed_save_image_args {dom, flags}; _ret {int result}
        put(m, Procedure.DOMAIN_HAS_MANAGED_SAVE_IMAGE, args(DOMAIN, UINT), ret(BOOL));
        put(m, Procedure.DOMAIN_MANAGED_SAVE, args(DOMAIN, UINT), VOID);
        put(m, Procedure.DOMAIN_MANAGED_SAVE_REMOVE, args(DOMAIN, UINT), VOID);
        // remote_domain_rename_args {dom; remote_string new_name; flags}, ret {int retcode}: 0 on success
        put(m, Procedure.DOMAIN_RENAME, args(DOMAIN, OPT_STRING, UINT),
                ProcedureCodec.Ret.of((w, v) -> w.writeInt(0), r -> {
                    r.readInt();
                    return null;
                }));
        // remote_domain_is_updated_ret {int updated}
        put(m, Procedure.DOMAIN_IS_UPDATED, args(DOMAIN), ret(BOOL));
        // remote_domain_open_console_args {dom, remote_string dev_name, flags}; the SPI's stream (the third
        // parameter) is not on the wire: the call's serial names the stream its packets belong to
        put(m, Procedure.DOMAIN_OPEN_CONSOLE, new ProcedureCodec.Args() {
            @Override
            public void write(XdrWriter w, Object[] spiArgs) {
                DOMAIN.write(w, (DomainRef) spiArgs[0]);
                OPT_STRING.write(w, (String) spiArgs[1]);
                w.writeInt((Integer) spiArgs[3]);
            }

            @Override
            public Object[] read(XdrReader r) {
                DomainRef dom = DOMAIN.read(r);
                String dev = OPT_STRING.read(r);
                return new Object[] {dom, dev, null, r.readInt()};
            }
        }, VOID);
        put(m, Procedure.DOMAIN_IS_ACTIVE, args(DOMAIN), ret(BOOL));
        put(m, Procedure.DOMAIN_GET_SECURITY_LABEL, args(DOMAIN), ret(SECURITY_LABEL_TYPE));
        put(m, Procedure.DOMAIN_IS_PERSISTENT, args(DOMAIN), ret(BOOL));
        put(m, Procedure.DOMAIN_CREATE_WITH_FLAGS, args(DOMAIN, UINT), ret(DOMAIN));
        put(m, Procedure.DOMAIN_DESTROY_FLAGS, args(DOMAIN, UINT), VOID);
        put(m, Procedure.DOMAIN_SHUTDOWN_FLAGS, args(DOMAIN, UINT), VOID);
        put(m, Procedure.DOMAIN_REBOOT, args(DOMAIN, UINT), VOID);
        put(m, Procedure.DOMAIN_SUSPEND, args(DOMAIN), VOID);
        put(m, Procedure.DOMAIN_RESUME, args(DOMAIN), VOID);
        put(m, Procedure.DOMAIN_SAVE_FLAGS, args(DOMAIN, STRING, OPT_STRING, UINT), VOID);
        put(m, Procedure.DOMAIN_CORE_DUMP, args(DOMAIN, STRING, UINT), VOID);
        put(m, Procedure.DOMAIN_UNDEFINE_FLAGS, args(DOMAIN, UINT), VOID);
        put(m, Procedure.DOMAIN_GET_AUTOSTART, args(DOMAIN), ret(BOOL));
        put(m, Procedure.DOMAIN_SET_AUTOSTART, args(DOMAIN, BOOL), VOID);
        put(m, Procedure.DOMAIN_GET_MAX_MEMORY, args(DOMAIN), ret(UHYPER));
        put(m, Procedure.DOMAIN_SET_MAX_MEMORY, args(DOMAIN, UHYPER), VOID);
        put(m, Procedure.DOMAIN_SET_MEMORY_FLAGS, args(DOMAIN, UHYPER, UINT), VOID);
        put(m, Procedure.DOMAIN_SET_VCPUS_FLAGS, args(DOMAIN, UINT, UINT), VOID);
        put(m, Procedure.DOMAIN_GET_MAX_VCPUS, args(DOMAIN), ret(INT));
        // remote_domain_get_vcpus_args {dom; int maxinfo; int maplen}
        put(m, Procedure.DOMAIN_GET_VCPUS, args(DOMAIN, INT, INT), VCPUS_RET);
        // remote_domain_pin_vcpu_flags_args {dom; unsigned int vcpu; opaque cpumap<REMOTE_CPUMAP_MAX>; flags}
        put(m, Procedure.DOMAIN_PIN_VCPU_FLAGS, args(DOMAIN, UINT, XdrTypes.bitmap(CPUMAP_MAX), UINT), VOID);
        DomainPinningProcedures.register(m);
        // remote_domain_get_metadata_args {dom; int type; remote_string uri; flags}, ret {nonnull_string metadata}
        put(m, Procedure.DOMAIN_GET_METADATA, args(DOMAIN, INT, OPT_STRING, UINT), ret(STRING));
        // remote_domain_set_metadata_args {dom; int type; remote_string metadata, key, uri; flags}
        put(m, Procedure.DOMAIN_SET_METADATA, args(DOMAIN, INT, OPT_STRING, OPT_STRING, OPT_STRING, UINT), VOID);
        put(m, Procedure.DOMAIN_GET_SCHEDULER_TYPE, args(DOMAIN), ret(SCHEDULER_TYPE));
        // remote_domain_get_scheduler_parameters_flags_args {dom; int nparams; unsigned int flags}
        put(m, Procedure.DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, args(DOMAIN, INT, UINT), ret(SCHEDULER_PARAMS));
        put(m, Procedure.DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, args(DOMAIN, SCHEDULER_PARAMS, UINT), VOID);
        put(m, Procedure.DOMAIN_ATTACH_DEVICE_FLAGS, args(DOMAIN, STRING, UINT), VOID);
        put(m, Procedure.DOMAIN_DETACH_DEVICE_FLAGS, args(DOMAIN, STRING, UINT), VOID);
        put(m, Procedure.DOMAIN_BLOCK_STATS, args(DOMAIN, STRING), ret(BLOCK_STATS));
        put(m, Procedure.DOMAIN_INTERFACE_STATS, args(DOMAIN, STRING), ret(INTERFACE_STATS));

        DomainRuntimeProcedures.register(m);

        // ---- jobs
        put(m, Procedure.DOMAIN_GET_JOB_INFO, args(DOMAIN), ret(JOB_INFO));
        put(m, Procedure.DOMAIN_GET_JOB_STATS, args(DOMAIN, UINT), ret(JOB_STATS));
        put(m, Procedure.DOMAIN_ABORT_JOB, args(DOMAIN), VOID);

        // ---- migration v3: flags are unsigned hyper, bandwidth is "resource" (unsigned hyper)
        // begin3_args {dom; remote_string xmlin; flags; remote_string dname; resource}
        put(m, Procedure.DOMAIN_MIGRATE_BEGIN3, args(DOMAIN, OPT_STRING, UHYPER_FLAGS, OPT_STRING, UHYPER),
                ret(BEGIN3_RET));
        // prepare3_args {cookie_in; remote_string uri_in; flags; remote_string dname; resource; dom_xml}
        put(m, Procedure.DOMAIN_MIGRATE_PREPARE3,
                args(COOKIE, OPT_STRING, UHYPER_FLAGS, OPT_STRING, UHYPER, STRING), ret(PREPARE3_RET));
        // perform3_args {dom; xmlin; cookie_in; dconnuri; uri; flags; dname; resource}; ret {cookie_out}
        put(m, Procedure.DOMAIN_MIGRATE_PERFORM3,
                args(DOMAIN, OPT_STRING, COOKIE, OPT_STRING, OPT_STRING, UHYPER_FLAGS, OPT_STRING, UHYPER),
                ret(COOKIE));
        // finish3_args {remote_nonnull_string dname; cookie_in; dconnuri; uri; flags; int cancelled}
        put(m, Procedure.DOMAIN_MIGRATE_FINISH3,
                args(STRING, COOKIE, OPT_STRING, OPT_STRING, UHYPER_FLAGS, BOOL), ret(FINISH3_RET));
        // confirm3_args {dom; cookie_in; flags; int cancelled}
        put(m, Procedure.DOMAIN_MIGRATE_CONFIRM3, args(DOMAIN, COOKIE, UHYPER_FLAGS, BOOL), VOID);

        // ---- events: register_any_args {int eventID; remote_domain dom}, ret {int callbackID}
        put(m, Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, args(INT, OPT_DOMAIN), ret(INT));
        put(m, Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, args(INT), VOID);

        // ---- networks
        put(m, Procedure.CONNECT_NUM_OF_NETWORKS, NO_ARGS, ret(INT));
        put(m, Procedure.CONNECT_LIST_NETWORKS, args(INT), ret(XdrTypes.list(STRING, NETWORK_LIST_MAX)));
        put(m, Procedure.CONNECT_NUM_OF_DEFINED_NETWORKS, NO_ARGS, ret(INT));
        put(m, Procedure.CONNECT_LIST_DEFINED_NETWORKS, args(INT), ret(XdrTypes.list(STRING, NETWORK_LIST_MAX)));
        put(m, Procedure.CONNECT_LIST_ALL_NETWORKS, LIST_ALL_ARGS, listAllRet(NETWORK, NETWORK_LIST_MAX));
        put(m, Procedure.NETWORK_LOOKUP_BY_NAME, args(STRING), ret(NETWORK));
        put(m, Procedure.NETWORK_LOOKUP_BY_UUID, args(UUID_TYPE), ret(NETWORK));
        put(m, Procedure.NETWORK_DEFINE_XML_FLAGS, args(STRING, UINT), ret(NETWORK));
        put(m, Procedure.NETWORK_CREATE_XML_FLAGS, args(STRING, UINT), ret(NETWORK));
        put(m, Procedure.NETWORK_GET_XML_DESC, args(NETWORK, UINT), ret(STRING));
        put(m, Procedure.NETWORK_GET_BRIDGE_NAME, args(NETWORK), ret(STRING));
        put(m, Procedure.NETWORK_IS_ACTIVE, args(NETWORK), ret(BOOL));
        put(m, Procedure.NETWORK_IS_PERSISTENT, args(NETWORK), ret(BOOL));
        put(m, Procedure.NETWORK_CREATE, args(NETWORK), VOID);
        put(m, Procedure.NETWORK_DESTROY, args(NETWORK), VOID);
        put(m, Procedure.NETWORK_UNDEFINE, args(NETWORK), VOID);
        put(m, Procedure.NETWORK_GET_AUTOSTART, args(NETWORK), ret(BOOL));
        put(m, Procedure.NETWORK_SET_AUTOSTART, args(NETWORK, BOOL), VOID);

        for (Procedure p : Procedure.values()) {
            if (p.number() != 0 && !m.containsKey(p)) {
                throw new IllegalStateException("no wire form for " + p.procedureName());
            }
        }
        return m;
    }

    private static void put(Map<Procedure, ProcedureCodec> m, Procedure p, ProcedureCodec.Args a,
            ProcedureCodec.Ret r) {
        m.put(p, new ProcedureCodec(p, a, r));
    }

    // ---- the wire structs ----------------------------------------------------------------------------

    /** remote_connect_list_all_{domains,networks}_args {int need_results; unsigned int flags}. */
    private static final ProcedureCodec.Args LIST_ALL_ARGS = ProcedureCodec.Args.of((w, a) -> {
        w.writeInt(1);
        UINT.writeObject(w, a[0]);
    }, r -> {
        r.readInt();
        return new Object[] {r.readInt()};
    });

    /** remote_connect_list_all_*_ret {items<max>; unsigned int ret}: ret is the count. */
    private static <T> ProcedureCodec.Ret listAllRet(XdrType<T> item, int max) {
        XdrType<List<T>> list = XdrTypes.list(item, max);
        return ProcedureCodec.Ret.of((w, v) -> {
            list.writeObject(w, v);
            w.writeInt(((List<?>) v).size());
        }, r -> {
            List<T> items = list.read(r);
            r.readInt();
            return items;
        });
    }

    /**
     * remote_node_get_info_ret {char model[32]; unsigned hyper memory; int cpus; int mhz; int nodes;
     * int sockets; int cores; int threads}; memory in KiB.
     */
    private static final XdrType<NodeInfo> NODE_INFO = XdrTypes.of((w, n) -> {
        nonNull(n, "node info");
        XdrTypes.charVector(NODE_MODEL_LEN).write(w, n.model());
        w.writeHyper(n.memoryKiB());
        w.writeInt(n.cpus());
        w.writeInt(n.mhz());
        w.writeInt(n.nodes());
        w.writeInt(n.sockets());
        w.writeInt(n.cores());
        w.writeInt(n.threads());
    }, r -> new NodeInfo(XdrTypes.charVector(NODE_MODEL_LEN).read(r), r.readHyper(), r.readInt(), r.readInt(),
            r.readInt(), r.readInt(), r.readInt(), r.readInt()));

    /**
     * remote_node_get_cpu_map_ret {opaque cpumap<REMOTE_CPUMAP_MAX>; unsigned int online; int ret}: the map
     * of online CPUs in VIR_CPU_MAPLEN(ret) bytes, how many are online, and how many CPUs there are.
     */
    private static final XdrType<CpuMap> CPU_MAP = XdrTypes.of((w, c) -> {
        nonNull(c, "cpu map");
        BitSet online = c.online();
        if (c.cpus() < online.length()) {
            online.clear(Math.max(0, c.cpus()), online.length());
        }
        byte[] map = XdrTypes.bitmapBytes(online, (Math.max(0, c.cpus()) + 7) / 8);
        XdrTypes.opaque(CPUMAP_MAX).write(w, map);
        w.writeInt(online.cardinality());
        w.writeInt(c.cpus());
    }, r -> {
        byte[] map = r.readOpaque(CPUMAP_MAX);
        r.readInt();
        int cpus = r.readInt();
        return new CpuMap(cpus, BitSet.valueOf(map));
    });

    /** remote_node_get_security_model_ret {char model<REMOTE_SECURITY_MODEL_MAX>; char doi<...DOI_MAX>}. */
    private static final XdrType<SecurityModel> SECURITY_MODEL_TYPE = XdrTypes.of((w, s) -> {
        nonNull(s, "security model");
        XdrTypes.charArray(SECURITY_MODEL_MAX).write(w, s.model());
        XdrTypes.charArray(SECURITY_DOI_MAX).write(w, s.doi());
    }, r -> new SecurityModel(XdrTypes.charArray(SECURITY_MODEL_MAX).read(r),
            XdrTypes.charArray(SECURITY_DOI_MAX).read(r)));

    /** remote_domain_get_security_label_ret {char label<REMOTE_SECURITY_LABEL_MAX>; int enforcing}. */
    private static final XdrType<SecurityLabel> SECURITY_LABEL_TYPE = XdrTypes.of((w, s) -> {
        nonNull(s, "security label");
        XdrTypes.charArray(SECURITY_LABEL_MAX).write(w, s.label());
        w.writeInt(s.enforcing() ? 1 : 0);
    }, r -> new SecurityLabel(XdrTypes.charArray(SECURITY_LABEL_MAX).read(r), r.readInt() != 0));

    /**
     * remote_domain_get_info_ret {unsigned char state; unsigned hyper maxMem; unsigned hyper memory;
     * unsigned short nrVirtCpu; unsigned hyper cpuTime}: the char and the short take 4 bytes each.
     */
    private static final XdrType<DomainInfo> DOMAIN_INFO = XdrTypes.of((w, d) -> {
        nonNull(d, "domain info");
        if (d.vcpus() < 0 || d.vcpus() > 0xffff) {
            throw new XdrException("vCPU count " + d.vcpus() + " does not fit an unsigned short");
        }
        w.writeInt(d.state().code());
        w.writeHyper(d.maxMemKiB());
        w.writeHyper(d.memoryKiB());
        w.writeInt(d.vcpus());
        w.writeHyper(d.cpuTimeNs());
    }, r -> new DomainInfo(DomainState.fromCode(r.readInt() & 0xff), r.readHyper(), r.readHyper(),
            r.readInt() & 0xffff, r.readHyper()));

    /** remote_domain_get_state_ret {int state; int reason}. */
    private static final XdrType<DomainStatus> DOMAIN_STATUS = XdrTypes.of((w, s) -> {
        nonNull(s, "domain status");
        w.writeInt(s.state().code());
        w.writeInt(s.reason());
    }, r -> new DomainStatus(DomainState.fromCode(r.readInt()), r.readInt()));

    /** remote_domain_get_scheduler_type_ret {remote_nonnull_string type; int nparams}. */
    private static final XdrType<SchedulerType> SCHEDULER_TYPE = XdrTypes.of((w, s) -> {
        nonNull(s, "scheduler type");
        STRING.write(w, s.type());
        w.writeInt(s.nparams());
    }, r -> new SchedulerType(STRING.read(r), r.readInt()));

    /** remote_domain_block_stats_ret {hyper rd_req, rd_bytes, wr_req, wr_bytes, errs}. */
    private static final XdrType<BlockStats> BLOCK_STATS = XdrTypes.of((w, s) -> {
        nonNull(s, "block stats");
        w.writeHyper(s.rdReq()).writeHyper(s.rdBytes()).writeHyper(s.wrReq()).writeHyper(s.wrBytes())
                .writeHyper(s.errs());
    }, r -> new BlockStats(r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper()));

    /** remote_domain_interface_stats_ret {hyper rx_bytes, rx_packets, rx_errs, rx_drop, tx_... x4}. */
    private static final XdrType<InterfaceStats> INTERFACE_STATS = XdrTypes.of((w, s) -> {
        nonNull(s, "interface stats");
        w.writeHyper(s.rxBytes()).writeHyper(s.rxPackets()).writeHyper(s.rxErrs()).writeHyper(s.rxDrop())
                .writeHyper(s.txBytes()).writeHyper(s.txPackets()).writeHyper(s.txErrs()).writeHyper(s.txDrop());
    }, r -> new InterfaceStats(r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper(),
            r.readHyper(), r.readHyper(), r.readHyper()));

    /**
     * remote_domain_get_job_info_ret {int type; unsigned hyper timeElapsed, timeRemaining, dataTotal,
     * dataProcessed, dataRemaining, memTotal, memProcessed, memRemaining, fileTotal, fileProcessed,
     * fileRemaining}. JobInfo keeps the first six; the memory and file fields are sent as 0 (unknown).
     */
    private static final XdrType<JobInfo> JOB_INFO = XdrTypes.of((w, j) -> {
        nonNull(j, "job info");
        w.writeInt(j.type());
        w.writeHyper(j.timeElapsed()).writeHyper(j.timeRemaining());
        w.writeHyper(j.dataTotal()).writeHyper(j.dataProcessed()).writeHyper(j.dataRemaining());
        for (int i = 0; i < 6; i++) {
            w.writeHyper(0);
        }
    }, r -> {
        JobInfo j = new JobInfo(r.readInt(), r.readHyper(), r.readHyper(), r.readHyper(), r.readHyper(),
                r.readHyper());
        for (int i = 0; i < 6; i++) {
            r.readHyper();
        }
        return j;
    });

    /** remote_domain_get_job_stats_ret {int type; remote_typed_param params<REMOTE_DOMAIN_JOB_STATS_MAX>}. */
    private static final XdrType<JobStats> JOB_STATS = XdrTypes.of((w, j) -> {
        nonNull(j, "job stats");
        w.writeInt(j.type());
        XdrTypes.list(TYPED_PARAM, DOMAIN_JOB_STATS_MAX).write(w, j.params());
    }, r -> new JobStats(r.readInt(), XdrTypes.list(TYPED_PARAM, DOMAIN_JOB_STATS_MAX).read(r)));

    /** remote_domain_migrate_begin3_ret {opaque cookie_out<>; remote_nonnull_string xml}. */
    private static final XdrType<MigrationStep> BEGIN3_RET = XdrTypes.of((w, s) -> {
        nonNull(s, "migration step");
        COOKIE.write(w, s.cookie());
        STRING.write(w, s.text());
    }, r -> {
        byte[] cookie = COOKIE.read(r);
        return new MigrationStep(STRING.read(r), cookie);
    });

    /** remote_domain_migrate_prepare3_ret {opaque cookie_out<>; remote_string uri_out}. */
    private static final XdrType<MigrationStep> PREPARE3_RET = XdrTypes.of((w, s) -> {
        nonNull(s, "migration step");
        COOKIE.write(w, s.cookie());
        OPT_STRING.write(w, s.text());
    }, r -> {
        byte[] cookie = COOKIE.read(r);
        return new MigrationStep(OPT_STRING.read(r), cookie);
    });

    /**
     * remote_domain_migrate_finish3_ret {remote_nonnull_domain dom; opaque cookie_out<>}. A finish without
     * a domain (cancelled) has no wire form: libvirt's server answers it with an error, and so must ours.
     */
    private static final XdrType<MigrationFinish> FINISH3_RET = XdrTypes.of((w, f) -> {
        nonNull(f, "migration finish");
        DOMAIN.write(w, nonNull(f.domain(), "the finished domain"));
        COOKIE.write(w, f.cookie());
    }, r -> new MigrationFinish(DOMAIN.read(r), COOKIE.read(r)));

    /**
     * remote_domain_get_vcpus_ret {remote_vcpu_info info<REMOTE_VCPUINFO_MAX>; opaque
     * cpumaps<REMOTE_CPUMAPS_MAX>}, remote_vcpu_info {unsigned int number; int state; unsigned hyper
     * cpu_time; int cpu}. The maps are {@code maplen} bytes apart, {@code maplen} being the call's; written
     * for the vCPUs returned (libvirt's client accepts up to maxinfo * maplen bytes and zeroes the rest).
     * Without the call's arguments, the writer takes the fewest bytes that hold every map and the reader
     * takes the map length as the bytes divided by the vCPUs.
     */
    private static final ProcedureCodec.Ret VCPUS_RET = new ProcedureCodec.Ret() {
        @Override
        public void write(XdrWriter w, Object value) {
            int maplen = 0;
            for (VcpuInfo v : vcpus(value)) {
                maplen = Math.max(maplen, (v.affinity().length() + 7) / 8);
            }
            write(w, value, maplen);
        }

        @Override
        public void write(XdrWriter w, Object[] spiArgs, Object value) {
            write(w, value, Math.max(0, (Integer) spiArgs[2]));
        }

        private List<VcpuInfo> vcpus(Object value) {
            @SuppressWarnings("unchecked")
            List<VcpuInfo> list = (List<VcpuInfo>) nonNull(value, "vCPU list");
            if (list.size() > VCPUINFO_MAX) {
                throw new XdrException(list.size() + " vCPUs exceed the limit of " + VCPUINFO_MAX);
            }
            return list;
        }

        private void write(XdrWriter w, Object value, int maplen) {
            List<VcpuInfo> list = vcpus(value);
            if ((long) maplen * list.size() > CPUMAPS_MAX) {
                throw new XdrException("vCPU maps of " + ((long) maplen * list.size())
                        + " bytes exceed the limit of " + CPUMAPS_MAX);
            }
            w.writeInt(list.size());
            byte[] maps = new byte[maplen * list.size()];
            for (int i = 0; i < list.size(); i++) {
                VcpuInfo v = list.get(i);
                w.writeInt(v.number());
                w.writeInt(v.state());
                w.writeHyper(v.cpuTimeNs());
                w.writeInt(v.cpu());
                byte[] map = XdrTypes.bitmapBytes(v.affinity(), maplen);
                System.arraycopy(map, 0, maps, i * maplen, maplen);
            }
            w.writeOpaque(maps);
        }

        @Override
        public Object read(XdrReader r) {
            return read(r, -1);
        }

        @Override
        public Object read(XdrReader r, Object[] spiArgs) {
            return read(r, Math.max(0, (Integer) spiArgs[2]));
        }

        private Object read(XdrReader r, int maplen) {
            int n = r.readLength(VCPUINFO_MAX);
            if (n > r.remaining() / 20) {
                throw new XdrException("truncated XDR data: " + n + " vCPUs declared, " + r.remaining() + " bytes left");
            }
            int[] number = new int[n];
            int[] state = new int[n];
            long[] cpuTime = new long[n];
            int[] cpu = new int[n];
            for (int i = 0; i < n; i++) {
                number[i] = r.readInt();
                state[i] = r.readInt();
                cpuTime[i] = r.readHyper();
                cpu[i] = r.readInt();
            }
            byte[] maps = r.readOpaque(CPUMAPS_MAX);
            long stride = maplen >= 0 ? maplen : n == 0 ? 0 : maps.length / n;
            List<VcpuInfo> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int from = (int) Math.min(maps.length, i * stride);
                int to = (int) Math.min(maps.length, from + stride);
                out.add(new VcpuInfo(number[i], state[i], cpuTime[i], cpu[i],
                        BitSet.valueOf(Arrays.copyOfRange(maps, from, to))));
            }
            return out;
        }
    };

    /** Last: every wire struct above is in place when the table is built. */
    private static final Map<Procedure, ProcedureCodec> CODECS = build();
}
