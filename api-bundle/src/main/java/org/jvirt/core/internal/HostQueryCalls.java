package org.jvirt.core.internal;

import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.NodeStat;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.NodeStats;

/**
 * The front end's checks for the calls that ask about the host (sysinfo, NUMA cells' free memory, CPU and
 * memory counters, CPU models), as libvirt's public API makes them before it calls the driver.
 * {@link ConnectImpl} delegates to it; errors are reported by the caller.
 */
final class HostQueryCalls {
    private final DriverConnection driver;

    /** @param driver the connection's driver, entered (open, not closed) */
    HostQueryCalls(DriverConnection driver) {
        this.driver = driver;
    }

    String getSysinfo() {
        return driver.connectGetSysinfo(0);
    }

    long[] getCellsFreeMemory(int startCell, int maxCells) {
        if (maxCells <= 0) {
            throw invalidArg("maxCells in virNodeGetCellsFreeMemory must be greater than zero");
        }
        if (startCell < 0) {
            throw invalidArg("startCell in virNodeGetCellsFreeMemory must be zero or greater");
        }
        long[] cells = driver.nodeGetCellsFreeMemory(startCell, maxCells);
        return cells.length > maxCells ? java.util.Arrays.copyOf(cells, maxCells) : cells;
    }

    /** As virsh asks: how many, then that many. */
    List<NodeStat> nodeCPUStats(int cpuNum) {
        if (cpuNum < 0 && cpuNum != NodeStat.ALL) {
            throw invalidArg("cpuNum in virNodeGetCPUStats only accepts -1 as a negative value");
        }
        NodeStats count = driver.nodeGetCPUStats(cpuNum, 0, 0);
        return count.nparams() <= 0 ? List.of() : driver.nodeGetCPUStats(cpuNum, count.nparams(), 0).stats();
    }

    List<NodeStat> nodeMemoryStats(int cellNum) {
        if (cellNum < 0 && cellNum != NodeStat.ALL) {
            throw invalidArg("cellNum in virNodeGetMemoryStats only accepts -1 as a negative value");
        }
        NodeStats count = driver.nodeGetMemoryStats(cellNum, 0, 0);
        return count.nparams() <= 0 ? List.of() : driver.nodeGetMemoryStats(cellNum, count.nparams(), 0).stats();
    }

    List<String> getCPUModelNames(String arch) {
        if (arch == null) {
            throw invalidArg("arch in virConnectGetCPUModelNames must not be NULL");
        }
        return List.copyOf(driver.connectGetCPUModelNames(arch, 0));
    }

    /** libvirt's virReportInvalidArg from the host calls (VIR_FROM_THIS of libvirt-host.c is DOMAIN). */
    private static VirtException invalidArg(String message) {
        return new VirtException(new VirtError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, message));
    }
}
