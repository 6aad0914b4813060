package org.jvirt.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.Network;
import org.jvirt.api.OpenFlag;
import org.jvirt.api.VirtException;

/**
 * The state jvirsh commands run against (libvirt's vshControl): the connection, opened lazily, the
 * read-only and quiet flags, and the output streams. It never touches System.out or System.exit, so the
 * same commands serve the CLI and an OSGi shell.
 */
public final class Session implements AutoCloseable {

    /** Lookup modes for {@link #domain}, as virsh's VIRSH_BYID, VIRSH_BYUUID and VIRSH_BYNAME. */
    public static final int BY_ID = 1;
    public static final int BY_UUID = 2;
    public static final int BY_NAME = 4;
    public static final int BY_ANY = BY_ID | BY_UUID | BY_NAME;

    private final Commands commands;
    private final CommandParser parser;
    private final PrintStream out;
    private final PrintStream err;
    private String uri;
    private boolean readOnly;
    private boolean quiet;
    private Connect conn;
    private boolean exitRequested;
    private Opener opener = DEFAULT_OPENER;
    /** The terminal console runs on; null when there is none (found on first use from {@link #stdin}). */
    private ConsoleTerminal terminal;
    /** The process's standard input, when the session reads it: its terminal is looked for when needed. */
    private java.io.InputStream stdin;
    /** The console's escape sequence (virsh's -e): "^]", "^X" or one character. */
    private String escape = "^]";

    /** Opens connections; replaceable for tests and for embedding. */
    @FunctionalInterface
    public interface Opener {
        Connect open(String uri, boolean readOnly);
    }

    public Session(PrintStream out, PrintStream err) {
        this(Commands.standard(), out, err);
    }

    public Session(Commands commands, PrintStream out, PrintStream err) {
        this.commands = commands;
        this.parser = new CommandParser(commands);
        this.out = out;
        this.err = err;
    }

    /** Opens through the API; a plain class, so that a one-shot jvirsh links no lambda at startup. */
    private static final Opener DEFAULT_OPENER = new Opener() {
        @Override
        public Connect open(String uri, boolean readOnly) {
            return Connect.open(uri, null, readOnly ? Set.of(OpenFlag.READ_ONLY) : Set.of());
        }
    };

    // ---- settings ------------------------------------------------------------------------------------

