package org.jvirt.driver.test.internal;

import static org.jvirt.spi.Procedure.checkFlags;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.api.BlockInfo;
import org.jvirt.api.ControlInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainTime;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.MemoryStat;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;

/**
 * What libvirt 9.0's test driver tells about a domain's runtime: vCPU counts, memory and block statistics,
 * the control interface, the guest's clock and hostname. Its numbers are the test driver's fixed ones.
 */
final class TestDomainRuntime {
    /** The clock every test domain's guest reports (testDomainObjPrivateAlloc's seconds), and its balloon's last update. */
    static final long GUEST_SECONDS = 627319920L;
    /** The sizes testDomainGetBlockInfo gives every disk that has a source. */
    private static final BlockInfo DISK_SIZES = new BlockInfo(1099506450432L, 1099511627776L, 1099511627776L);

    private final TestHost host;

    TestDomainRuntime(TestHost host) {
        this.host = host;
    }

    int getVcpusFlags(DomainRef dom, int flags) {
        checkFlags(flags, VcpuFlag.LIVE.bit() | VcpuFlag.CONFIG.bit() | VcpuFlag.MAXIMUM.bit(), ErrorDomain.TEST,
                "testDomainGetVcpusFlags");
        synchronized (host) {
            TestDomain d = host.domains.get(dom);
            DomainList.Impact impact = DomainList.modificationImpact(d, flags);
            DomainDef def = impact.live() ? d.live : d.persistent;
            if ((flags & VcpuFlag.MAXIMUM.bit()) != 0) {
                return def.getVcpus();
            }
            return def.getCurrentVcpus() > 0 ? def.getCurrentVcpus() : def.getVcpus();
        }
    }

    List<MemoryStat> memoryStats(DomainRef dom, int nrStats, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainMemoryStats");
        synchronized (host) {
            TestDomain d = DomainList.checkActive(host.domains.get(dom));
            List<MemoryStat> out = new ArrayList<>();
            boolean balloon = d.live.getMemballoon() != null && !"none".equals(d.live.getMemballoon().getModel());
            if (!balloon) {
                return out;
            }
            long cur = d.live.getCurrentMemoryKiB() > 0 ? d.live.getCurrentMemoryKiB() : d.live.getMemoryKiB();
            long[][] stats = {
                {MemoryStat.ACTUAL_BALLOON, cur}, {MemoryStat.SWAP_IN, 0}, {MemoryStat.SWAP_OUT, 0},
                {MemoryStat.MAJOR_FAULT, 0}, {MemoryStat.MINOR_FAULT, 0}, {MemoryStat.UNUSED, cur / 2},
                {MemoryStat.AVAILABLE, cur}, {MemoryStat.USABLE, cur / 2}, {MemoryStat.LAST_UPDATE, GUEST_SECONDS},
                {MemoryStat.DISK_CACHES, cur / 8}, {MemoryStat.HUGETLB_PGALLOC, 0}, {MemoryStat.HUGETLB_PGFAIL, 0},
                {MemoryStat.RSS, cur / 2},
            };
            for (long[] s : stats) {
                if (Integer.compareUnsigned(out.size(), nrStats) < 0) {
                    out.add(new MemoryStat((int) s[0], s[1]));
                }
            }
            return out;
        }
    }

    BlockInfo getBlockInfo(DomainRef dom, String path, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainGetBlockInfo");
        synchronized (host) {
            DomainDef def = host.domains.get(dom).current();
            DiskDef disk = null;
            for (DiskDef candidate : def.getDisks()) {
                if (path.equals(candidate.getTargetDev()) || path.equals(candidate.getSourcePath())) {
                    disk = candidate;
                    break;
                }
            }
            if (disk == null) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "invalid path " + path + " not assigned to domain");
            }
            if (disk.getSourcePath() == null && disk.getSourceNode() == null) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "disk '" + path + "' does not currently have a source assigned");
            }
            return DISK_SIZES;
        }
    }

    /** The test driver's guest clock never leaves its first value, so its control interface is always ok. */
    ControlInfo getControlInfo(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainGetControlInfo");
        synchronized (host) {
            DomainList.checkActive(host.domains.get(dom));
            return new ControlInfo(ControlInfo.OK, 0, 0);
        }
    }

    DomainTime getTime(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainGetTime");
        synchronized (host) {
            if (host.domains.get(dom).state != DomainState.RUNNING) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "domain is not running");
            }
            return new DomainTime(GUEST_SECONDS, 0);
        }
    }

    String getHostname(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainGetHostname");
        synchronized (host) {
            DomainList.checkActive(host.domains.get(dom));
            return dom.name() + "host";
        }
    }
}
