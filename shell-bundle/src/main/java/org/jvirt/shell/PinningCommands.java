package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.DOMAIN;

import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jvirt.api.Domain;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VcpuFlag;

/** vcpupin and emulatorpin (virsh-domain.c): query and set the CPU affinity of vCPUs and emulator threads. */
final class PinningCommands {
    private static final Opt DOMAIN_OPT = DomainCommands.DOMAIN_OPT;

    private PinningCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("vcpupin", DOMAIN, "control or query domain vcpu affinity",
                "Pin domain VCPUs to host physical CPUs.", HANDLER,
                DOMAIN_OPT, Opt.integer("vcpu", "vcpu number"),
                Opt.stringEmptyOk("cpulist", "host cpu number(s) to set, or omit option to query"),
                DomainCommands.CONFIG, DomainCommands.LIVE, DomainCommands.CURRENT));
        c.add(CommandDef.of("emulatorpin", DOMAIN, "control or query domain emulator affinity",
                "Pin domain emulator threads to host physical CPUs.", HANDLER,
                DOMAIN_OPT, Opt.stringEmptyOk("cpulist", "host cpu number(s) to set, or omit option to query"),
                DomainCommands.CONFIG, DomainCommands.LIVE, DomainCommands.CURRENT));
    }

    private static Set<ModifyFlag> modifyFlags(Invocation cmd) {
        Set<ModifyFlag> flags = EnumSet.noneOf(ModifyFlag.class);
        if (cmd.bool("config")) {
            flags.add(ModifyFlag.CONFIG);
        }
        if (cmd.bool("live")) {
            flags.add(ModifyFlag.LIVE);
        }
        return flags;
    }

    private static boolean vcpupin(Session s, Invocation cmd) {
        DomainCommands.exclusive(cmd, "current", "live");
        DomainCommands.exclusive(cmd, "current", "config");
        String cpulist = cmd.string("cpulist");
        if (cpulist == null) {
            DomainCommands.exclusive(cmd, "live", "config");
        }
        boolean gotVcpu = cmd.has("vcpu");
        long vcpu = cmd.unsigned("vcpu", 0, Integer.MAX_VALUE);
        if (cpulist != null && !gotVcpu) {
            throw Session.fail("vcpupin: Missing vCPU number in pin mode.");
        }
        int maxcpu = DomainCommands.hostCpus(s);
        Domain dom = s.domain(cmd);
        Set<ModifyFlag> flags = modifyFlags(cmd);
        if (cpulist == null) {
            return vcpupinQuery(s, dom, gotVcpu, vcpu, flags);
        }
        if (!flags.isEmpty()) {
            throw Session.fail("jvirsh: --config and --live are not supported by vcpupin yet");
        }
        dom.pinVcpu((int) vcpu, cpus(cpulist, maxcpu));
        return true;
    }

    /** virsh's virshVcpuPinQuery: the count of the chosen definition first, then each vCPU's affinity. */
    private static boolean vcpupinQuery(Session s, Domain dom, boolean gotVcpu, long vcpu, Set<ModifyFlag> flags) {
        boolean live = flags.contains(ModifyFlag.LIVE);
        boolean config = flags.contains(ModifyFlag.CONFIG);
        if (live && !dom.isActive() || config && !dom.isPersistent()) {
            throw Session.fail(live ? "cannot get vcpupin for offline domain"
                    : "cannot get vcpupin for transient domain");
        }
        Set<VcpuFlag> countFlags = EnumSet.of(VcpuFlag.MAXIMUM);
        if (live) {
            countFlags.add(VcpuFlag.LIVE);
        }
        if (config) {
            countFlags.add(VcpuFlag.CONFIG);
        }
        int ncpus = dom.getVcpuCount(countFlags);
        if (gotVcpu && vcpu >= ncpus) {
            boolean ofLive = live || !config && dom.isActive();
            throw Session.fail("vcpu %d is out of range of %s cpu count %d", vcpu, ofLive ? "live" : "persistent",
                    ncpus);
        }
        List<BitSet> maps = dom.getVcpuPinInfo(flags);
        Table t = new Table("VCPU", "CPU Affinity");
        for (int i = 0; i < maps.size(); i++) {
            if (!gotVcpu || i == vcpu) {
                t.add(Integer.toString(i), Util.cpuRanges(maps.get(i)));
            }
        }
        t.print(s);
        return true;
    }

    private static boolean emulatorpin(Session s, Invocation cmd) {
        DomainCommands.exclusive(cmd, "current", "live");
        DomainCommands.exclusive(cmd, "current", "config");
        Domain dom = s.domain(cmd);
        String cpulist = cmd.string("cpulist");
        int maxcpu = DomainCommands.hostCpus(s);
        Set<ModifyFlag> flags = modifyFlags(cmd);
        if (cpulist == null) {
            BitSet map = dom.getEmulatorPinInfo(flags);
            s.printExtra("emulator: CPU Affinity\n");
            s.printExtra("----------------------------------\n");
            s.printExtra("       *: ");
            s.print(Util.cpuRanges(map == null ? new BitSet() : map));
            s.print("\n");
            return true;
        }
        BitSet map = cpus(cpulist, maxcpu);
        if (flags.isEmpty() && !cmd.bool("current")) {
            flags = EnumSet.of(ModifyFlag.LIVE); // virsh pins the running emulator when no option says otherwise
        }
        dom.pinEmulator(map, flags);
        return true;
    }

    /** virsh's virshParseCPUList: "r" for every CPU, else a libvirt CPU set within the host's CPUs. */
    private static BitSet cpus(String cpulist, int maxcpu) {
        if (cpulist.startsWith("r")) {
            BitSet all = new BitSet();
            all.set(0, maxcpu);
            return all;
        }
        BitSet map = parseBitmap(cpulist, 1024);
        if (map == null || map.isEmpty()) {
            throw Session.fail("Invalid cpulist '%s'", cpulist);
        }
        int last = map.length() - 1;
        if (last >= maxcpu) {
            throw Session.fail("CPU %d in cpulist '%s' exceed the maxcpu %d", last, cpulist, maxcpu);
        }
        return map;
    }

    /** libvirt's virBitmapParse: "0-3,^2,5", every bit below {@code size}; null when it does not parse. */
    static BitSet parseBitmap(String text, int size) {
        BitSet b = new BitSet();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            boolean negated = p.startsWith("^");
            if (negated) {
                p = p.substring(1).strip();
            }
            int dash = p.indexOf('-');
            try {
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
                if (lo < 0 || hi < lo || hi >= size || negated && dash >= 0) {
                    return null;
                }
                if (negated) {
                    b.clear(lo);
                } else {
                    b.set(lo, hi + 1);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return b;
    }

    /** One handler for the group, dispatching by name. */
    static final CommandDef.Handler HANDLER = new CommandDef.Handler() {
        @Override
        public boolean run(Session s, Invocation cmd) {
            return switch (cmd.def().name()) {
                case "vcpupin" -> vcpupin(s, cmd);
                case "emulatorpin" -> emulatorpin(s, cmd);
                default -> throw new IllegalStateException("no handler for " + cmd.def().name());
            };
        }
    };
}
