package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.NETWORK;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.jvirt.api.ListNetworksFlag;
import org.jvirt.api.Network;
import org.jvirt.api.VirtException;

/** Virtual network commands (virsh-network.c). */
final class NetworkCommands {

    private static final Opt NETWORK_OPT = Opt.data("network", "network name or uuid");
    private static final Opt FILE_OPT = Opt.data("file", "file containing an XML network description");

    private NetworkCommands() {
    }

    interface NetworkAction {
        void apply(Network n);
    }

    static void register(Commands c) {
        c.add(CommandDef.of("net-autostart", NETWORK, "autostart a network",
                "Configure a network to be automatically started at boot.", HANDLER,
                NETWORK_OPT, Opt.bool("disable", "disable autostarting")));
        c.add(CommandDef.of("net-create", NETWORK, "create a network from an XML file", "Create a network.", HANDLER, FILE_OPT,
                Opt.bool("validate", "validate the XML against the schema")));
        c.add(CommandDef.of("net-define", NETWORK,
                "define an inactive persistent virtual network or modify an existing persistent one from an XML file",
                "Define or modify a persistent virtual network.", HANDLER, FILE_OPT,
                Opt.bool("validate", "validate the XML against the schema")));
        c.add(CommandDef.of("net-destroy", NETWORK, "destroy (stop) a network", "Forcefully stop a given network.", HANDLER, NETWORK_OPT));
        c.add(CommandDef.of("net-dumpxml", NETWORK, "network information in XML",
                "Output the network information as an XML dump to stdout.", HANDLER, NETWORK_OPT, Opt.bool("inactive", "show inactive defined XML")));
        c.add(CommandDef.of("net-info", NETWORK, "network information",
                "Returns basic information about the network", HANDLER, NETWORK_OPT));
        c.add(CommandDef.of("net-list", NETWORK, "list networks", "Returns list of networks.", HANDLER,
                Opt.bool("inactive", "list inactive networks"),
                Opt.bool("all", "list inactive & active networks"),
                Opt.bool("persistent", "list persistent networks"),
                Opt.bool("transient", "list transient networks"),
                Opt.bool("autostart", "list networks with autostart enabled"),
                Opt.bool("no-autostart", "list networks with autostart disabled"),
                Opt.bool("uuid", "list uuid's only"),
                Opt.bool("name", "list network names only"),
                Opt.bool("table", "list table (default)")));
        c.add(CommandDef.of("net-name", NETWORK, "convert a network UUID to network name", "", HANDLER, Opt.data("network", "network uuid")));
        c.add(CommandDef.of("net-start", NETWORK, "start a (previously defined) inactive network",
                "Start a network.", HANDLER, Opt.data("network", "network name or uuid")));
        c.add(CommandDef.of("net-undefine", NETWORK, "undefine a persistent network",
                "Undefine the configuration for a persistent network.", HANDLER, NETWORK_OPT));
        c.add(CommandDef.of("net-uuid", NETWORK, "convert a network name to network UUID", "", HANDLER, Opt.data("network", "network name")));
    }

    private static boolean simple(Session s, Invocation cmd, NetworkAction action, String ok, String failed) {
        String name = cmd.string("network");
        Network net = s.network(cmd);
        try {
            action.apply(net);
        } catch (VirtException e) {
            throw Session.fail(e, failed, name);
        }
        s.printfExtra(ok, name);
        return true;
    }

    private static boolean autostart(Session s, Invocation cmd) {
        String name = cmd.string("network");
        Network net = s.network(cmd);
        boolean enable = !cmd.bool("disable");
        try {
            net.setAutostart(enable);
        } catch (VirtException e) {
            throw Session.fail(e, enable ? "failed to mark network %s as autostarted"
                    : "failed to unmark network %s as autostarted", name);
        }
        s.printfExtra(enable ? "Network %s marked as autostarted\n" : "Network %s unmarked as autostarted\n", name);
        return true;
    }

    private static boolean fromFile(Session s, Invocation cmd, boolean create) {
        String file = cmd.string("file");
        String xml = Util.readFile(file);
        Network net;
        try {
            int flags = cmd.bool("validate") ? 1 : 0; // VIR_NETWORK_{CREATE,DEFINE}_VALIDATE
            net = create ? s.conn().networkCreateXML(xml, flags) : s.conn().networkDefineXML(xml, flags);
        } catch (VirtException e) {
            throw Session.fail(e, create ? "Failed to create network from %s" : "Failed to define network from %s",
                    file);
        }
        s.printfExtra(create ? "Network %s created from %s\n" : "Network %s defined from %s\n", net.getName(), file);
        return true;
    }

