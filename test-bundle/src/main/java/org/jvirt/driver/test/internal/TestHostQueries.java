package org.jvirt.driver.test.internal;

import static org.jvirt.spi.Procedure.checkFlags;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.NodeStat;
import org.jvirt.api.VirtException;
import org.jvirt.spi.NodeStats;

/**
 * What libvirt 9.0's test driver tells about its host: sysinfo, the NUMA cells' free memory, CPU counters
 * and CPU models, with the test driver's fixed values.
 */
final class TestHostQueries {
    /** testConnectGetSysinfo's text. */
    static final String SYSINFO = """
            <sysinfo type='smbios'>
              <bios>
                <entry name='vendor'>LENOVO</entry>
                <entry name='version'>G4ETA1WW (2.61 )</entry>
                <entry name='date'>05/07/2014</entry>
                <entry name='release'>2.61</entry>
              </bios>
            </sysinfo>
            """;

    /** testNodeGetCPUStats's counters, in nanoseconds, whatever the CPU. */
    private static final List<NodeStat> CPU_STATS = List.of(new NodeStat("user", 9797400000L),
            new NodeStat("kernel", 34678723400000L), new NodeStat("idle", 87264900000L),
            new NodeStat("iowait", 763600000L));

    private final TestHost host;

    TestHostQueries(TestHost host) {
        this.host = host;
    }

    String getSysinfo(int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testConnectGetSysinfo");
        return SYSINFO;
    }

    long[] cellsFreeMemory(int startCell, int maxCells) {
        synchronized (host) {
            long[] cells = host.cellMemoryBytes;
            if (startCell >= cells.length) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST, "Range exceeds available cells");
            }
            int n = Math.max(0, Math.min(cells.length - startCell, maxCells));
            return Arrays.copyOfRange(cells, startCell, startCell + n);
        }
    }

    NodeStats cpuStats(int cpuNum, int nparams, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testNodeGetCPUStats");
        if (nparams == 0) {
            return NodeStats.count(CPU_STATS.size());
        }
        return NodeStats.of(new ArrayList<>(CPU_STATS.subList(0, Math.max(0, Math.min(nparams, CPU_STATS.size())))));
    }

    List<String> cpuModelNames(String arch, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testConnectGetCPUModelNames");
        return TestCpuModels.get().models(arch);
    }
}
