package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.DOMAIN;
import static org.jvirt.shell.CommandDef.Group.MONITOR;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jvirt.api.BlockInfo;
import org.jvirt.api.ControlInfo;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainTime;
import org.jvirt.api.MemoryStat;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VirtException;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainXml;

/**
 * What a running domain tells: vcpucount, dommemstat, domblkinfo, domcontrol, domtime, domhostname
 * (virsh-domain.c and virsh-domain-monitor.c), printed as virsh 9.0 prints them.
 */
final class DomainRuntimeCommands {
    private static final Opt DOMAIN_OPT = DomainCommands.DOMAIN_OPT;
    /** virsh's names of the memory statistics, in the order cmdDomMemStat tests them for each statistic. */
    private static final String[] MEMORY_STAT_NAMES = new String[MemoryStat.NR];

    static {
        MEMORY_STAT_NAMES[MemoryStat.SWAP_IN] = "swap_in";
        MEMORY_STAT_NAMES[MemoryStat.SWAP_OUT] = "swap_out";
        MEMORY_STAT_NAMES[MemoryStat.MAJOR_FAULT] = "major_fault";
        MEMORY_STAT_NAMES[MemoryStat.MINOR_FAULT] = "minor_fault";
        MEMORY_STAT_NAMES[MemoryStat.UNUSED] = "unused";
        MEMORY_STAT_NAMES[MemoryStat.AVAILABLE] = "available";
        MEMORY_STAT_NAMES[MemoryStat.USABLE] = "usable";
        MEMORY_STAT_NAMES[MemoryStat.ACTUAL_BALLOON] = "actual";
        MEMORY_STAT_NAMES[MemoryStat.RSS] = "rss";
        MEMORY_STAT_NAMES[MemoryStat.LAST_UPDATE] = "last_update";
        MEMORY_STAT_NAMES[MemoryStat.DISK_CACHES] = "disk_caches";
        MEMORY_STAT_NAMES[MemoryStat.HUGETLB_PGALLOC] = "hugetlb_pgalloc";
        MEMORY_STAT_NAMES[MemoryStat.HUGETLB_PGFAIL] = "hugetlb_pgfail";
    }

    private static final String[] CONTROL_STATES = {"ok", "background job", "occupied", "error"};
    private static final String[] CONTROL_ERROR_REASONS = {"", "unknown", "monitor failure", "internal (locking) error"};

