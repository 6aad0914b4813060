package org.jvirt.remote.internal.rpc;

import static org.jvirt.remote.internal.rpc.ProcedureCodec.VOID;
import static org.jvirt.remote.internal.rpc.ProcedureCodec.args;
import static org.jvirt.remote.internal.rpc.XdrTypes.DOMAIN;
import static org.jvirt.remote.internal.rpc.XdrTypes.INT;
import static org.jvirt.remote.internal.rpc.XdrTypes.UINT;
import static org.jvirt.remote.internal.rpc.XdrTypes.nonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.Procedure;

/**
 * The wire form of the pinning procedures (the vCPUs' and the emulator's CPU affinity), from libvirt's
 * {@code remote_protocol.x}. Their maps are laid out {@code maplen} bytes apart, {@code maplen} being one of
 * the call's arguments; {@link RemoteProcedures} holds them with the others.
 */
final class DomainPinningProcedures {
    private DomainPinningProcedures() {
    }

    static void register(Map<Procedure, ProcedureCodec> m) {
        // remote_domain_get_vcpu_pin_info_args {dom; int ncpumaps; int maplen; flags}
        put(m, Procedure.DOMAIN_GET_VCPU_PIN_INFO, args(DOMAIN, INT, INT, UINT), VCPU_PIN_INFO_RET);
        // remote_domain_pin_emulator_args {dom; opaque cpumap<REMOTE_CPUMAP_MAX>; flags}
        put(m, Procedure.DOMAIN_PIN_EMULATOR, args(DOMAIN, XdrTypes.bitmap(RemoteProcedures.CPUMAP_MAX), UINT), VOID);
        // remote_domain_get_emulator_pin_info_args {dom; int maplen; flags}
        put(m, Procedure.DOMAIN_GET_EMULATOR_PIN_INFO, args(DOMAIN, INT, UINT), EMULATOR_PIN_INFO_RET);
    }

    /**
     * remote_domain_get_vcpu_pin_info_ret {opaque cpumaps<REMOTE_CPUMAPS_MAX>; int num}: as libvirtd sends it,
     * {@code ncpumaps * maplen} bytes of which the first {@code num} maps are filled.
     */
    private static final ProcedureCodec.Ret VCPU_PIN_INFO_RET = new ProcedureCodec.Ret() {
        @Override
        public void write(XdrWriter w, Object value) {
            List<BitSet> maps = maps(value);
            int maplen = 0;
            for (BitSet b : maps) {
                maplen = Math.max(maplen, (b.length() + 7) / 8);
            }
            write(w, maps, maps.size(), maplen);
        }

        @Override
        public void write(XdrWriter w, Object[] spiArgs, Object value) {
            write(w, maps(value), Math.max(0, (Integer) spiArgs[1]), Math.max(0, (Integer) spiArgs[2]));
        }

        private void write(XdrWriter w, List<BitSet> maps, int ncpumaps, int maplen) {
            long total = (long) Math.max(ncpumaps, maps.size()) * maplen;
            if (total > RemoteProcedures.CPUMAPS_MAX) {
                throw new XdrException("maxinfo * maplen > REMOTE_CPUMAPS_MAX");
            }
            byte[] bytes = new byte[(int) total];
            for (int i = 0; i < maps.size(); i++) {
                System.arraycopy(XdrTypes.bitmapBytes(maps.get(i), maplen), 0, bytes, i * maplen, maplen);
            }
            w.writeOpaque(bytes);
            w.writeInt(maps.size());
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
            byte[] bytes = r.readOpaque(RemoteProcedures.CPUMAPS_MAX);
            int num = r.readInt();
            if (num < 0 || num > RemoteProcedures.VCPUINFO_MAX) {
                throw new XdrException("bad number of CPU maps: " + num);
            }
            int stride = maplen >= 0 ? maplen : num == 0 ? 0 : bytes.length / num;
            if ((long) stride * num > bytes.length) {
                throw new XdrException(num + " CPU maps of " + stride + " bytes declared, " + bytes.length + " sent");
            }
            List<BitSet> out = new ArrayList<>(num);
            for (int i = 0; i < num; i++) {
                out.add(BitSet.valueOf(Arrays.copyOfRange(bytes, i * stride, (i + 1) * stride)));
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        private List<BitSet> maps(Object value) {
            return (List<BitSet>) nonNull(value, "CPU maps");
        }
    };

    /** remote_domain_get_emulator_pin_info_ret {opaque cpumaps<REMOTE_CPUMAPS_MAX>; int ret}: ret 0, no map. */
    private static final ProcedureCodec.Ret EMULATOR_PIN_INFO_RET = new ProcedureCodec.Ret() {
        @Override
        public void write(XdrWriter w, Object value) {
            BitSet map = (BitSet) value;
            write(w, map, map == null ? 0 : (map.length() + 7) / 8);
        }

        @Override
        public void write(XdrWriter w, Object[] spiArgs, Object value) {
            write(w, (BitSet) value, Math.max(0, (Integer) spiArgs[1]));
        }

        private void write(XdrWriter w, BitSet map, int maplen) {
            if (maplen > RemoteProcedures.CPUMAPS_MAX) {
                throw new XdrException("maplen > REMOTE_CPUMAPS_MAX");
            }
            w.writeOpaque(map == null ? new byte[maplen] : XdrTypes.bitmapBytes(map, maplen));
            w.writeInt(map == null ? 0 : 1);
        }

        @Override
        public Object read(XdrReader r) {
            byte[] bytes = r.readOpaque(RemoteProcedures.CPUMAPS_MAX);
            return r.readInt() == 0 ? null : BitSet.valueOf(bytes);
        }
    };

    private static void put(Map<Procedure, ProcedureCodec> m, Procedure p, ProcedureCodec.Args a,
            ProcedureCodec.Ret r) {
        m.put(p, new ProcedureCodec(p, a, r));
    }
}
