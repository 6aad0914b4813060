package org.jvirt.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a command line into {@link Invocation}s as virsh does (vshCommandParse): a single string with
 * quoting, {@code ;} between commands and {@code #} comments, or an argv array holding one command.
 */
public final class CommandParser {

    /** A syntax error; its message is what virsh prints after "error: ". */
    public static final class ParseError extends Exception {
        private static final long serialVersionUID = 1L;

        public ParseError(String message) {
            super(message, null, false, false);
        }
    }

    private static final String END = new String("<end>");
    private static final String NEXT = new String("<next>");

    private final Commands commands;

    public CommandParser(Commands commands) {
        this.commands = commands;
    }

    /** Parses a command string: several commands may be separated by ';' or newlines. */
    public List<Invocation> parse(String line) throws ParseError {
        return parse(new StringTokens(line));
    }

    /** Parses the words of one command, as given on the command line (no quoting or ';' handling). */
    public List<Invocation> parse(List<String> argv) throws ParseError {
        return parse(new ArgvTokens(argv));
    }

    private interface Tokens {
        /** The next word, or {@link #NEXT} between commands, or {@link #END}. */
        String next() throws ParseError;
    }

    private static final class ArgvTokens implements Tokens {
        private final List<String> words;
        private int pos;

        ArgvTokens(List<String> words) {
            this.words = words;
        }

        @Override
        public String next() {
            return pos < words.size() ? words.get(pos++) : END;
        }
    }

    private static final class StringTokens implements Tokens {
        private final String s;
        private int p;

        StringTokens(String s) {
            this.s = s;
        }

        @Override
        public String next() throws ParseError {
            while (p < s.length()) {
                char c = s.charAt(p);
                if (c == ' ' || c == '\t') {
                    p++;
                } else if (c == '\\' && p + 1 < s.length() && s.charAt(p + 1) == '\n') {
                    p += 2;
                } else {
                    break;
                }
            }
            if (p >= s.length()) {
                return END;
            }
            char c = s.charAt(p);
            if (c == ';' || c == '\n') {
                p++;
                return NEXT;
            }
            if (c == '#') {
                while (p < s.length() && s.charAt(p) != '\n') {
                    p++;
                }
                if (p < s.length()) {
                    p++;
                }
                return NEXT;
            }
            StringBuilder out = new StringBuilder();
            boolean single = false;
            boolean dbl = false;
            while (p < s.length()) {
                c = s.charAt(p);
                if (!single && !dbl && (c == ' ' || c == '\t' || c == ';' || c == '\n')) {
                    break;
                }
                if (!dbl && c == '\'') {
                    single = !single;
                    p++;
                    continue;
                } else if (!single && c == '\\') {
                    p++;
                    if (p >= s.length()) {
                        throw new ParseError("dangling \\");
                    }
                    if (s.charAt(p) == '\n') {
                        p++;
                        continue;
                    }
                } else if (!single && c == '"') {
                    dbl = !dbl;
                    p++;
                    continue;
                }
                out.append(s.charAt(p++));
            }
            if (dbl) {
                throw new ParseError("missing \"");
            }
            return out.toString();
        }
    }

    private List<Invocation> parse(Tokens tokens) throws ParseError {
        List<Invocation> result = new ArrayList<>();
        while (true) {
            CommandDef def = null;
            List<Invocation.Value> values = new ArrayList<>();
            List<Opt> needArg = new ArrayList<>();
            List<Opt> seen = new ArrayList<>();
            boolean dataOnly = false;
            String tk;
            while (true) {
                tk = tokens.next();
                if (tk == END || tk == NEXT) {
                    break;
                }
                if (def == null) {
                    if (tk.startsWith("#")) {
                        // a comment: skip the rest of this command
                        do {
                            tk = tokens.next();
                        } while (tk != END && tk != NEXT);
                        break;
                    }
                    def = commands.find(tk);
                    if (def == null) {
                        throw new ParseError("unknown command: '" + tk + "'");
                    }
                    for (Opt o : def.opts()) {
                        if (o.positional()) {
                            needArg.add(o);
                        }
                    }
                    continue;
                }
                if (!dataOnly && tk.length() > 2 && tk.startsWith("--") && Character.isLetterOrDigit(tk.charAt(2))) {
                    String name = tk.substring(2);
                    String value = null;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        value = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    }
                    if (name.equals("help")) {
                        values.add(new Invocation.Value(Opt.bool("help", "print help for this function"), null));
                        continue;
                    }
                    Opt opt = def.opt(name);
                    if (opt != null && opt.type() == Opt.Type.ALIAS) {
                        String target = opt.help();
                        int teq = target.indexOf('=');
                        if (teq >= 0) {
                            if (value != null) {
                                throw new ParseError("invalid '=' after option --" + name);
                            }
                            value = target.substring(teq + 1);
                            target = target.substring(0, teq);
                        }
                        name = target;
                        opt = def.opt(name);
                    }
                    if (opt == null) {
                        if (def.name().equals("help")) {
                            continue;
                        }
                        throw new ParseError("command '" + def.name() + "' doesn't support option --" + name);
                    }
                    if (containsSame(seen, opt) && opt.type() != Opt.Type.ARGV) {
                        throw new ParseError("option --" + name + " already seen");
                    }
                    seen.add(opt);
                    if (opt.type() != Opt.Type.BOOL) {
                        if (value == null) {
                            value = tokens.next();
                            if (value == END || value == NEXT) {
                                throw new ParseError("expected syntax: --" + opt.name() + " <"
                                        + (opt.type() == Opt.Type.INT ? "number" : "string") + ">");
                            }
                        }
                        if (opt.type() != Opt.Type.ARGV) {
                            removeSame(needArg, opt);
                        }
                    } else if (value != null) {
                        throw new ParseError("invalid '=' after option --" + opt.name());
                    }
                    values.add(new Invocation.Value(opt, value));
                    continue;
                }
                if (!dataOnly && tk.equals("--")) {
                    dataOnly = true;
                    continue;
                }
                if (needArg.isEmpty()) {
                    if (def.name().equals("help")) {
                        continue;
                    }
                    throw new ParseError("unexpected data '" + tk + "'");
                }
                Opt opt = needArg.get(0);
                if (opt.type() != Opt.Type.ARGV) {
                    needArg.remove(0);
                }
                seen.add(opt);
                values.add(new Invocation.Value(opt, tk));
            }
            if (def != null) {
                result.add(finish(def, values, seen));
            }
            if (tk == END) {
                return result;
            }
        }
    }

    /** Identity membership: record equals() would bootstrap invokedynamic machinery at startup. */
    private static boolean containsSame(List<Opt> list, Opt opt) {
        for (Opt o : list) {
            if (o == opt) {
                return true;
            }
        }
        return false;
    }

    private static void removeSame(List<Opt> list, Opt opt) {
        list.removeIf(o -> o == opt);
    }

    private Invocation finish(CommandDef def, List<Invocation.Value> values, List<Opt> seen) throws ParseError {
        for (Invocation.Value v : values) {
            if (v.opt().name().equals("help") && def.opt("help") == null) {
                // "cmd --help" means "help cmd"
                CommandDef help = commands.find("help");
                return new Invocation(help, List.of(new Invocation.Value(help.opt("command"), def.name())));
            }
        }
        StringBuilder missing = null;
        for (Opt o : def.opts()) {
            if (o.required() && !containsSame(seen, o)) {
                String msg = o.type() == Opt.Type.DATA || o.type() == Opt.Type.ARGV
                        ? "command '" + def.name() + "' requires <" + o.name() + "> option"
                        : "command '" + def.name() + "' requires --" + o.name() + " option";
                if (missing == null) {
                    missing = new StringBuilder(msg);
                } else {
                    missing.append("\nerror: ").append(msg);
                }
            }
        }
        if (missing != null) {
            throw new ParseError(missing.toString());
        }
        return new Invocation(def, values);
    }
}
