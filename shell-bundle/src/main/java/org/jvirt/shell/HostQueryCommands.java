package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.HOST;

import java.util.List;
import java.util.Locale;

import org.jvirt.api.Connect;
import org.jvirt.api.NodeStat;
import org.jvirt.api.VirtException;
import org.jvirt.xml.CapabilitiesDef;

/** What the host tells: sysinfo, freecell, nodecpustats, nodememstats, cpu-models (virsh-host.c), as virsh 9.0 prints it. */
final class HostQueryCommands {
    /** virsh's CPU counters, in its order, and how nodecpustats labels them. */
    private static final String[][] CPU_FIELDS = {
        {"user", "user:"}, {"kernel", "system:"}, {"idle", "idle:"}, {"iowait", "iowait:"}, {"intr", "intr:"},
    };

    private HostQueryCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("sysinfo", HOST, "print the hypervisor sysinfo",
                "output an XML string for the hypervisor sysinfo, if available", HANDLER));
        c.add(CommandDef.of("freecell", HOST, "NUMA free memory", "display available free memory for the NUMA cell.",
                HANDLER, Opt.integer("cellno", "NUMA cell number"),
                Opt.bool("all", "show free memory for all NUMA cells")));
        c.add(CommandDef.of("nodecpustats", HOST, "Prints cpu stats of the node.",
                "Returns cpu stats of the node, in nanoseconds.", HANDLER,
                Opt.integer("cpu", "prints specified cpu statistics only.")));
        c.add(CommandDef.of("nodememstats", HOST, "Prints memory stats of the node.",
                "Returns memory stats of the node, in kilobytes.", HANDLER,
                Opt.integer("cell", "prints specified cell statistics only.")));
        c.add(CommandDef.of("cpu-models", HOST, "CPU models", "Get the CPU models for an arch.", HANDLER,
                Opt.data("arch", "architecture")));
    }

    private static boolean sysinfo(Session s) {
        String text;
        try {
            text = s.conn().getSysinfo();
        } catch (VirtException e) {
            throw Session.fail(e, "failed to get sysinfo");
        }
        s.print(text);
        return true;
    }

    private static boolean freecell(Session s, Invocation cmd) {
        DomainCommands.exclusive(cmd, "all", "cellno");
        Connect conn = s.conn();
        if (!cmd.bool("all")) {
            if (cmd.has("cellno")) {
                int cell = cmd.integer("cellno", 0);
                long[] free = conn.getCellsFreeMemory(cell, 1);
                s.printf("%d: %s KiB\n", cell, Long.toUnsignedString(free[0] / 1024));
                return true;
            }
            s.printf("%s: %s KiB\n", "Total", Long.toUnsignedString(conn.getFreeMemory() / 1024));
            return true;
        }
        CapabilitiesDef caps;
        try {
            caps = conn.getCapabilitiesDef();
        } catch (VirtException e) {
            throw Session.fail(e, "unable to get node capabilities");
        }
        List<CapabilitiesDef.Cell> cells = caps.getHost().getCells();
        long[] free = new long[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            int id = cells.get(i).getId();
            try {
                free[i] = conn.getCellsFreeMemory(id, 1)[0];
            } catch (VirtException e) {
                throw Session.fail(e, "failed to get free memory for NUMA node number: %d", id);
            }
        }
        long total = 0;
        for (int i = 0; i < cells.size(); i++) {
            s.printf("%5d: %10s KiB\n", cells.get(i).getId(), Long.toUnsignedString(free[i] / 1024));
            total += free[i];
        }
        s.printExtra("--------------------\n");
        s.printfExtra("%5s: %10s KiB\n", "Total", Long.toUnsignedString(total / 1024));
        return true;
    }

    private static boolean nodecpustats(Session s, Invocation cmd) {
        int cpu = cmd.integer("cpu", NodeStat.ALL);
        List<NodeStat> stats;
        try {
            stats = s.conn().nodeCPUStats(cpu);
        } catch (VirtException e) {
            throw Session.fail(e, "Unable to get number of cpu stats");
        }
        for (String[] field : CPU_FIELDS) {
            for (NodeStat st : stats) {
                if (st.field().equals(field[0])) {
                    s.print(String.format(Locale.ROOT, "%-15s %20s\n", field[1], Long.toUnsignedString(st.value())));
                    break;
                }
            }
        }
        return true;
    }

    private static boolean nodememstats(Session s, Invocation cmd) {
        int cell = cmd.integer("cell", NodeStat.ALL);
        List<NodeStat> stats;
        try {
            stats = s.conn().nodeMemoryStats(cell);
        } catch (VirtException e) {
            throw Session.fail(e, "Unable to get number of memory stats");
        }
        for (NodeStat st : stats) {
            s.print(String.format(Locale.ROOT, "%-7s: %20s KiB\n", st.field(), Long.toUnsignedString(st.value())));
        }
        return true;
    }

    private static boolean cpuModels(Session s, Invocation cmd) {
        List<String> models;
        try {
            models = s.conn().getCPUModelNames(cmd.string("arch"));
        } catch (VirtException e) {
            throw Session.fail(e, "failed to get CPU model names");
        }
        if (models.isEmpty()) {
            s.printExtra("all CPU models are accepted\n");
        }
        for (String m : models) {
            s.print(m + "\n");
        }
        return true;
    }

    /** One handler for the group, dispatching by name. */
    static final CommandDef.Handler HANDLER = new CommandDef.Handler() {
        @Override
        public boolean run(Session s, Invocation cmd) {
            return switch (cmd.def().name()) {
                case "sysinfo" -> sysinfo(s);
                case "freecell" -> freecell(s, cmd);
                case "nodecpustats" -> nodecpustats(s, cmd);
                case "nodememstats" -> nodememstats(s, cmd);
                case "cpu-models" -> cpuModels(s, cmd);
                default -> throw new IllegalStateException("no handler for " + cmd.def().name());
            };
        }
    };
}