    public Commands commands() {
        return commands;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** The URI to connect to; null means the default (Connect.open(null)). */
    public String uri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    public boolean isQuiet() {
        return quiet;
    }

    public void setQuiet(boolean quiet) {
        this.quiet = quiet;
    }

    public void setOpener(Opener opener) {
        this.opener = opener;
    }

    /** The terminal to run a console on, or null when standard input is no terminal. */
    ConsoleTerminal terminal() {
        if (terminal == null && stdin != null) {
            terminal = SttyTerminal.ofStdin(stdin, out);
            stdin = null;
        }
        return terminal;
    }

    /** Standard input is this process's: a console may run on its terminal. */
    void setStdin(java.io.InputStream in) {
        this.stdin = in;
    }

    void setTerminal(ConsoleTerminal terminal) {
        this.terminal = terminal;
    }

    String escape() {
        return escape;
    }

    void setEscape(String escape) {
        this.escape = escape;
    }

    /** Whether quit or exit ran. */
    public boolean exitRequested() {
        return exitRequested;
    }

    void requestExit() {
        exitRequested = true;
    }

    // ---- the connection -----------------------------------------------------------------------------

    /** Whether a connection is open. */
    public boolean isConnected() {
        return conn != null;
    }

    /** The connection, opened on first use; fails as virsh does when it can't be opened. */
    public Connect conn() {
        if (conn == null) {
            connect(uri, readOnly);
        }
        return conn;
    }

    /** (Re)connects, replacing any open connection (virsh's virshReconnect). */
    public void connect(String newUri, boolean ro) {
        close();
        try {
            conn = opener.open(newUri, ro);
        } catch (VirtException e) {
            throw new CommandFailed("failed to connect to the hypervisor", e);
        } catch (RuntimeException e) {
            throw new CommandFailed("failed to connect to the hypervisor", unexpected(e));
        }
        uri = newUri;
        readOnly = ro;
    }

    @Override
    public void close() {
        Connect c = conn;
        conn = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                error("Failed to disconnect from the hypervisor");
            }
        }
    }

    // ---- running commands ------------------------------------------------------------------------------

    /** Parses and runs a command string ("list; dominfo 1"); returns the last command's success. */
    public boolean execute(String line) {
        List<Invocation> cmds;
        try {
            cmds = parser.parse(line);
        } catch (CommandParser.ParseError e) {
            error(e.getMessage());
            return false;
        }
        return run(cmds);
    }

    /** Parses and runs one command given as words, as on a command line. */
    public boolean execute(List<String> argv) {
        List<Invocation> cmds;
        try {
            cmds = parser.parse(argv);
        } catch (CommandParser.ParseError e) {
            error(e.getMessage());
            return false;
        }
        return run(cmds);
    }

    public CommandParser parser() {
        return parser;
    }

    /** Runs parsed commands in turn (virsh's vshCommandRun); returns the last one's success. */
    public boolean run(List<Invocation> cmds) {
        boolean ok = true;
        for (Invocation cmd : cmds) {
            ok = runOne(cmd);
            if (cmd.def().name().equals("quit") || cmd.def().name().equals("exit")) {
                out.flush();
                return ok;
            }
            printExtra("\n");
            out.flush();
        }
        return ok;
    }

    private boolean runOne(Invocation cmd) {
        try {
            if (!cmd.def().noConnect()) {
                conn();
            }
            return cmd.def().handler().run(this, cmd);
        } catch (CommandFailed e) {
            if (e.getMessage() != null) {
                error(e.getMessage());
            }
            if (e.getCause() != null) {
                error(e.getCause().getMessage());
            }
        } catch (VirtException e) {
            error(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            error(unexpected(e).getMessage());
        }
        return false;
    }

    private static RuntimeException unexpected(Throwable e) {
        String msg = e.getMessage();
        return new RuntimeException(msg == null || msg.isEmpty() ? e.getClass().getName()
                : e.getClass().getSimpleName() + ": " + msg);
    }

    // ---- output --------------------------------------------------------------------------------------

    /** Prints to the output (virsh's vshPrint). */
    public void print(String s) {
        out.print(s);
    }

    public void printf(String format, Object... args) {
        out.print(String.format(java.util.Locale.ROOT, format, args));
    }

    /** Prints unless quiet (virsh's vshPrintExtra). */
    public void printExtra(String s) {
        if (!quiet) {
            out.print(s);
        }
    }

    public void printfExtra(String format, Object... args) {
        if (!quiet) {
            printf(format, args);
        }
    }

    /** Prints "error: message" to the error stream (virsh's vshError). */
    public void error(String message) {
        out.flush();
        err.print("error: " + message + "\n");
        err.flush();
    }

    /** A failure with virsh's message, followed by the cause's message. */
    public static CommandFailed fail(RuntimeException cause, String format, Object... args) {
        return new CommandFailed(String.format(java.util.Locale.ROOT, format, args), cause);
    }

    public static CommandFailed fail(String format, Object... args) {
        return new CommandFailed(String.format(java.util.Locale.ROOT, format, args), null);
    }

    // ---- lookups -------------------------------------------------------------------------------------

    /** The domain named by the "domain" option, by id, UUID or name (virsh's virshCommandOptDomain). */
    public Domain domain(Invocation cmd) {
        return domain(cmd, "domain", BY_ANY);
    }

    public Domain domain(Invocation cmd, String optName, int by) {
        return lookupDomain(cmd.string(optName), by);
    }

    /** Looks a domain up by id, UUID or name as the mode allows; fails with "failed to get domain". */
    public Domain lookupDomain(String name, int by) {
        Connect c = conn();
        Domain dom = null;
        if ((by & BY_ID) != 0) {
            try {
                int id = Integer.parseInt(name);
                if (id >= 0) {
                    dom = c.lookupById(id);
                }
            } catch (NumberFormatException | VirtException e) {
                // not an id
            }
        }
        if (dom == null && (by & BY_UUID) != 0 && name.length() == 36) {
            try {
                dom = c.lookupByUUIDString(name);
            } catch (VirtException e) {
                // not a UUID
            }
        }
        if (dom == null && (by & BY_NAME) != 0) {
            try {
                dom = c.lookupByName(name);
            } catch (VirtException e) {
                // not a name
            }
        }
        if (dom == null) {
            // virsh resets libvirt's error here, so only its own message is printed
            throw new CommandFailed("failed to get domain '" + name + "'");
        }
        return dom;
    }

    /** The network named by the "network" option, by UUID or name (virsh's virshCommandOptNetwork). */
    public Network network(Invocation cmd) {
        return network(cmd, BY_UUID | BY_NAME);
    }

    public Network network(Invocation cmd, int by) {
        String name = cmd.string("network");
        Connect c = conn();
        Network net = null;
        VirtException last = null;
        if ((by & BY_UUID) != 0 && name.length() == 36) {
            try {
                net = c.networkLookupByUUIDString(name);
            } catch (VirtException e) {
                last = e;
            }
        }
        if (net == null && (by & BY_NAME) != 0) {
            try {
                net = c.networkLookupByName(name);
            } catch (VirtException e) {
                last = e;
            }
        }
        if (net == null) {
            throw new CommandFailed("failed to get network '" + name + "'", last);
        }
        return net;
    }
}
