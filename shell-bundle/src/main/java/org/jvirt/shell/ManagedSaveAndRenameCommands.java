package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.DOMAIN;

import java.util.EnumSet;
import java.util.Set;

import org.jvirt.api.Domain;
import org.jvirt.api.SaveFlag;
import org.jvirt.api.VirtException;

/** managedsave, managedsave-remove and domrename (virsh-domain.c), printed as virsh 9.0 prints them. */
final class ManagedSaveAndRenameCommands {
    private static final Opt DOMAIN_OPT = DomainCommands.DOMAIN_OPT;

    private ManagedSaveAndRenameCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("managedsave", DOMAIN, "managed save of a domain state",
                "Save and destroy a running domain, so it can be restarted from\n"
                        + "    the same state at a later time.  When the virsh 'start'\n"
                        + "    command is next run for the domain, it will automatically\n"
                        + "    be started from this saved state.", HANDLER,
                DOMAIN_OPT, Opt.bool("bypass-cache", "avoid file system cache when saving"),
                Opt.bool("running", "set domain to be running on next start"),
                Opt.bool("paused", "set domain to be paused on next start"),
                Opt.bool("verbose", "display the progress of save")));
        c.add(CommandDef.of("managedsave-remove", DOMAIN, "Remove managed save of a domain",
                "Remove an existing managed save state file from a domain", HANDLER, DOMAIN_OPT));
        c.add(CommandDef.of("domrename", DOMAIN, "rename a domain", "Rename an inactive domain.", HANDLER,
                DOMAIN_OPT, Opt.data("new-name", "new domain name")));
    }

    private static boolean managedsave(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        Set<SaveFlag> flags = EnumSet.noneOf(SaveFlag.class);
        if (cmd.bool("bypass-cache")) {
            flags.add(SaveFlag.BYPASS_CACHE);
        }
        if (cmd.bool("running")) {
            flags.add(SaveFlag.RUNNING);
        }
        if (cmd.bool("paused")) {
            flags.add(SaveFlag.PAUSED);
        }
        try {
            dom.managedSave(flags);
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to save domain '%s' state", name);
        }
        s.printfExtra("\nDomain '%s' state saved by libvirt\n", name);
        return true;
    }

    private static boolean managedsaveRemove(Session s, Invocation cmd) {
        String name = cmd.string("domain");
        Domain dom = s.domain(cmd);
        boolean hasSave;
        try {
            hasSave = dom.hasManagedSaveImage();
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to check for domain managed save image");
        }
        if (!hasSave) {
            s.printfExtra("Domain '%s' has no manage save image; removal skipped", name);
            return true;
        }
        try {
            dom.managedSaveRemove();
        } catch (VirtException e) {
            throw Session.fail(e, "Failed to remove managed save image for domain '%s'", name);
        }
        s.printfExtra("Removed managedsave image for domain '%s'", name);
        return true;
    }

    private static boolean domrename(Session s, Invocation cmd) {
        Domain dom = s.domain(cmd);
        dom.rename(cmd.string("new-name"));
        s.printExtra("Domain successfully renamed\n");
        return true;
    }

    /** One handler for the group, dispatching by name. */
    static final CommandDef.Handler HANDLER = new CommandDef.Handler() {
        @Override
        public boolean run(Session s, Invocation cmd) {
            return switch (cmd.def().name()) {
                case "managedsave" -> managedsave(s, cmd);
                case "managedsave-remove" -> managedsaveRemove(s, cmd);
                case "domrename" -> domrename(s, cmd);
                default -> throw new IllegalStateException("no handler for " + cmd.def().name());
            };
        }
    };
}
