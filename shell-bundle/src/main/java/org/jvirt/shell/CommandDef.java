package org.jvirt.shell;

import java.util.List;

/**
 * A jvirsh command: its virsh name, options and help, and what it does (libvirt's vshCmdDef).
 * Commands write only to the {@link Session}'s streams, so they work the same from the CLI and from Gogo.
 *
 * @param name      the command name
 * @param group     the help group it is listed under
 * @param help      one-line help
 * @param desc      longer description, or empty
 * @param opts      options, in virsh order (required positional ones first)
 * @param noConnect whether it runs without a connection
 * @param handler   what it does
 */
public record CommandDef(String name, Group group, String help, String desc, List<Opt> opts, boolean noConnect,
        Handler handler) {

    /** Runs a parsed command; returns false on failure (after printing why). */
    @FunctionalInterface
    public interface Handler {
        boolean run(Session session, Invocation cmd);
    }

    /** Help groups, as virsh's command groups. */
    public enum Group {
        DOMAIN("Domain Management", "domain"),
        MONITOR("Domain Monitoring", "monitor"),
        HOST("Host and Hypervisor", "host"),
        NETWORK("Networking", "network"),
        VIRSH("Virsh itself", "virsh"),
        JVIRT("jvirt", "jvirt");

        private final String title;
        private final String keyword;

        Group(String title, String keyword) {
            this.title = title;
            this.keyword = keyword;
        }

        public String title() {
            return title;
        }

        public String keyword() {
            return keyword;
        }
    }

    public CommandDef {
        opts = List.copyOf(opts);
    }

    /** A command that needs a connection. */
    public static CommandDef of(String name, Group group, String help, String desc, Handler handler, Opt... opts) {
        return new CommandDef(name, group, help, desc, List.of(opts), false, handler);
    }

    /** A command that runs without a connection. */
    public static CommandDef local(String name, Group group, String help, String desc, Handler handler,
            Opt... opts) {
        return new CommandDef(name, group, help, desc, List.of(opts), true, handler);
    }

    /** The option of that exact name, or null. */
    public Opt opt(String optName) {
        for (Opt o : opts) {
            if (o.name().equals(optName)) {
                return o;
            }
        }
        return null;
    }
}