    private DomainRuntimeCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("vcpucount", DOMAIN, "domain vcpu counts",
                "Returns the number of virtual CPUs used by the domain.", HANDLER,
                DOMAIN_OPT, Opt.bool("maximum", "get maximum count of vcpus"),
                Opt.bool("active", "get number of currently active vcpus"),
                DomainCommands.LIVE, DomainCommands.CONFIG, DomainCommands.CURRENT,
                Opt.bool("guest", "retrieve vcpu count from the guest instead of the hypervisor")));
        c.add(CommandDef.of("dommemstat", MONITOR, "get memory statistics for a domain",
                "Get memory statistics for a running domain.", HANDLER,
                DOMAIN_OPT, DomainCommands.CONFIG, DomainCommands.LIVE, DomainCommands.CURRENT));
        c.add(CommandDef.of("domblkinfo", MONITOR, "domain block device size information",
                "Get block device size info for a domain.", HANDLER,
                DOMAIN_OPT, Opt.string("device", "block device"), Opt.bool("human", "Human readable output"),
                Opt.bool("all", "display all block devices info")));
        c.add(CommandDef.of("domcontrol", MONITOR, "domain control interface state",
                "Returns state of a control interface to the domain.", HANDLER, DOMAIN_OPT));
        c.add(CommandDef.of("domtime", MONITOR, "domain time", "Gets or sets the domain's system time", HANDLER,
                DOMAIN_OPT, Opt.bool("pretty", "print domain's time in human readable form")));
        c.add(CommandDef.of("domhostname", DOMAIN, "print the domain's hostname", "", HANDLER,
                DOMAIN_OPT, Opt.string("source", "address source: 'lease' or 'agent'")));
    }

    // ---- vcpucount -------------------------------------------------------------------------------------

    private static boolean vcpucount(Session s, Invocation cmd) {
        boolean maximum = cmd.bool("maximum");
        boolean active = cmd.bool("active");
        boolean config = cmd.bool("config");
        boolean live = cmd.bool("live");
        boolean current = cmd.bool("current");
        boolean guest = cmd.bool("guest");
        boolean all = !(maximum || active || current || config || live || guest);
        if (!maximum && !active && current) {
            current = false; // before 0.9.4, --current meant the opposite of --maximum
        }
        exclusive(live, "live", config, "config");
        exclusive(current, "current", live, "live");
        exclusive(current, "current", config, "config");
        exclusive(active, "active", maximum, "maximum");
        exclusive(guest, "guest", config, "config");
        Set<VcpuFlag> flags = EnumSet.noneOf(VcpuFlag.class);
        if (live) {
            flags.add(VcpuFlag.LIVE);
        }
        if (config) {
            flags.add(VcpuFlag.CONFIG);
        }
        if (maximum) {
            flags.add(VcpuFlag.MAXIMUM);
        }
        if (guest) {
            flags.add(VcpuFlag.GUEST);
        }
        Domain dom = s.domain(cmd);
        if (!all) {
            s.printf("%d\n", dom.getVcpuCount(flags));
            return true;
        }
        int confMax = countIfApplies(dom, EnumSet.of(VcpuFlag.CONFIG, VcpuFlag.MAXIMUM));
        int confCur = countIfApplies(dom, EnumSet.of(VcpuFlag.CONFIG));
        int liveMax = countIfApplies(dom, EnumSet.of(VcpuFlag.LIVE, VcpuFlag.MAXIMUM));
        int liveCur = countIfApplies(dom, EnumSet.of(VcpuFlag.LIVE));
        printCount(s, confMax, "maximum", "config");
        printCount(s, liveMax, "maximum", "live");
        printCount(s, confCur, "current", "config");
        printCount(s, liveCur, "current", "live");
        return true;
    }

    /** A count, or -1 when the domain has no such definition (not running, or not persistent), as virsh skips it. */
    private static int countIfApplies(Domain dom, Set<VcpuFlag> flags) {
        if (flags.contains(VcpuFlag.LIVE) && !dom.isActive() || flags.contains(VcpuFlag.CONFIG) && !dom.isPersistent()) {
            return -1;
        }
        return dom.getVcpuCount(flags);
    }

    private static void printCount(Session s, int count, String which, String state) {
        if (count > 0) {
            s.printf("%-12s %-12s %3d\n", which, state, count);
        }
    }

    private static void exclusive(boolean a, String aName, boolean b, String bName) {
        if (a && b) {
            throw Session.fail("Options --%s and --%s are mutually exclusive", aName, bName);
        }
    }

    // ---- dommemstat, domblkinfo, domcontrol, domtime, domhostname -------------------------------------

    private static boolean dommemstat(Session s, Invocation cmd) {
        DomainCommands.exclusive(cmd, "current", "live");
        DomainCommands.exclusive(cmd, "current", "config");
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        List<MemoryStat> stats;
        try {
            stats = dom.memoryStats();
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to get memory statistics for domain %s", name);
        }
        for (MemoryStat st : stats) {
            if (st.tag() >= 0 && st.tag() < MEMORY_STAT_NAMES.length) {
                s.print(MEMORY_STAT_NAMES[st.tag()] + " " + Long.toUnsignedString(st.value()) + "\n");
            }
        }
        return true;
    }

    private static boolean domblkinfo(Session s, Invocation cmd) {
        DomainCommands.exclusive(cmd, "all", "device");
        Domain dom = s.domain(cmd);
        boolean all = cmd.bool("all");
        String device = cmd.string("device");
        if (!all && (device == null || device.isEmpty())) {
            throw Session.fail("command 'domblkinfo' requires <device> option");
        }
        boolean human = cmd.bool("human");
        if (!all) {
            String[] cells = sizes(dom.getBlockInfo(device), human);
            s.printf("%-15s %s\n", "Capacity:", cells[0]);
            s.printf("%-15s %s\n", "Allocation:", cells[1]);
            s.printf("%-15s %s\n", "Physical:", cells[2]);
            return true;
        }
        Table t = new Table("Target", "Capacity", "Allocation", "Physical");
        for (DiskDef disk : DomainXml.parse(dom.getXMLDesc()).getDisks()) {
            boolean hasSource = disk.getSourcePath() != null || disk.getSourceNode() != null;
            BlockInfo info = hasSource ? dom.getBlockInfo(disk.getTargetDev()) : new BlockInfo(0, 0, 0);
            String[] cells = sizes(info, human);
            t.add(disk.getTargetDev(), cells[0], cells[1], cells[2]);
        }
        t.print(s);
        return true;
    }

    /** virsh's cmdDomblkinfoGet: "-" for a disk with no sizes, bytes, or --human's "%.3lf unit". */
    private static String[] sizes(BlockInfo info, boolean human) {
        long[] v = {info.capacity(), info.allocation(), info.physical()};
        String[] out = new String[3];
        for (int i = 0; i < 3; i++) {
            if (v[0] == 0 && v[1] == 0 && v[2] == 0) {
                out[i] = "-";
            } else {
                out[i] = human ? prettyCapacity(v[i]) : Long.toUnsignedString(v[i]);
            }
        }
        return out;
    }

    /** virsh's vshPrettyCapacity, printed with three decimals. */
    static String prettyCapacity(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes < 0 ? bytes + 0x1p64 : bytes; // an unsigned long long
        int u = 0;
        double limit = 1024;
        while (u < units.length - 1 && value >= limit) {
            limit *= 1024;
            u++;
        }
        double shown = u == 0 ? value : value / (limit / 1024);
        return String.format(Locale.ROOT, "%.3f %s", shown, units[u]);
    }

    private static boolean domcontrol(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        ControlInfo info = dom.getControlInfo();
        String state = info.state() >= 0 && info.state() < CONTROL_STATES.length ? CONTROL_STATES[info.state()]
                : "unknown";
        if (info.state() != ControlInfo.OK && info.state() != ControlInfo.ERROR) {
            s.print(String.format(Locale.ROOT, "%s (%.3fs)\n", state, info.stateTimeMs() / 1000.0));
        } else if (info.state() == ControlInfo.ERROR && info.details() > 0) {
            String reason = info.details() < CONTROL_ERROR_REASONS.length ? CONTROL_ERROR_REASONS[info.details()]
                    : "unknown";
            s.print(state + ": " + reason + "\n");
        } else {
            s.print(state + "\n");
        }
        return true;
    }

    private static boolean domtime(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        DomainTime t = dom.getTime();
        if (cmd.bool("pretty")) {
            s.print("Time: " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                    .format(Instant.ofEpochSecond(t.seconds()).atOffset(ZoneOffset.UTC)));
        } else {
            s.print("Time: " + t.seconds());
        }
        return true;
    }

    private static boolean domhostname(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        String source = cmd.string("source");
        if (source != null && !source.equals("agent") && !source.equals("lease")) {
            throw Session.fail("Unknown data source '%s'", source);
        }
        if (source != null) {
            // jvirt's API asks the driver's default source; a named one is not in the API yet
            throw Session.fail("jvirsh: --source is not supported by domhostname yet");
        }
        String hostname;
        try {
            hostname = dom.getHostname();
        } catch (VirtException e) {
            throw Session.fail(e, "failed to get hostname");
        }
        s.print(hostname + "\n");
        return true;
    }

    /** One handler for the group, dispatching by name. */
    static final CommandDef.Handler HANDLER = new CommandDef.Handler() {
        @Override
        public boolean run(Session s, Invocation cmd) {
            return switch (cmd.def().name()) {
                case "vcpucount" -> vcpucount(s, cmd);
                case "dommemstat" -> dommemstat(s, cmd);
                case "domblkinfo" -> domblkinfo(s, cmd);
                case "domcontrol" -> domcontrol(s, cmd);
                case "domtime" -> domtime(s, cmd);
                case "domhostname" -> domhostname(s, cmd);
                default -> throw new IllegalStateException("no handler for " + cmd.def().name());
            };
        }
    };
}
