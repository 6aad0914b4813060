package org.jvirt.core.internal;

import java.util.List;
import java.util.Set;

import org.jvirt.api.BlockInfo;
import org.jvirt.api.ControlInfo;
import org.jvirt.api.DomainTime;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.Flag;
import org.jvirt.api.MemoryStat;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;

/**
 * The front end's checks for the calls that ask about a running domain (vCPU counts, statistics, what the
 * guest reports), as libvirt's public API makes them before it calls the driver. {@link DomainImpl}
 * delegates to it; errors are reported by the caller.
 */
final class DomainRuntimeCalls {
    private final ConnectImpl connect;

    DomainRuntimeCalls(ConnectImpl connect) {
        this.connect = connect;
    }

    int getVcpusFlags(DomainRef ref, Set<VcpuFlag> flags) {
        ConnectImpl.requireNonNull(flags, "flags", "virDomainGetVcpusFlags");
        int mask = Flag.mask(flags);
        DriverConnection c = (mask & VcpuFlag.GUEST.bit()) != 0 ? connect.enterMutating("virDomainGetVcpusFlags")
                : connect.enter();
        exclusive(mask, VcpuFlag.LIVE.bit(), "VIR_DOMAIN_AFFECT_LIVE", VcpuFlag.CONFIG.bit(),
                "VIR_DOMAIN_AFFECT_CONFIG");
        return c.domainGetVcpusFlags(ref, mask);
    }

    List<MemoryStat> memoryStats(DomainRef ref) {
        return List.copyOf(connect.enter().domainMemoryStats(ref, MemoryStat.NR, 0));
    }

    BlockInfo getBlockInfo(DomainRef ref, String disk) {
        DriverConnection c = connect.enter();
        if (disk == null || disk.isEmpty()) {
            throw new VirtException(new VirtError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN,
                    (disk == null ? "disk in virDomainGetBlockInfo must not be NULL"
                            : "string disk in virDomainGetBlockInfo must not be empty")));
        }
        return c.domainGetBlockInfo(ref, disk, 0);
    }

    ControlInfo getControlInfo(DomainRef ref) {
        return connect.enter().domainGetControlInfo(ref, 0);
    }

    DomainTime getTime(DomainRef ref) {
        return connect.enterMutating("virDomainGetTime").domainGetTime(ref, 0);
    }

    String getHostname(DomainRef ref) {
        return connect.enterMutating("virDomainGetHostname").domainGetHostname(ref, 0);
    }

    /** libvirt's VIR_EXCLUSIVE_FLAGS check: INVALID_ARG naming both flags by their C names. */
    static void exclusive(int flags, int a, String aName, int b, String bName) {
        if ((flags & a) != 0 && (flags & b) != 0) {
            throw new VirtException(new VirtError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN,
                    "Flags '" + aName + "' and '" + bName + "' are mutually exclusive"));
        }
    }
}
