package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.DOMAIN;

import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jvirt.api.Connect;
import org.jvirt.api.CreateFlag;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.MigrateFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.ProgressListener;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;

/** Domain management commands (virsh-domain.c). */
final class DomainCommands {

    static final Opt DOMAIN_OPT = Opt.data("domain", "domain name, id or uuid");
    static final Opt CONFIG = Opt.bool("config", "affect next boot");
    static final Opt LIVE = Opt.bool("live", "affect running domain");
    static final Opt CURRENT = Opt.bool("current", "affect current domain");

    private DomainCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("attach-device", DOMAIN, "attach device from an XML file",
                "Attach device from an XML <file>.", HANDLER,
                DOMAIN_OPT, Opt.data("file", "XML file"), Opt.bool("persistent", "make live change persistent"),
                CONFIG, LIVE, CURRENT));
        c.add(CommandDef.of("autostart", DOMAIN, "autostart a domain",
                "Configure a domain to be automatically started at boot.", HANDLER,
                DOMAIN_OPT, Opt.bool("disable", "disable autostarting")));
        c.add(CommandDef.of("console", DOMAIN, "connect to the guest console",
                "Connect the virtual serial console for the guest", HANDLER,
                DOMAIN_OPT, Opt.string("devname", "character device name"),
                Opt.bool("force", "force console connection (disconnect already connected sessions)"),
                Opt.bool("safe", "only connect if safe console handling is supported")));
        c.add(CommandDef.of("create", DOMAIN, "create a domain from an XML file", "Create a domain.", HANDLER, Opt.data("file", "file containing an XML domain description"),
                Opt.bool("console", "attach to console after creation"),
                Opt.bool("paused", "leave the guest paused after creation"),
                Opt.bool("autodestroy", "automatically destroy the guest when virsh disconnects"),
                Opt.bool("validate", "validate the XML against the schema")));
        c.add(CommandDef.of("domxml-from-native", DOMAIN, "Convert native config to domain XML",
                "Convert native guest configuration format to domain XML format.", HANDLER,
                Opt.data("format", "source config data format"),
                Opt.data("config", "config data file to import from")));
        c.add(CommandDef.of("domxml-to-native", DOMAIN, "Convert domain XML to native config",
                "Convert domain XML config to a native guest configuration format.", HANDLER,
                Opt.data("format", "target config data type format"),
                Opt.namedString("domain", "domain name, id or uuid"),
                Opt.string("xml", "xml data file to export from")));
        c.add(CommandDef.of("define", DOMAIN, "define (but don't start) a domain from an XML file",
                "Define a domain.", HANDLER,
                Opt.data("file", "file containing an XML domain description"),
                Opt.bool("validate", "validate the XML against the schema")));
        c.add(CommandDef.of("destroy", DOMAIN, "destroy (stop) a domain",
                "Forcefully stop a given domain, but leave its resources intact.", HANDLER,
                DOMAIN_OPT, Opt.bool("graceful", "terminate gracefully"),
                Opt.bool("remove-logs", "remove domain logs")));
        c.add(CommandDef.of("detach-device", DOMAIN, "detach device from an XML file",
                "Detach device from an XML <file>", HANDLER,
                DOMAIN_OPT, Opt.data("file", "XML file"), Opt.bool("persistent", "make live change persistent"),
                CONFIG, LIVE, CURRENT));
        c.add(CommandDef.of("dump", DOMAIN, "dump the core of a domain to a file for analysis",
                "Core dump a domain.", HANDLER,
                DOMAIN_OPT, Opt.data("file", "where to dump the core"), Opt.bool("live", "perform a live core dump if supported"),
                Opt.bool("crash", "crash the domain after core dump"),
                Opt.bool("bypass-cache", "avoid file system cache when dumping"),
                Opt.bool("reset", "reset the domain after core dump"),
                Opt.bool("verbose", "display the progress of dump"),
                Opt.bool("memory-only", "dump domain's memory only"),
                Opt.namedString("format", "specify the format of memory-only dump")));
        c.add(CommandDef.of("dumpxml", DOMAIN, "domain information in XML",
                "Output the domain information as an XML dump to stdout.", HANDLER,
                DOMAIN_OPT, Opt.bool("inactive", "show inactive defined XML"),
                Opt.bool("security-info", "include security sensitive information in XML dump"),
                Opt.bool("update-cpu", "update guest CPU according to host CPU"),
                Opt.bool("migratable", "provide XML suitable for migrations")));
        c.add(CommandDef.of("migrate", DOMAIN, "migrate domain to another host",
                "Migrate domain to another host.  Add --live for live migration.", HANDLER,
                DOMAIN_OPT,
                Opt.data("desturi", "connection URI of the destination host as seen from the client(normal "
                        + "migration) or source(p2p migration)"),
                Opt.bool("live", "live migration"), Opt.bool("offline", "offline migration"),
                Opt.bool("p2p", "peer-2-peer migration"), Opt.bool("direct", "direct migration"),
                Opt.alias("tunneled", "tunnelled"), Opt.bool("tunnelled", "tunnelled migration"),
                Opt.bool("persistent", "persist VM on destination"),
                Opt.bool("undefinesource", "undefine VM on source"),
                Opt.bool("suspend", "do not restart the domain on the destination host"),
                Opt.bool("copy-storage-all", "migration with non-shared storage with full disk copy"),
                Opt.bool("copy-storage-inc", "migration with non-shared storage with incremental copy (same "
                        + "base image shared between source and destination)"),
                Opt.bool("change-protection", "prevent any configuration changes to domain until migration ends"),
                Opt.bool("unsafe", "force migration even if it may be unsafe"),
                Opt.bool("verbose", "display the progress of migration"),
                Opt.bool("compressed", "compress repeated pages during live migration"),
                Opt.bool("auto-converge", "force convergence during live migration"),
                Opt.bool("abort-on-error", "abort on soft errors during migration"),
                Opt.string("migrateuri", "migration URI, usually can be omitted"),
                Opt.string("dname", "rename to new name during migration (if supported)"),
                Opt.namedInt("bandwidth", "migration bandwidth limit in MiB/s")));
        c.add(CommandDef.of("reboot", DOMAIN, "reboot a domain", "Run a reboot command in the target domain.", HANDLER,
                DOMAIN_OPT, Opt.string("mode", "shutdown mode: acpi|agent|initctl|signal|paravirt")));
        c.add(CommandDef.of("restore", DOMAIN, "restore a domain from a saved state in a file",
                "Restore a domain.", HANDLER,
                Opt.data("file", "the state to restore"),
                Opt.bool("bypass-cache", "avoid file system cache when restoring"),
                Opt.bool("running", "restore domain into running state"),
                Opt.bool("paused", "restore domain into paused state"),
                Opt.bool("verbose", "display the progress of restore")));
        c.add(CommandDef.of("resume", DOMAIN, "resume a domain", "Resume a previously suspended domain.", HANDLER,
                DOMAIN_OPT));
        c.add(CommandDef.of("save", DOMAIN, "save a domain state to a file",
                "Save the RAM state of a running domain.", HANDLER,
                DOMAIN_OPT, Opt.data("file", "where to save the data"),
                Opt.bool("bypass-cache", "avoid file system cache when saving"),
                Opt.bool("running", "set domain to be running on restore"),
                Opt.bool("paused", "set domain to be paused on restore"),
                Opt.bool("verbose", "display the progress of save")));
        c.add(CommandDef.of("schedinfo", DOMAIN, "show/set scheduler parameters",
                "Show/Set scheduler parameters.", HANDLER,
                DOMAIN_OPT, Opt.namedInt("weight", "weight for XEN_CREDIT"),
                Opt.namedInt("cap", "cap for XEN_CREDIT"),
                Opt.bool("current", "get/set current scheduler info"),
                Opt.bool("config", "get/set value to be used on next boot"),
                Opt.bool("live", "get/set value from running domain"),
                Opt.argv("set", "parameter=value")));
        c.add(CommandDef.of("setmaxmem", DOMAIN, "change maximum memory limit",
                "Change the maximum memory allocation limit in the guest domain.", HANDLER,
                DOMAIN_OPT, Opt.alias("kilobytes", "size"),
                Opt.requiredInt("size", "new maximum memory size, as scaled integer (default KiB)"),
                CONFIG, LIVE, CURRENT));
        c.add(CommandDef.of("setmem", DOMAIN, "change memory allocation",
                "Change the current memory allocation in the guest domain.", HANDLER,
                DOMAIN_OPT, Opt.alias("kilobytes", "size"),
                Opt.requiredInt("size", "new memory size, as scaled integer (default KiB)"),
                CONFIG, LIVE, CURRENT));
        c.add(CommandDef.of("setvcpus", DOMAIN, "change number of virtual CPUs",
                "Change the number of virtual CPUs in the guest domain.", HANDLER,
                DOMAIN_OPT, Opt.requiredInt("count", "number of virtual CPUs"),
                Opt.bool("maximum", "set maximum limit on next boot"), CONFIG, LIVE, CURRENT,
                Opt.bool("guest", "modify cpu state in the guest"),
                Opt.bool("hotpluggable", "make added vcpus hot(un)pluggable")));
        c.add(CommandDef.of("shutdown", DOMAIN, "gracefully shutdown a domain",
                "Run shutdown in the target domain.", HANDLER,
                DOMAIN_OPT, Opt.string("mode", "shutdown mode: acpi|agent|initctl|signal|paravirt")));
        c.add(CommandDef.of("start", DOMAIN, "start a (previously defined) inactive domain",
                "Start a domain, either from the last managedsave\n    state, or via a fresh boot if no "
                        + "managedsave state\n    is present.", HANDLER,
                Opt.data("domain", "name of the inactive domain"),
                Opt.bool("console", "attach to console after creation"),
                Opt.bool("paused", "leave the guest paused after creation"),
                Opt.bool("autodestroy", "automatically destroy the guest when virsh disconnects"),
                Opt.bool("bypass-cache", "avoid file system cache when loading"),
                Opt.bool("force-boot", "force fresh boot by discarding any managed save")));
        c.add(CommandDef.of("suspend", DOMAIN, "suspend a domain", "Suspend a running domain.", HANDLER,
                DOMAIN_OPT));
        c.add(CommandDef.of("ttyconsole", DOMAIN, "tty console", "Output the device for the TTY console.", HANDLER, DOMAIN_OPT));
        c.add(CommandDef.of("undefine", DOMAIN, "undefine a domain",
                "Undefine an inactive domain, or convert persistent to transient.", HANDLER,
                DOMAIN_OPT, Opt.bool("managed-save", "remove domain managed state file"),
                Opt.bool("snapshots-metadata", "remove all domain snapshot metadata (vm must be inactive)"),
                Opt.bool("nvram", "remove nvram file"), Opt.bool("keep-nvram", "keep nvram file")));
        c.add(CommandDef.of("vcpuinfo", DOMAIN, "detailed domain vcpu information",
                "Returns basic information about the domain virtual CPUs.", HANDLER,
                DOMAIN_OPT, Opt.bool("pretty", "return human readable output")));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    interface DomainAction {
        void apply(Domain d);
    }

    /** Looks up the domain, applies the action and prints the message with the name as typed. */
    private static boolean simple(Session s, Invocation cmd, DomainAction action, String ok, String failed) {
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        try {
            action.apply(dom);
        } catch (VirtException e) {
            throw Session.fail(e, failed, name);
        }
        s.printfExtra(ok, name);
        return true;
    }

    /** VIR_DOMAIN_UNDEFINE_MANAGED_SAVE. */
    private static final int UNDEFINE_MANAGED_SAVE = 1;

    /**
     * As virsh's: a shut-off domain's managed save image is removed with it only when --managed-save says so,
     * else refused in virsh's own words. (Snapshot metadata: jvirt has no snapshots, so nothing to remove.)
     */
    private static boolean undefine(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        boolean managedSave = cmd.bool("managed-save");
        boolean hasManagedSave = false;
        if (!dom.isActive()) {
            try {
                hasManagedSave = dom.hasManagedSaveImage();
            } catch (VirtException e) {
                if (e.code() != org.jvirt.api.ErrorCode.NO_SUPPORT) {
                    throw e;
                }
            }
        }
        if (hasManagedSave && !managedSave) {
            throw Session.fail("Refusing to undefine while domain managed save image exists");
        }
        try {
            dom.undefine(hasManagedSave ? UNDEFINE_MANAGED_SAVE : 0);
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to undefine domain '%s'", name);
        }
        s.printfExtra("Domain '%s' has been undefined\n", name);
        return true;
    }

    static void exclusive(Invocation cmd, String a, String b) {
        if (cmd.bool(a) && cmd.bool(b)) {
            throw Session.fail("Options --%s and --%s are mutually exclusive", a, b);
        }
    }

    // ---- commands ------------------------------------------------------------------------------------

    private static boolean autostart(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        boolean enable = !cmd.bool("disable");
        try {
            dom.setAutostart(enable);
        } catch (VirtException e) {
            throw Session.fail(e, enable ? "Failed to mark domain '%s' as autostarted"
                    : "Failed to unmark domain '%s' as autostarted", name);
        }
        s.printfExtra(enable ? "Domain '%s' marked as autostarted\n" : "Domain '%s' unmarked as autostarted\n",
                name);
        return true;
    }

    private static boolean create(Session s, Invocation cmd) {
        String file = cmd.string("file");
        String xml = Util.readFile(file);
        Domain dom;
        try {
            dom = s.conn().createXML(xml, startFlags(cmd));
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to create domain from %s", file);
        }
        s.printfExtra("Domain '%s' created from %s\n", dom.getName(), file);
        if (cmd.bool("console")) {
            DomainConsole.run(s, dom, null, 0); // as virsh: the domain was created, whatever the console did
        }
        return true;
    }

    /** virsh's console: the guest's serial console on this terminal, until Ctrl+] (or -e's escape). */
    private static boolean console(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        int flags = (cmd.bool("force") ? DomainConsole.FORCE : 0) | (cmd.bool("safe") ? DomainConsole.SAFE : 0);
        CommandFailed failed = DomainConsole.run(s, dom, cmd.string("devname"), flags);
        if (failed != null) {
            throw failed;
        }
        return true;
    }

    /** virsh's domxml-from-native: a native config file (e.g. an xl.cfg, format xen-xl) as domain XML. */
    private static boolean domxmlFromNative(Session s, Invocation cmd) {
        String config = Util.readFile(cmd.string("config"));
        String xml;
        try {
            xml = s.conn().domainXMLFromNative(cmd.string("format"), config);
        } catch (VirtException e) {
            throw new CommandFailed(null, e);
        }
        s.print(xml);
        return true;
    }

    /** virsh's domxml-to-native: the XML of a file or of a domain, in the hypervisor's own form. */
    private static boolean domxmlToNative(Session s, Invocation cmd) {
        String domain = cmd.string("domain");
        String file = cmd.string("xml");
        if (domain != null && file != null) {
            throw Session.fail("Options --domain and --xml are mutually exclusive");
        }
        String xml;
        if (domain != null) {
            xml = s.domain(cmd).getXMLDesc(Set.of());
        } else if (file != null) {
            xml = Util.readFile(file);
        } else {
            throw Session.fail("need either domain or domain XML");
        }
        String config;
        try {
            config = s.conn().domainXMLToNative(cmd.string("format"), xml);
        } catch (VirtException e) {
            throw new CommandFailed(null, e);
        }
        s.print(config);
        return true;
    }

    private static boolean define(Session s, Invocation cmd) {
        String file = cmd.string("file");
        String xml = Util.readFile(file);
        Domain dom;
        try {
            dom = s.conn().defineXML(xml, cmd.bool("validate") ? 1 : 0); // VIR_DOMAIN_DEFINE_VALIDATE
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to define domain from %s", file);
        }
        s.printfExtra("Domain '%s' defined from %s\n", dom.getName(), file);
        return true;
    }

    /** The start options given (those of start and create that the command defines). */
    private static EnumSet<CreateFlag> startFlags(Invocation cmd) {
        EnumSet<CreateFlag> flags = EnumSet.noneOf(CreateFlag.class);
        String[][] map = {{"paused", "PAUSED"}, {"autodestroy", "AUTODESTROY"}, {"bypass-cache", "BYPASS_CACHE"},
            {"force-boot", "FORCE_BOOT"}, {"reset-nvram", "RESET_NVRAM"}, {"validate", "VALIDATE"}};
        for (String[] m : map) {
            if (cmd.def().opt(m[0]) != null && cmd.bool(m[0])) {
                flags.add(CreateFlag.valueOf(m[1]));
            }
        }
        return flags;
    }

    private static boolean start(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd, "domain", Session.BY_NAME | Session.BY_UUID);
        if (dom.getID() != -1) {
            throw Session.fail("Domain is already active");
        }
        EnumSet<CreateFlag> flags = startFlags(cmd);
        try {
            if (flags.isEmpty()) {
                dom.create();
            } else {
                dom.create(flags);
            }
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to start domain '%s'", dom.getName());
        }
        s.printfExtra("Domain '%s' started\n", dom.getName());
        if (cmd.bool("console")) {
            CommandFailed failed = DomainConsole.run(s, dom, null, 0);
            if (failed != null) {
                throw failed;
            }
        }
        return true;
    }

    private static boolean device(Session s, Invocation cmd, boolean attach) {
        boolean current = cmd.bool("current");
        boolean config = cmd.bool("config");
        boolean live = cmd.bool("live");
        boolean persistent = cmd.bool("persistent");
        exclusive(cmd, "persistent", "current");
        exclusive(cmd, "current", "live");
        exclusive(cmd, "current", "config");
        EnumSet<ModifyFlag> flags = EnumSet.noneOf(ModifyFlag.class);
        if (config || persistent) {
            flags.add(ModifyFlag.CONFIG);
        }
        if (live) {
            flags.add(ModifyFlag.LIVE);
        }
        Domain dom = s.domain(cmd);
        String file = cmd.string("file");
        if (persistent && dom.isActive()) {
            flags.add(ModifyFlag.LIVE);
        }
        String xml = Util.readFile(file);
        try {
            if (attach) {
                if (flags.isEmpty() && !current) {
                    dom.attachDevice(xml);
                } else {
                    dom.attachDevice(xml, flags);
                }
            } else if (flags.isEmpty() && !current) {
                dom.detachDevice(xml);
            } else {
                dom.detachDevice(xml, flags);
            }
        } catch (VirtException e) {
            throw Session.fail(e, attach ? "Failed to attach device from %s" : "Failed to detach device from %s",
                    file);
        }
        s.printExtra(attach ? "Device attached successfully\n" : "Device detached successfully\n");
        return true;
    }

    private static boolean dumpxml(Session s, Invocation cmd) {
        EnumSet<XmlFlag> flags = EnumSet.noneOf(XmlFlag.class);
        if (cmd.bool("inactive")) {
            flags.add(XmlFlag.INACTIVE);
        }
        if (cmd.bool("security-info")) {
            flags.add(XmlFlag.SECURE);
        }
        if (cmd.bool("update-cpu")) {
            flags.add(XmlFlag.UPDATE_CPU);
        }
        if (cmd.bool("migratable")) {
            flags.add(XmlFlag.MIGRATABLE);
        }
        Domain dom = s.domain(cmd);
        s.print(dom.getXMLDesc(flags));
        return true;
    }

    private static boolean save(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        String file = cmd.string("file");
        exclusive(cmd, "running", "paused");
        if (cmd.bool("running") || cmd.bool("paused") || cmd.bool("bypass-cache")) {
            throw Session.fail("jvirsh: --running, --paused and --bypass-cache are not supported by save yet");
        }
        Domain dom = s.domain(cmd);
        ProgressListener progress = JobProgress.of(cmd.bool("verbose"), "Save", s);
        try {
            dom.save(file, progress);
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to save domain '%s' to %s", name, file);
        }
        JobProgress.finish(progress);
        s.printfExtra("\nDomain '%s' saved to %s\n", name, file);
        return true;
    }

    private static boolean restore(Session s, Invocation cmd) {
        String file = cmd.string("file");
        exclusive(cmd, "running", "paused");
        if (cmd.bool("running") || cmd.bool("paused") || cmd.bool("bypass-cache")) {
            throw Session.fail("jvirsh: --running, --paused and --bypass-cache are not supported by restore yet");
        }
        ProgressListener progress = JobProgress.of(cmd.bool("verbose"), "Restore", s);
        try {
            s.conn().restore(file, progress);
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to restore domain from %s", file);
        }
        if (progress != ProgressListener.NONE) {
            JobProgress.finish(progress);
            s.print("\n");
        }
        s.printfExtra("Domain restored from %s\n", file);
        return true;
    }

    private static boolean dump(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        String file = cmd.string("file");
        exclusive(cmd, "live", "crash");
        exclusive(cmd, "live", "reset");
        exclusive(cmd, "crash", "reset");
        if (cmd.bool("live") || cmd.bool("crash") || cmd.bool("reset") || cmd.bool("memory-only")
                || cmd.has("format")) {
            throw Session.fail("jvirsh: --live, --crash, --reset, --memory-only and --format are not supported "
                    + "by dump yet");
        }
        Domain dom = s.domain(cmd);
        ProgressListener progress = JobProgress.of(cmd.bool("verbose"), "Dump", s);
        try {
            dom.coreDump(file, progress);
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to core dump domain '%s' to %s", name, file);
        }
        JobProgress.finish(progress);
        s.printfExtra("\nDomain '%s' dumped to %s\n", name, file);
        return true;
    }

    private static boolean migrate(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        String desturi = cmd.string("desturi");
        EnumSet<MigrateFlag> flags = EnumSet.noneOf(MigrateFlag.class);
        String[][] map = {
            {"live", "LIVE"}, {"p2p", "PEER2PEER"}, {"tunnelled", "TUNNELLED"}, {"persistent", "PERSIST_DEST"},
            {"undefinesource", "UNDEFINE_SOURCE"}, {"suspend", "PAUSED"}, {"copy-storage-all", "NON_SHARED_DISK"},
            {"copy-storage-inc", "NON_SHARED_INC"}, {"change-protection", "CHANGE_PROTECTION"},
            {"unsafe", "UNSAFE"}, {"offline", "OFFLINE"}, {"compressed", "COMPRESSED"},
            {"abort-on-error", "ABORT_ON_ERROR"}, {"auto-converge", "AUTO_CONVERGE"},
        };
        for (String[] m : map) {
            if (cmd.bool(m[0])) {
                flags.add(MigrateFlag.valueOf(m[1]));
            }
        }
        long bandwidth = cmd.unsigned("bandwidth", 0, Long.MAX_VALUE);
        String dname = cmd.string("dname");
        String migrateuri = cmd.string("migrateuri");
        ProgressListener progress = JobProgress.of(cmd.bool("verbose"), "Migration", s);
        if (cmd.bool("p2p") || cmd.bool("direct")) {
            dom.migrateToURI(desturi, flags, dname, bandwidth, progress);
        } else {
            try (Connect dest = Connect.open(desturi)) {
                dom.migrate(dest, flags, dname, migrateuri, bandwidth, progress);
            }
        }
        if (progress != ProgressListener.NONE) {
            JobProgress.finish(progress);
            s.print("\n");
        }
        return true;
    }

    private static boolean setmem(Session s, Invocation cmd, boolean maximum) {
        exclusive(cmd, "current", "live");
        exclusive(cmd, "current", "config");
        boolean config = cmd.bool("config");
        boolean live = cmd.bool("live");
        boolean current = cmd.bool("current");
        EnumSet<MemoryFlag> flags = EnumSet.noneOf(MemoryFlag.class);
        if (!maximum && !config && !live && !current) {
            flags.add(MemoryFlag.LIVE);
        }
        if (config) {
            flags.add(MemoryFlag.CONFIG);
        }
        if (live) {
            flags.add(MemoryFlag.LIVE);
        }
        Domain dom = s.domain(cmd);
        long bytes = cmd.scaled("size", 1024);
        long kib = (bytes + 1023) / 1024;
        if (maximum) {
            flags.add(MemoryFlag.MAXIMUM);
            try {
                dom.setMemory(kib, flags);
            } catch (VirtException e) {
                throw Session.fail(e, "Unable to change MaxMemorySize");
            }
        } else {
            dom.setMemory(kib, flags);
        }
        return true;
    }

    private static boolean setvcpus(Session s, Invocation cmd) {
        exclusive(cmd, "current", "live");
        exclusive(cmd, "current", "config");
        exclusive(cmd, "guest", "config");
        if (cmd.bool("maximum") && !cmd.bool("config")) {
            throw Session.fail("Option --config is required by option --maximum");
        }
        EnumSet<VcpuFlag> flags = EnumSet.noneOf(VcpuFlag.class);
        String[][] map = {{"config", "CONFIG"}, {"live", "LIVE"}, {"guest", "GUEST"}, {"maximum", "MAXIMUM"},
            {"hotpluggable", "HOTPLUGGABLE"}};
        for (String[] m : map) {
            if (cmd.bool(m[0])) {
                flags.add(VcpuFlag.valueOf(m[1]));
            }
        }
        Domain dom = s.domain(cmd);
        long count = cmd.unsigned("count", 0, 0xffffffffL);
        if (count == 0) {
            throw Session.fail("Can't set 0 processors for a VM");
        }
        if (flags.isEmpty() && !cmd.bool("current")) {
            dom.setVcpus((int) count);
        } else {
            dom.setVcpus((int) count, flags);
        }
        return true;
    }

    /** The host's CPU count as virsh takes it: from the CPU map, else from node info. */
    static int hostCpus(Session s) {
        try {
            return s.conn().getCPUMap().cpus();
        } catch (org.jvirt.api.VirtException e) {
            return s.conn().nodeInfo().cpus();
        }
    }

    private static boolean vcpuinfo(Session s, Invocation cmd) {
        boolean pretty = cmd.bool("pretty");
        Domain dom = s.domain(cmd);
        int maxcpu = hostCpus(s);
        DomainInfo info = dom.getInfo();
        List<VcpuInfo> vcpus;
        try {
            vcpus = dom.getVcpus();
        } catch (VirtException e) {
            if (info.state() != DomainState.SHUTOFF) {
                throw e;
            }
            BitSet all = new BitSet();
            all.set(0, maxcpu);
            for (int n = 0; n < info.vcpus(); n++) {
                s.printf("%-15s %d\n", "VCPU:", n);
                s.printf("%-15s %s\n", "CPU:", "N/A");
                s.printf("%-15s %s\n", "State:", "N/A");
                s.printf("%-15s %s\n", "CPU time", "N/A");
                affinity(s, all, maxcpu, pretty);
                if (n < info.vcpus() - 1) {
                    s.print("\n");
                }
            }
            return true;
        }
        for (int n = 0; n < vcpus.size(); n++) {
            VcpuInfo v = vcpus.get(n);
            s.printf("%-15s %d\n", "VCPU:", v.number());
            s.printf("%-15s %d\n", "CPU:", v.cpu());
            s.printf("%-15s %s\n", "State:", v.stateLabel());
            if (v.cpuTimeNs() != 0) {
                s.printf("%-15s %ss\n", "CPU time:", Util.seconds(v.cpuTimeNs()));
            }
            affinity(s, v.affinity(), maxcpu, pretty);
            if (n < vcpus.size() - 1) {
                s.print("\n");
            }
        }
        return true;
    }

    private static void affinity(Session s, BitSet map, int maxcpu, boolean pretty) {
        StringBuilder b = new StringBuilder(String.format("%-15s ", "CPU Affinity:"));
        if (pretty) {
            BitSet m = (BitSet) map.clone();
            if (m.length() > maxcpu) {
                m.clear(maxcpu, m.length());
            }
            b.append(Util.cpuRanges(m)).append(" (out of ").append(maxcpu).append(')');
        } else {
            for (int i = 0; i < maxcpu; i++) {
                b.append(map.get(i) ? 'y' : '-');
            }
        }
        s.print(b.append('\n').toString());
    }

    private static boolean schedinfo(Session s, Invocation cmd) {
        exclusive(cmd, "current", "live");
        exclusive(cmd, "current", "config");
        Domain dom = s.domain(cmd);
        String type;
        try {
            type = dom.getSchedulerType();
        } catch (VirtException e) {
            s.printf("%-15s: %s\n", "Scheduler", "Unknown");
            throw new CommandFailed(null, e);
        }
        s.printf("%-15s: %s\n", "Scheduler", type);
        List<TypedParameter> params = dom.getSchedulerParameters();
        if (params.isEmpty()) {
            return true;
        }
        List<TypedParameter> updates = new java.util.ArrayList<>();
        for (String set : cmd.argv("set")) {
            int eq = set.indexOf('=');
            if (eq < 0) {
                throw Session.fail("Invalid syntax for --set, expecting name=value");
            }
            updates.add(update(params, set.substring(0, eq), set.substring(eq + 1)));
        }
        for (String field : new String[] {"cap", "weight"}) {
            if (cmd.has(field)) {
                updates.add(update(params, field, cmd.raw(field)));
            }
        }
        if (!updates.isEmpty()) {
            dom.setSchedulerParameters(updates);
            params = dom.getSchedulerParameters();
        } else if (cmd.bool("live") && cmd.bool("config")) {
            throw Session.fail("cannot query both live and config at once");
        }
        for (TypedParameter p : params) {
            s.printf("%-15s: %s\n", p.name(), p.valueText());
        }
        return true;
    }

    private static TypedParameter update(List<TypedParameter> params, String field, String value) {
        for (TypedParameter p : params) {
            if (!p.name().equals(field)) {
                continue;
            }
            try {
                Object v = switch (p.type()) {
                    case INT -> Integer.parseInt(value);
                    case UINT -> Integer.parseUnsignedInt(value);
                    case LLONG -> Long.parseLong(value);
                    case ULLONG -> Long.parseUnsignedLong(value);
                    case DOUBLE -> Double.parseDouble(value);
                    case BOOLEAN -> value.equals("1") || value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("true");
                    case STRING -> value;
                };
                return new TypedParameter(field, p.type(), v);
            } catch (NumberFormatException e) {
                throw Session.fail("invalid value of '%s' for parameter '%s' of type '%s'", value, field,
                        p.type().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        throw Session.fail("invalid scheduler option: %s", field);
    }

    /** Compiled on first use, so that startup does not load the regex engine. */
    private static final class ConsoleTty {
        static final java.util.regex.Pattern PATTERN =
                java.util.regex.Pattern.compile("<console\\b[^>]*\\btty=['\"]([^'\"]*)['\"]");
    }

    private static boolean ttyconsole(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        java.util.regex.Matcher m = ConsoleTty.PATTERN.matcher(dom.getXMLDesc(Set.of()));
        if (!m.find()) {
            return false;
        }
        s.print(Util.unescape(m.group(1)) + "\n");
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
            case "attach-device": {
                return device(s, cmd, true);
            }
            case "autostart": {
                return autostart(s, cmd);
            }
            case "console": {
                return console(s, cmd);
            }
            case "create": {
                return create(s, cmd);
            }
            case "define": {
                return define(s, cmd);
            }
            case "domxml-from-native": {
                return domxmlFromNative(s, cmd);
            }
            case "domxml-to-native": {
                return domxmlToNative(s, cmd);
            }
            case "destroy": {
                return simple(s, cmd, Domain::destroy, "Domain '%s' destroyed\n",
                "Failed to destroy domain '%s'");
            }
            case "detach-device": {
                return device(s, cmd, false);
            }
            case "dump": {
                return dump(s, cmd);
            }
            case "dumpxml": {
                return dumpxml(s, cmd);
            }
            case "migrate": {
                return migrate(s, cmd);
            }
            case "reboot": {
                return simple(s, cmd, Domain::reboot, "Domain '%s' is being rebooted\n",
                "Failed to reboot domain '%s'");
            }
            case "restore": {
                return restore(s, cmd);
            }
            case "resume": {
                return simple(s, cmd, Domain::resume, "Domain '%s' resumed\n",
                "Failed to resume domain '%s'");
            }
            case "save": {
                return save(s, cmd);
            }
            case "schedinfo": {
                return schedinfo(s, cmd);
            }
            case "setmaxmem": {
                return setmem(s, cmd, true);
            }
            case "setmem": {
                return setmem(s, cmd, false);
            }
            case "setvcpus": {
                return setvcpus(s, cmd);
            }
            case "shutdown": {
                return simple(s, cmd, Domain::shutdown, "Domain '%s' is being shutdown\n",
                "Failed to shutdown domain '%s'");
            }
            case "start": {
                return start(s, cmd);
            }
            case "suspend": {
                return simple(s, cmd, Domain::suspend, "Domain '%s' suspended\n",
                "Failed to suspend domain '%s'");
            }
            case "ttyconsole": {
                return ttyconsole(s, cmd);
            }
            case "undefine": {
                return undefine(s, cmd);
            }
            case "vcpuinfo": {
                return vcpuinfo(s, cmd);
            }
            default:
                throw new IllegalStateException("no handler for " + cmd.def().name());
        }
    }
}
