package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.MONITOR;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.jvirt.api.BlockStats;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.ListDomainsFlag;
import org.jvirt.api.VirtException;

/** Domain monitoring commands (virsh-domain-monitor.c). */
final class MonitorCommands {

    private static final Opt DOMAIN_OPT = DomainCommands.DOMAIN_OPT;

    private MonitorCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("domblkstat", MONITOR, "get device block stats for a domain",
                "Get device block stats for a running domain. See man page or use --human for explanation "
                        + "of fields", HANDLER,
                DOMAIN_OPT, Opt.stringEmptyOk("device", "block device"),
                Opt.bool("human", "print a more human readable output")));
        c.add(CommandDef.of("domifstat", MONITOR, "get network interface stats for a domain",
                "Get network interface stats for a running domain.", HANDLER,
                DOMAIN_OPT, Opt.data("interface", "interface device specified by name or MAC Address")));
        c.add(CommandDef.of("dominfo", MONITOR, "domain information",
                "Returns basic information about the domain.", HANDLER, DOMAIN_OPT));
        c.add(CommandDef.of("domstate", MONITOR, "domain state", "Returns state about a domain.", HANDLER, DOMAIN_OPT, Opt.bool("reason", "also print reason for the state")));
        c.add(CommandDef.of("list", MONITOR, "list domains", "Returns list of domains.", HANDLER,
                Opt.bool("inactive", "list inactive domains"),
                Opt.bool("all", "list inactive & active domains"),
                Opt.bool("transient", "list transient domains"),
                Opt.bool("persistent", "list persistent domains"),
                Opt.bool("with-snapshot", "list domains with existing snapshot"),
                Opt.bool("without-snapshot", "list domains without a snapshot"),
                Opt.bool("with-checkpoint", "list domains with existing checkpoint"),
                Opt.bool("without-checkpoint", "list domains without a checkpoint"),
                Opt.bool("state-running", "list domains in running state"),
                Opt.bool("state-paused", "list domains in paused state"),
                Opt.bool("state-shutoff", "list domains in shutoff state"),
                Opt.bool("state-other", "list domains in other states"),
                Opt.bool("autostart", "list domains with autostart enabled"),
                Opt.bool("no-autostart", "list domains with autostart disabled"),
                Opt.bool("with-managed-save", "list domains with managed save state"),
                Opt.bool("without-managed-save", "list domains without managed save"),
                Opt.bool("uuid", "list uuid's only"),
                Opt.bool("name", "list domain names only"),
                Opt.bool("id", "list domain IDs only"),
                Opt.bool("table", "list table (default)"),
                Opt.bool("managed-save", "mark inactive domains with managed save state"),
                Opt.bool("title", "show domain title")));
        c.add(CommandDef.of("domid", MONITOR, "convert a domain name or UUID to domain id", "", HANDLER, Opt.data("domain", "domain name, id or uuid")));
        c.add(CommandDef.of("domname", MONITOR, "convert a domain id or UUID to domain name", "", HANDLER, Opt.data("domain", "domain id or uuid")));
        c.add(CommandDef.of("domuuid", MONITOR, "convert a domain name or id to domain UUID", "", HANDLER, Opt.data("domain", "domain name, id or uuid")));
    }

    // ---- state words, as virsh prints them --------------------------------------------------------------

    static String stateWord(DomainState state) {
        return state.label();
    }


    /** The state, falling back to getInfo when the driver lacks getState (virshDomainState). */
    static DomainStatus state(Domain dom) {
        try {
            return dom.getState();
        } catch (VirtException e) {
            if (e.code() != ErrorCode.NO_SUPPORT) {
                throw e;
            }
            return new DomainStatus(dom.getInfo().state(), -1);
        }
    }

    // ---- commands ------------------------------------------------------------------------------------

    private static boolean domstate(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        DomainStatus st = state(dom);
        if (cmd.bool("reason")) {
            s.print(stateWord(st.state()) + " (" + st.reasonLabel() + ")\n");
        } else {
            s.print(stateWord(st.state()) + "\n");
        }
        return true;
    }

    private static boolean dominfo(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        boolean ok = true;
        int id = dom.getID();
        s.printf("%-15s %s\n", "Id:", id == -1 ? "-" : Integer.toString(id));
        s.printf("%-15s %s\n", "Name:", dom.getName());
        s.printf("%-15s %s\n", "UUID:", dom.getUUIDString());
        String os = null;
        try {
            os = dom.getOSType();
        } catch (VirtException e) {
            // virsh skips the line
        }
        if (os != null) {
            s.printf("%-15s %s\n", "OS Type:", os);
        }
        VirtException infoError = null;
        try {
            DomainInfo info = dom.getInfo();
            s.printf("%-15s %s\n", "State:", stateWord(info.state()));
            s.printf("%-15s %d\n", "CPU(s):", info.vcpus());
            if (info.cpuTimeNs() != 0) {
                s.printf("%-15s %ss\n", "CPU time:", Util.seconds(info.cpuTimeNs()));
            }
            if (info.maxMemKiB() != 0xffffffffL) {
                s.printf("%-15s %s KiB\n", "Max memory:", Long.toUnsignedString(info.maxMemKiB()));
            } else {
                s.printf("%-15s %s\n", "Max memory:", "no limit");
            }
            s.printf("%-15s %s KiB\n", "Used memory:", Long.toUnsignedString(info.memoryKiB()));
        } catch (VirtException e) {
            ok = false;
            infoError = e;
        }
        String persistent;
        try {
            persistent = dom.isPersistent() ? "yes" : "no";
        } catch (VirtException e) {
            persistent = "unknown";
        }
        s.printf("%-15s %s\n", "Persistent:", persistent);
        try {
            s.printf("%-15s %s\n", "Autostart:", dom.getAutostart() ? "enable" : "disable");
        } catch (VirtException e) {
            // virsh skips the line
        }
        String managed;
        try {
            managed = dom.hasManagedSaveImage() ? "yes" : "no";
        } catch (VirtException e) {
            managed = "unknown";
        }
        s.printf("%-15s %s\n", "Managed save:", managed);
        SecurityInfo.print(s, dom);
        if (!ok) {
            throw new CommandFailed(null, infoError);
        }
        return true;
    }

    /** Running domains first by id, then inactive ones by name (virshDomainSorter). */
    private static final java.util.Comparator<Object[]> LIST_ORDER = new java.util.Comparator<>() {
        @Override
        public int compare(Object[] a, Object[] b) {
            int ia = (Integer) a[1];
            int ib = (Integer) b[1];
            if (ia == -1 && ib == -1) {
                return ((String) a[2]).compareToIgnoreCase((String) b[2]);
            }
            if (ia != -1 && ib != -1) {
                return Integer.compareUnsigned(ia, ib);
            }
            return ia != -1 ? -1 : 1;
        }
    };

    private static boolean list(Session s, Invocation cmd) {
        boolean optTable = cmd.bool("table");
        boolean optUuid = cmd.bool("uuid");
        boolean optName = cmd.bool("name");
        boolean optId = cmd.bool("id");
        EnumSet<ListDomainsFlag> flags = EnumSet.of(ListDomainsFlag.ACTIVE);
        if (cmd.bool("inactive") || cmd.bool("state-shutoff")) {
            flags = EnumSet.of(ListDomainsFlag.INACTIVE);
        }
        if (cmd.bool("all")) {
            flags = EnumSet.of(ListDomainsFlag.ACTIVE, ListDomainsFlag.INACTIVE);
        }
        String[][] filters = {
            {"persistent", "PERSISTENT"}, {"transient", "TRANSIENT"},
            {"with-managed-save", "MANAGEDSAVE"}, {"without-managed-save", "NO_MANAGEDSAVE"},
            {"autostart", "AUTOSTART"}, {"no-autostart", "NO_AUTOSTART"},
            {"with-snapshot", "HAS_SNAPSHOT"}, {"without-snapshot", "NO_SNAPSHOT"},
            {"with-checkpoint", "HAS_CHECKPOINT"}, {"without-checkpoint", "NO_CHECKPOINT"},
            {"state-running", "RUNNING"}, {"state-paused", "PAUSED"}, {"state-shutoff", "SHUTOFF"},
            {"state-other", "OTHER"},
        };
        for (String[] f : filters) {
            if (cmd.bool(f[0])) {
                flags.add(ListDomainsFlag.valueOf(f[1]));
            }
        }
        DomainCommands.exclusive(cmd, "table", "name");
        DomainCommands.exclusive(cmd, "table", "uuid");
        DomainCommands.exclusive(cmd, "table", "id");
        if (cmd.bool("title")) {
            throw Session.fail("jvirsh: list --title is not supported yet");
        }
        if (!optUuid && !optName && !optId) {
            optTable = true;
        }
        boolean managedSave = cmd.bool("managed-save");
        List<Domain> doms = new ArrayList<>(s.conn().listAllDomains(flags));
        // running domains first by id, then inactive ones by name (virshDomainSorter)
        List<Object[]> rows = new ArrayList<>();
        for (Domain d : doms) {
            rows.add(new Object[] {d, d.getID(), d.getName()});
        }
        rows.sort(LIST_ORDER);
        Table table = optTable ? new Table("Id", "Name", "State") : null;
        StringBuilder plain = new StringBuilder();
        for (Object[] row : rows) {
            Domain d = (Domain) row[0];
            int id = (Integer) row[1];
            String idText = id == -1 ? "-" : Integer.toString(id);
            if (optTable) {
                DomainState st;
                try {
                    st = state(d).state();
                } catch (VirtException e) {
                    continue; // removed meanwhile
                }
                boolean saved = managedSave && st == DomainState.SHUTOFF && hasManagedSave(d);
                table.add(idText, (String) row[2], saved ? "saved" : stateWord(st));
            } else {
                String sep = "";
                if (optUuid) {
                    plain.append(d.getUUIDString());
                    sep = " ";
                }
                if (optId) {
                    if (id == -1 && !optUuid && !optName) {
                        continue;
                    }
                    plain.append(sep).append(idText);
                    sep = " ";
                }
                if (optName) {
                    plain.append(sep).append((String) row[2]);
                }
                plain.append('\n');
            }
        }
        if (optTable) {
            table.print(s);
        } else {
            s.print(plain.toString());
        }
        return true;
    }

    /** Whether a domain has a managed save image; no when the driver cannot tell (virsh's "> 0"). */
    private static boolean hasManagedSave(Domain d) {
        try {
            return d.hasManagedSaveImage();
        } catch (VirtException e) {
            return false;
        }
    }

    private static final String[][] BLK_FIELDS = {
        {"rd_req", "number of read operations:"},
        {"rd_bytes", "number of bytes read:"},
        {"wr_req", "number of write operations:"},
        {"wr_bytes", "number of bytes written:"},
        {"errs", "error count:"},
    };

    private static boolean domblkstat(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        String device = cmd.string("device");
        if (device == null) {
            device = "";
        }
        boolean human = cmd.bool("human");
        BlockStats st;
        try {
            st = dom.blockStats(device);
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to get block stats %s %s", name, device);
        }
        String prefix = device;
        if (human) {
            s.print("Device: " + device + "\n");
            prefix = "";
        }
        long[] values = {st.rdReq(), st.rdBytes(), st.wrReq(), st.wrBytes(), st.errs()};
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= 0) {
                String field = human ? BLK_FIELDS[i][1] : BLK_FIELDS[i][0];
                s.print(prefix + " " + (human ? String.format("%-31s", field) : field) + " " + values[i] + "\n");
            }
        }
        return true;
    }

    private static boolean domifstat(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        String device = cmd.string("interface");
        InterfaceStats st;
        try {
            st = dom.interfaceStats(device);
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to get interface stats %s %s", name, device);
        }
        String[] names = {"rx_bytes", "rx_packets", "rx_errs", "rx_drop", "tx_bytes", "tx_packets", "tx_errs",
            "tx_drop"};
        long[] values = {st.rxBytes(), st.rxPackets(), st.rxErrs(), st.rxDrop(), st.txBytes(), st.txPackets(),
            st.txErrs(), st.txDrop()};
        for (int i = 0; i < names.length; i++) {
            if (values[i] >= 0) {
                s.print(device + " " + names[i] + " " + values[i] + "\n");
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
            case "domblkstat": {
                return domblkstat(s, cmd);
            }
            case "domifstat": {
                return domifstat(s, cmd);
            }
            case "dominfo": {
                return dominfo(s, cmd);
            }
            case "domstate": {
                return domstate(s, cmd);
            }
            case "list": {
                return list(s, cmd);
            }
            case "domid": {
                int id = s.domain(cmd, "domain", Session.BY_NAME | Session.BY_UUID).getID();
                s.print(id == -1 ? "-\n" : id + "\n");
                return true;
            }
            case "domname": {
                s.print(s.domain(cmd, "domain", Session.BY_ID | Session.BY_UUID).getName() + "\n");
                return true;
            }
            case "domuuid": {
                s.print(s.domain(cmd, "domain", Session.BY_NAME | Session.BY_ID).getUUIDString() + "\n");
                return true;
            }
            default:
                throw new IllegalStateException("no handler for " + cmd.def().name());
        }
    }
}
