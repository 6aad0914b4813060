package org.jvirt.shell;

import static org.jvirt.shell.CommandDef.Group.JVIRT;
import static org.jvirt.shell.CommandDef.Group.VIRSH;

import java.util.List;

/** Commands about the shell itself (vsh.c, virsh.c) and jvirt's own commands. */
final class ShellCommands {

    private ShellCommands() {
    }

    static void register(Commands c) {
        c.add(CommandDef.local("exit", VIRSH, "quit this interactive terminal", "", HANDLER));
        c.add(CommandDef.local("help", VIRSH, "print help",
                "Prints global help, command specific help, or help for a\n    group of related commands", HANDLER, Opt.string("command", "Prints global help, command specific help, or help "
                        + "for a group of related commands")));
        c.add(CommandDef.local("quit", VIRSH, "quit this interactive terminal", "", HANDLER));
        c.add(CommandDef.local("connect", VIRSH, "(re)connect to hypervisor",
                "Connect to local hypervisor. This is built-in command after shell start up.", HANDLER, Opt.stringEmptyOk("name", "hypervisor connection URI"),
                Opt.bool("readonly", "read-only connection")));
        c.add(CommandDef.local("drivers", JVIRT, "list connection drivers",
                "Lists the active drivers with their URI schemes and ranking, and the drivers that were "
                        + "rejected, with the reason.", HANDLER));
    }

    private static boolean quit(Session s, Invocation cmd) {
        s.requestExit();
        return true;
    }

    private static boolean help(Session s, Invocation cmd) {
        String name = cmd.raw("command");
        Commands commands = s.commands();
        if (name == null || name.isEmpty()) {
            StringBuilder b = new StringBuilder("Grouped commands:\n\n");
            for (CommandDef.Group g : CommandDef.Group.values()) {
                List<CommandDef> defs = commands.group(g);
                if (defs.isEmpty()) {
                    continue;
                }
                groupHelp(b, g, defs);
                b.append('\n');
            }
            s.print(b.toString());
            return true;
        }
        CommandDef def = commands.find(name);
        if (def != null) {
            s.print(commandHelp(def));
            return true;
        }
        CommandDef.Group g = commands.findGroup(name);
        if (g != null) {
            StringBuilder b = new StringBuilder();
            groupHelp(b, g, commands.group(g));
            s.print(b.toString());
            return true;
        }
        throw Session.fail("command or command group '%s' doesn't exist", name);
    }

    static void groupHelp(StringBuilder b, CommandDef.Group g, List<CommandDef> defs) {
        b.append(' ').append(g.title()).append(" (help keyword '").append(g.keyword()).append("'):\n");
        for (CommandDef d : defs) {
            b.append(String.format("    %-30s %s%n", d.name(), d.help()).replace(System.lineSeparator(), "\n"));
        }
    }

    /** A command's help page, laid out as virsh's vshCmddefHelp. */
    static String commandHelp(CommandDef def) {
        StringBuilder b = new StringBuilder();
        b.append("  NAME\n    ").append(def.name()).append(" - ").append(def.help()).append('\n');
        b.append("\n  SYNOPSIS\n    ").append(def.name());
        boolean shortopt = false;
        for (Opt o : def.opts()) {
            String text;
            switch (o.type()) {
                case BOOL -> text = "[--" + o.name() + "]";
                case INT -> {
                    text = o.required() ? "<" + o.name() + ">" : "[--" + o.name() + " <number>]";
                    shortopt |= !o.namedOnly();
                }
                case STRING -> {
                    text = "[--" + o.name() + " <string>]";
                    shortopt |= !o.namedOnly();
                }
                case DATA -> {
                    text = o.required() ? "<" + o.name() + ">" : "[<" + o.name() + ">]";
                    shortopt |= !o.namedOnly();
                }
                case ARGV -> text = shortopt
                        ? (o.required() ? "{[--" + o.name() + "] <string>}..." : "[[--" + o.name() + "] <string>]...")
                        : (o.required() ? "<" + o.name() + ">..." : "[<" + o.name() + ">]...");
                default -> text = null;
            }
            if (text != null) {
                b.append(' ').append(text);
            }
        }
        b.append('\n');
        if (!def.desc().isEmpty()) {
            b.append("\n  DESCRIPTION\n    ").append(def.desc()).append('\n');
        }
        if (!def.opts().isEmpty()) {
            b.append("\n  OPTIONS\n");
            for (Opt o : def.opts()) {
                String text;
                switch (o.type()) {
                    case BOOL -> text = "--" + o.name();
                    case INT -> text = o.required() ? "[--" + o.name() + "] <number>" : "--" + o.name() + " <number>";
                    case STRING -> text = "--" + o.name() + " <string>";
                    case DATA -> text = "[--" + o.name() + "] <string>";
                    case ARGV -> text = shortopt ? "[--" + o.name() + "] <string>" : "<" + o.name() + ">";
                    default -> text = null;
                }
                if (text != null) {
                    b.append(String.format("    %-15s  %s", text, o.help())).append('\n');
                }
            }
        }
        b.append('\n');
        return b.toString();
    }

    private static boolean drivers(Session s, Invocation cmd) {
        DriverListing.print(s);
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
            case "exit": {
                return quit(s, cmd);
            }
            case "help": {
                return help(s, cmd);
            }
            case "quit": {
                return quit(s, cmd);
            }
            case "connect": {
                s.connect(cmd.string("name"), cmd.bool("readonly"));
                return true;
            }
            case "drivers": {
                return drivers(s, cmd);
            }
            default:
                throw new IllegalStateException("no handler for " + cmd.def().name());
        }
    }
}
