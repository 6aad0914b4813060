package org.jvirt.core.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.Flag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;

/**
 * The front end's pinning calls: the vCPUs' and the emulator's CPU affinity, asked as virsh asks (maps as
 * wide as the host's CPUs), with libvirt's public API checks. {@link DomainImpl} delegates to it.
 */
final class DomainPinningCalls {
    private final ConnectImpl connect;

    DomainPinningCalls(ConnectImpl connect) {
        this.connect = connect;
    }

    List<BitSet> getVcpuPinInfo(DomainRef ref, Set<ModifyFlag> flags) {
        ConnectImpl.requireNonNull(flags, "flags", "virDomainGetVcpuPinInfo");
        DriverConnection c = connect.enter();
        int mask = Flag.mask(flags);
        int maplen = (hostCpus(c) + 7) / 8;
        int ncpumaps = c.domainGetVcpusFlags(ref, mask | VcpuFlag.MAXIMUM.bit());
        if (ncpumaps <= 0) {
            throw invalidArg("ncpumaps in virDomainGetVcpuPinInfo must be greater than zero");
        }
        DomainRuntimeCalls.exclusive(mask, ModifyFlag.LIVE.bit(), "VIR_DOMAIN_AFFECT_LIVE", ModifyFlag.CONFIG.bit(),
                "VIR_DOMAIN_AFFECT_CONFIG");
        List<BitSet> maps = new ArrayList<>();
        for (BitSet map : c.domainGetVcpuPinInfo(ref, ncpumaps, maplen, mask)) {
            maps.add(cut(map, maplen));
        }
        return List.copyOf(maps);
    }

    void pinEmulator(DomainRef ref, BitSet cpus, Set<ModifyFlag> flags) {
        DriverConnection c = connect.enterMutating("virDomainPinEmulator");
        ConnectImpl.requireNonNull(cpus, "cpumap", "virDomainPinEmulator");
        ConnectImpl.requireNonNull(flags, "flags", "virDomainPinEmulator");
        c.domainPinEmulator(ref, (BitSet) cpus.clone(), Flag.mask(flags));
    }

    BitSet getEmulatorPinInfo(DomainRef ref, Set<ModifyFlag> flags) {
        ConnectImpl.requireNonNull(flags, "flags", "virDomainGetEmulatorPinInfo");
        DriverConnection c = connect.enter();
        int mask = Flag.mask(flags);
        int maplen = (hostCpus(c) + 7) / 8;
        DomainRuntimeCalls.exclusive(mask, ModifyFlag.LIVE.bit(), "VIR_DOMAIN_AFFECT_LIVE", ModifyFlag.CONFIG.bit(),
                "VIR_DOMAIN_AFFECT_CONFIG");
        BitSet map = c.domainGetEmulatorPinInfo(ref, maplen, mask);
        return map == null ? null : cut(map, maplen);
    }

    /** As virsh's virshNodeGetCPUCount: the CPU map's width, else what the node info multiplies to. */
    private static int hostCpus(DriverConnection c) {
        try {
            return c.nodeGetCPUMap(0).cpus();
        } catch (VirtException e) {
            org.jvirt.api.NodeInfo n = c.nodeGetInfo();
            return n.nodes() * n.sockets() * n.cores() * n.threads();
        }
    }

    private static BitSet cut(BitSet map, int maplen) {
        BitSet b = (BitSet) map.clone();
        if (b.length() > maplen * 8) {
            b.clear(maplen * 8, b.length());
        }
        return b;
    }

    private static VirtException invalidArg(String message) {
        return new VirtException(new VirtError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, message));
    }
}
