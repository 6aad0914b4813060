package org.jvirt.shell;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.api.Connect;

/**
 * jvirsh, a virsh-compatible command line: {@code jvirsh [options]... [<command_string>]} or
 * {@code jvirsh [options]... <command> [args...]}; with no command, an interactive shell.
 */
public final class Jvirsh {

    /** What the global options asked for. */
    static final class Options {
        String uri;
        boolean readOnly;
        boolean quiet;
        boolean timing;
        /** The console's escape sequence (-e). */
        String escape = "^]";
        List<String> command = new ArrayList<>();
        /** Set when the options themselves decided the outcome (help, version, error). */
        Integer exit;
    }

    private static final String[][] LONG = {
        // name, short letter, takes argument: "1" required, "0" none, "?" optional
        {"connect", "c", "1"}, {"debug", "d", "1"}, {"escape", "e", "1"}, {"help", "h", "0"},
        {"keepalive-interval", "k", "1"}, {"keepalive-count", "K", "1"}, {"log", "l", "1"},
        {"quiet", "q", "0"}, {"readonly", "r", "0"}, {"timing", "t", "0"}, {"version", "v", "?"},
    };
    private static final String SHORT_WITH_ARG = "cdekKl";
    private static final String SHORT_NO_ARG = "hqrtvV";