    private static boolean info(Session s, Invocation cmd) {
        Network net = s.network(cmd);
        s.printf("%-15s %s\n", "Name:", net.getName());
        s.printf("%-15s %s\n", "UUID:", net.getUUIDString());
        try {
            s.printf("%-15s %s\n", "Active:", net.isActive() ? "yes" : "no");
        } catch (VirtException e) {
            // virsh skips the line
        }
        String persistent;
        try {
            persistent = net.isPersistent() ? "yes" : "no";
        } catch (VirtException e) {
            persistent = "unknown";
        }
        s.printf("%-15s %s\n", "Persistent:", persistent);
        String autostart;
        try {
            autostart = net.getAutostart() ? "yes" : "no";
        } catch (VirtException e) {
            autostart = "no autostart";
        }
        s.printf("%-15s %s\n", "Autostart:", autostart);
        String bridge = null;
        try {
            bridge = net.getBridgeName();
        } catch (VirtException e) {
            // virsh prints the error after the command and still succeeds
        }
        if (bridge != null) {
            s.printf("%-15s %s\n", "Bridge:", bridge);
        }
        return true;
    }

    private static boolean list(Session s, Invocation cmd) {
        boolean optName = cmd.bool("name");
        boolean optTable = cmd.bool("table");
        boolean optUuid = cmd.bool("uuid");
        EnumSet<ListNetworksFlag> flags = EnumSet.of(ListNetworksFlag.ACTIVE);
        if (cmd.bool("inactive")) {
            flags = EnumSet.of(ListNetworksFlag.INACTIVE);
        }
        if (cmd.bool("all")) {
            flags = EnumSet.of(ListNetworksFlag.ACTIVE, ListNetworksFlag.INACTIVE);
        }
        String[][] filters = {{"persistent", "PERSISTENT"}, {"transient", "TRANSIENT"},
            {"autostart", "AUTOSTART"}, {"no-autostart", "NO_AUTOSTART"}};
        for (String[] f : filters) {
            if (cmd.bool(f[0])) {
                flags.add(ListNetworksFlag.valueOf(f[1]));
            }
        }
        if ((optTable ? 1 : 0) + (optName ? 1 : 0) + (optUuid ? 1 : 0) > 1) {
            throw Session.fail("Only one argument from --table, --name and --uuid may be specified.");
        }
        if (!optUuid && !optName) {
            optTable = true;
        }
        List<Network> nets = new ArrayList<>(s.conn().listAllNetworks(flags));
        nets.sort((a, b) -> a.getName().compareToIgnoreCase(b.getName()));
        if (optTable) {
            Table t = new Table("Name", "State", "Autostart", "Persistent");
            for (Network n : nets) {
                String auto;
                try {
                    auto = n.getAutostart() ? "yes" : "no";
                } catch (VirtException e) {
                    auto = "no autostart";
                }
                t.add(n.getName(), n.isActive() ? "active" : "inactive", auto, n.isPersistent() ? "yes" : "no");
            }
            t.print(s);
        } else {
            StringBuilder b = new StringBuilder();
            for (Network n : nets) {
                b.append(optUuid ? n.getUUIDString() : n.getName()).append('\n');
            }
            s.print(b.toString());
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
            case "net-autostart": {
                return autostart(s, cmd);
            }
            case "net-create": {
                return fromFile(s, cmd, true);
            }
            case "net-define": {
                return fromFile(s, cmd, false);
            }
            case "net-destroy": {
                return simple(s, cmd, Network::destroy, "Network %s destroyed\n",
                "Failed to destroy network %s");
            }
            case "net-dumpxml": {
                Network n = s.network(cmd);
                s.print(cmd.bool("inactive") ? n.getXMLDesc(java.util.Set.of(org.jvirt.api.NetworkXmlFlag.INACTIVE))
                        : n.getXMLDesc());
                return true;
            }
            case "net-info": {
                return info(s, cmd);
            }
            case "net-list": {
                return list(s, cmd);
            }
            case "net-name": {
                s.print(s.network(cmd, Session.BY_UUID).getName() + "\n");
                return true;
            }
            case "net-start": {
                return simple(s, cmd, Network::create, "Network %s started\n",
                "Failed to start network %s");
            }
            case "net-undefine": {
                return simple(s, cmd, Network::undefine, "Network %s has been undefined\n",
                "Failed to undefine network %s");
            }
            case "net-uuid": {
                s.print(s.network(cmd, Session.BY_NAME).getUUIDString() + "\n");
                return true;
            }
            default:
                throw new IllegalStateException("no handler for " + cmd.def().name());
        }
    }
}
