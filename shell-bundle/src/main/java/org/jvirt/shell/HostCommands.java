package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.HOST;

import org.jvirt.api.Connect;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.VirtException;

/** Host and hypervisor commands (virsh-host.c). */
final class HostCommands {

    private HostCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("capabilities", HOST, "capabilities", "Returns capabilities of hypervisor/driver.", HANDLER));
        c.add(CommandDef.of("hostname", HOST, "print the hypervisor hostname", "", HANDLER));
        c.add(CommandDef.of("nodeinfo", HOST, "node information", "Returns basic information about the node.", HANDLER));
        c.add(CommandDef.of("uri", HOST, "print the hypervisor canonical URI", "", HANDLER));
        c.add(CommandDef.of("version", HOST, "show version", "Display the system version information.", HANDLER, Opt.bool("daemon", "report daemon version too")));
    }

    private static boolean nodeinfo(Session s, Invocation cmd) {
        NodeInfo info;
        try {
            info = s.conn().nodeInfo();
        } catch (VirtException e) {
            throw Session.fail(e, "failed to get node information");
        }
        s.printf("%-20s %s\n", "CPU model:", info.model());
        s.printf("%-20s %d\n", "CPU(s):", info.cpus());
        if (info.mhz() != 0) {
            s.printf("%-20s %d MHz\n", "CPU frequency:", info.mhz());
        }
        s.printf("%-20s %d\n", "CPU socket(s):", info.sockets());
        s.printf("%-20s %d\n", "Core(s) per socket:", info.cores());
        s.printf("%-20s %d\n", "Thread(s) per core:", info.threads());
        s.printf("%-20s %d\n", "NUMA cell(s):", info.nodes());
        s.printf("%-20s %s KiB\n", "Memory size:", Long.toUnsignedString(info.memoryKiB()));
        return true;
    }

    static String versionText(long v) {
        return (v / 1_000_000) + "." + (v % 1_000_000 / 1000) + "." + (v % 1000);
    }

    private static boolean version(Session s, Invocation cmd) {
        Connect conn = s.conn();
        String type;
        try {
            type = conn.getType();
        } catch (VirtException e) {
            throw Session.fail(e, "failed to get hypervisor type");
        }
        long lib = Connect.libraryVersion();
        s.print("Compiled against library: libvirt " + versionText(lib) + "\n");
        s.print("Using library: libvirt " + versionText(lib) + "\n");
        s.print("Using API: " + type + " " + versionText(lib) + "\n");
        long hv;
        try {
            hv = conn.getVersion();
        } catch (VirtException e) {
            throw Session.fail(e, "failed to get the hypervisor version");
        }
        if (hv == 0) {
            s.print("Cannot extract running " + type + " hypervisor version\n");
        } else {
            s.print("Running hypervisor: " + type + " " + versionText(hv) + "\n");
        }
        if (cmd.bool("daemon")) {
            try {
                s.print("Running against daemon: " + versionText(conn.getLibVersion()) + "\n");
            } catch (VirtException e) {
                s.error("failed to get the daemon version");
            }
        }
        return true;
    }

    /** One handler for the group, dispatching by name: no lambda is linked before its command runs. */
    static final CommandDef.Handler HANDLER = new CommandDef.Handler() {
        @Override
        public boolean run(Session s, Invocation cmd) {
            return dispatch(s, cmd);
        }
    };

    private static boolean dispatch(Session s, Invocation cmd) {
        switch (cmd.def().name()) {
            case "capabilities": {
                String caps;
                try {
                    caps = s.conn().getCapabilities();
                } catch (VirtException e) {
                    throw Session.fail(e, "failed to get capabilities");
                }
                s.print(caps + "\n");
                return true;
            }
            case "hostname": {
                String h;
                try {
                    h = s.conn().getHostname();
                } catch (VirtException e) {
                    throw Session.fail(e, "failed to get hostname");
                }
                s.print(h + "\n");
                return true;
            }
            case "nodeinfo": {
                return nodeinfo(s, cmd);
            }
            case "uri": {
                String u;
                try {
                    u = s.conn().getURI();
                } catch (VirtException e) {
                    throw Session.fail(e, "failed to get URI");
                }
                s.print(u + "\n");
                return true;
            }
            case "version": {
                return version(s, cmd);
            }
            default:
                throw new IllegalStateException("no handler for " + cmd.def().name());
        }
    }
}