    private Jvirsh() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--cds-warmup")) {
            cdsWarmup();
            return;
        }
        Charset cs = Charset.defaultCharset();
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 8192),
                false, cs);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, cs);
        int rc = run(args, out, err, System.in);
        out.flush();
        err.flush();
        System.exit(rc);
    }

    /** Classes of the paths a one-shot jvirsh takes besides test:///default: the daemon's client. */
    private static final String[] WARM_CLASSES = {
        "org.jvirt.remote.internal.client.RemoteDriver", "org.jvirt.remote.internal.client.RemoteConnection",
        "org.jvirt.remote.internal.client.RpcClient", "org.jvirt.remote.internal.client.SessionDaemon",
        "org.jvirt.remote.internal.rpc.RemoteProcedures", "org.jvirt.remote.internal.rpc.PacketStream",
        "org.jvirt.remote.internal.rpc.RpcErrors", "org.jvirt.remote.internal.transport.ClientTransport",
        "org.jvirt.remote.internal.transport.ChannelStreams"};

    /**
     * The launcher's class-data-sharing run (bin scripts record the archive with it once after a build): a
     * test:///default listing, and the remote client's classes, so that commands through jvirtd start as fast.
     */
    private static void cdsWarmup() {
        PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream());
        run(new String[] {"-c", "test:///default", "list", "--all"}, sink, sink, InputStream.nullInputStream());
        // the daemon's client: a connection attempt to a socket nobody serves loads the channel classes, the
        // procedure table's method lookup and the executors its reader, events and keepalive run on
        run(new String[] {"-c", "test+unix:///default?socket=/nonexistent/jvirsh-cds-warmup", "list"}, sink, sink,
                InputStream.nullInputStream());
        org.jvirt.spi.Procedure.CONNECT_GET_TYPE.method();
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor().shutdownNow();
        java.util.concurrent.Executors.newSingleThreadExecutor().shutdownNow();
        new java.util.concurrent.CompletableFuture<Void>().complete(null);
        for (String c : WARM_CLASSES) {
            try {
                Class.forName(c, true, Jvirsh.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError absent) {
                // not on this class path
            }
        }
    }

    /** Runs jvirsh with the given arguments and streams; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        Options o = parseOptions(args, out, err);
        if (o.exit != null) {
            return o.exit;
        }
        try (Session s = new Session(out, err)) {
            s.setQuiet(o.quiet);
            s.setReadOnly(o.readOnly);
            s.setEscape(o.escape);
            if (in == System.in) {
                s.setStdin(in);
            }
            if (o.uri != null) {
                // a named connection must work at once, as in virsh
                s.setUri(o.uri);
                try {
                    s.connect(o.uri, o.readOnly);
                } catch (CommandFailed e) {
                    s.error(e.getMessage());
                    if (e.getCause() != null) {
                        s.error(e.getCause().getMessage());
                    }
                    return 1;
                }
            } else {
                String env = System.getenv("VIRSH_DEFAULT_CONNECT_URI");
                s.setUri(env == null || env.isEmpty() ? null : env);
            }
            if (o.command.isEmpty()) {
                Interactive.run(s, in);
                out.flush();
                return 0;
            }
            boolean ok = o.command.size() == 1 ? s.execute(o.command.get(0)) : s.execute(o.command);
            out.flush();
            return ok ? 0 : 1;
        } catch (RuntimeException | LinkageError e) {
            out.flush();
            err.print("error: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()) + "\n");
            err.flush();
            return 1;
        }
    }

    /** Parses the global options, stopping at the first word that isn't one (getopt's "+" mode). */
    static Options parseOptions(String[] args, PrintStream out, PrintStream err) {
        Options o = new Options();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String[] def = findLong(name);
                if (def == null) {
                    return fail(o, err, "unsupported option '" + a + "'. See --help.");
                }
                if (def[2].equals("1") && value == null) {
                    if (i + 1 >= args.length) {
                        return fail(o, err, "option '-" + def[1] + "'/'--" + def[0] + "' requires an argument");
                    }
                    value = args[++i];
                }
                if (def[2].equals("0") && value != null) {
                    return fail(o, err, "unsupported option '" + a + "'. See --help.");
                }
                char letter = def[1].charAt(0);
                if (letter == 'v' && value != null && value.equals("long")) {
                    letter = 'V';
                }
                if (!apply(o, letter, value, out, err)) {
                    return o;
                }
                i++;
                continue;
            }
            if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char ch = a.charAt(k);
                    if (SHORT_WITH_ARG.indexOf(ch) >= 0) {
                        String value;
                        if (k + 1 < a.length()) {
                            value = a.substring(k + 1);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            String longName = longOf(ch);
                            return fail(o, err, "option '-" + ch + "'/'--" + longName + "' requires an argument");
                        }
                        if (!apply(o, ch, value, out, err)) {
                            return o;
                        }
                        break;
                    } else if (SHORT_NO_ARG.indexOf(ch) >= 0) {
                        if (!apply(o, ch, null, out, err)) {
                            return o;
                        }
                    } else {
                        return fail(o, err, "unsupported option '-" + ch + "'. See --help.");
                    }
                }
                i++;
                continue;
            }
            break;
        }
        for (; i < args.length; i++) {
            o.command.add(args[i]);
        }
        return o;
    }

    private static String[] findLong(String name) {
        String[] match = null;
        for (String[] d : LONG) {
            if (d[0].equals(name)) {
                return d;
            }
            if (d[0].startsWith(name) && !name.isEmpty()) {
                if (match != null) {
                    return null; // ambiguous
                }
                match = d;
            }
        }
        return match;
    }

    private static String longOf(char ch) {
        for (String[] d : LONG) {
            if (d[1].charAt(0) == ch) {
                return d[0];
            }
        }
        return "";
    }

    private static Options fail(Options o, PrintStream err, String message) {
        err.print("error: " + message + "\n");
        err.flush();
        o.exit = 1;
        return o;
    }

    /** Applies one option; returns false when it ended option processing (o.exit set). */
    private static boolean apply(Options o, char letter, String value, PrintStream out, PrintStream err) {
        switch (letter) {
            case 'c' -> o.uri = value;
            case 'r' -> o.readOnly = true;
            case 'q' -> o.quiet = true;
            case 't' -> o.timing = true;
            case 'd' -> {
                try {
                    Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    fail(o, err, "option -d takes a numeric argument");
                    return false;
                }
            }
            case 'e' -> {
                if (!DomainConsole.validEscape(value)) {
                    fail(o, err, "Invalid string '" + value + "' for escape sequence");
                    return false;
                }
                o.escape = value;
            }
            case 'l' -> {
                // accepted for compatibility; jvirsh has no log file yet
            }
            case 'k', 'K' -> {
                try {
                    if (Integer.decode(value) < 0) {
                        fail(o, err, "option -" + letter + " requires a positive integer argument");
                        return false;
                    }
                } catch (NumberFormatException e) {
                    fail(o, err, "Invalid value for option -" + letter);
                    return false;
                }
            }
            case 'h' -> {
                out.print(usage());
                out.flush();
                o.exit = 0;
                return false;
            }
            case 'v' -> {
                out.print(HostCommands.versionText(Connect.libraryVersion()) + "\n");
                out.flush();
                o.exit = 0;
                return false;
            }
            case 'V' -> {
                out.print("jvirsh command line tool of jvirt (libvirt " + HostCommands.versionText(
                        Connect.libraryVersion()) + " compatible)\n\n");
                out.flush();
                o.exit = 0;
                return false;
            }
            default -> {
                fail(o, err, "unknown option");
                return false;
            }
        }
        return true;
    }

    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("\njvirsh [options]... [<command_string>]\njvirsh [options]... <command> [args...]\n\n")
                .append("  options:\n")
                .append("    -c | --connect=URI      hypervisor connection URI\n")
                .append("    -d | --debug=NUM        debug level [0-4]\n")
                .append("    -e | --escape <char>    set escape sequence for console\n")
                .append("    -h | --help             this help\n")
                .append("    -k | --keepalive-interval=NUM\n")
                .append("                            keepalive interval in seconds, 0 for disable\n")
                .append("    -K | --keepalive-count=NUM\n")
                .append("                            number of possible missed keepalive messages\n")
                .append("    -l | --log=FILE         output logging to file\n")
                .append("    -q | --quiet            quiet mode\n")
                .append("    -r | --readonly         connect readonly\n")
                .append("    -t | --timing           print timing information\n")
                .append("    -v                      short version\n")
                .append("    -V                      long version\n")
                .append("         --version[=TYPE]   version, TYPE is short or long (default short)\n")
                .append("  commands (non interactive mode):\n\n");
        Commands commands = Commands.standard();
        for (CommandDef.Group g : CommandDef.Group.values()) {
            List<CommandDef> defs = commands.group(g);
            if (defs.isEmpty()) {
                continue;
            }
            b.append(' ').append(g.title()).append(" (help keyword '").append(g.keyword()).append("')\n");
            for (CommandDef d : defs) {
                b.append(String.format("    %-30s %s", d.name(), d.help())).append('\n');
            }
            b.append('\n');
        }
        b.append("\n  (specify help <group> for details about the commands in the group)\n");
        b.append("\n  (specify help <command> for details about the command)\n\n");
        return b.toString();
    }
}
