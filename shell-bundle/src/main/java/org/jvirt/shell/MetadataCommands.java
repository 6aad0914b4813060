package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.DOMAIN;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jvirt.api.Domain;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.MetadataType;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VirtException;

/** desc and metadata (virsh-domain.c): a domain's description, title and custom XML metadata. */
final class MetadataCommands {
    private static final Opt DOMAIN_OPT = DomainCommands.DOMAIN_OPT;

    private MetadataCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.of("desc", DOMAIN, "show or set domain's description or title",
                "Allows setting or modifying the description or title of a domain.", HANDLER,
                DOMAIN_OPT, DomainCommands.LIVE, DomainCommands.CONFIG, DomainCommands.CURRENT,
                Opt.bool("title", "modify/get the title instead of description"),
                Opt.bool("edit", "open an editor to modify the description"),
                Opt.argv("new-desc", "message")));
        c.add(CommandDef.of("metadata", DOMAIN, "show or set domain's custom XML metadata",
                "Shows or modifies the XML metadata of a domain.", HANDLER,
                DOMAIN_OPT, Opt.data("uri", "URI of the namespace"), DomainCommands.LIVE, DomainCommands.CONFIG,
                DomainCommands.CURRENT, Opt.bool("edit", "use an editor to change the metadata"),
                Opt.string("key", "key to be used as a namespace identifier"),
                Opt.string("set", "new metadata to set"),
                Opt.bool("remove", "remove the metadata corresponding to an uri")));
    }

    private static Set<ModifyFlag> modifyFlags(Invocation cmd) {
        DomainCommands.exclusive(cmd, "current", "live");
        DomainCommands.exclusive(cmd, "current", "config");
        Set<ModifyFlag> flags = EnumSet.noneOf(ModifyFlag.class);
        if (cmd.bool("config")) {
            flags.add(ModifyFlag.CONFIG);
        }
        if (cmd.bool("live")) {
            flags.add(ModifyFlag.LIVE);
        }
        return flags;
    }

    private static boolean desc(Session s, Invocation cmd) {
        Set<ModifyFlag> flags = modifyFlags(cmd);
        // virsh reads with its XML flags: --config asks the inactive definition, --live nothing special
        Set<ModifyFlag> queryFlags = cmd.bool("config") ? EnumSet.of(ModifyFlag.CONFIG) : EnumSet.noneOf(ModifyFlag.class);
        Domain dom = s.domain(cmd);
        MonitorCommands.state(dom);
        boolean title = cmd.bool("title");
        MetadataType type = title ? MetadataType.TITLE : MetadataType.DESCRIPTION;
        if (cmd.bool("edit")) {
            throw Session.fail("jvirsh: desc --edit is not supported yet");
        }
        List<String> words = cmd.argv("new-desc");
        if (!words.isEmpty()) {
            description(dom, type, queryFlags); // virsh reads the current one first
            try {
                dom.setMetadata(type, String.join(" ", words).strip(), null, null, flags);
            } catch (VirtException e) {
                throw Session.fail(e, title ? "Failed to set new domain title" : "Failed to set new domain description");
            }
            s.printExtra(title ? "Domain title updated successfully" : "Domain description updated successfully");
            return true;
        }
        String text = description(dom, type, queryFlags);
        if (!text.isEmpty()) {
            s.print(text);
        } else {
            s.printfExtra(title ? "No title for domain: %s" : "No description for domain: %s", dom.getName());
        }
        return true;
    }

    /** virsh's virshGetDomainDescription: the text, empty when there is none. */
    private static String description(Domain dom, MetadataType type, Set<ModifyFlag> flags) {
        try {
            return dom.getMetadata(type, null, flags);
        } catch (VirtException e) {
            if (e.code() == ErrorCode.NO_DOMAIN_METADATA) {
                return "";
            }
            throw e;
        }
    }

    private static boolean metadata(Session s, Invocation cmd) {
        Set<ModifyFlag> flags = modifyFlags(cmd);
        DomainCommands.exclusive(cmd, "edit", "set");
        DomainCommands.exclusive(cmd, "remove", "set");
        DomainCommands.exclusive(cmd, "remove", "edit");
        Domain dom = s.domain(cmd);
        String uri = cmd.string("uri");
        String key = cmd.string("key");
        String set = cmd.string("set");
        boolean remove = cmd.bool("remove");
        if ((set != null || cmd.bool("edit")) && key == null) {
            throw Session.fail("namespace key is required when modifying metadata");
        }
        if (cmd.bool("edit")) {
            throw Session.fail("jvirsh: metadata --edit is not supported yet");
        }
        if (set != null || remove) {
            dom.setMetadata(MetadataType.ELEMENT, set, key, uri, flags);
            s.printExtra(remove ? "Metadata removed\n" : "Metadata modified\n");
            return true;
        }
        s.print(dom.getMetadata(MetadataType.ELEMENT, uri, flags) + "\n");
        return true;
    }

    /** One handler for the group, dispatching by name. */
    static final CommandDef.Handler HANDLER = new CommandDef.Handler() {
        @Override
        public boolean run(Session s, Invocation cmd) {
            return switch (cmd.def().name()) {
                case "desc" -> desc(s, cmd);
                case "metadata" -> metadata(s, cmd);
                default -> throw new IllegalStateException("no handler for " + cmd.def().name());
            };
        }
    };
}
