package org.jvirt.shell;

import java.util.ArrayList;
import java.util.List;

/** One parsed command line: the command and the options given (libvirt's vshCmd). */
public final class Invocation {

    /** One given option and its value (null for a bool). */
    public record Value(Opt opt, String data) {
    }

    private final CommandDef def;
    private final List<Value> values;

    public Invocation(CommandDef def, List<Value> values) {
        this.def = def;
        this.values = List.copyOf(values);
    }

    public CommandDef def() {
        return def;
    }

    public List<Value> values() {
        return values;
    }

    private Value find(String name) {
        if (def.opt(name) == null) {
            throw new IllegalArgumentException("command '" + def.name() + "' has no option " + name);
        }
        for (Value v : values) {
            if (v.opt().name().equals(name)) {
                return v;
            }
        }
        return null;
    }

    public boolean has(String name) {
        return find(name) != null;
    }

    /** Whether a flag (or any option) was given. */
    public boolean bool(String name) {
        return has(name);
    }

    /** The string value, or null when not given; an empty value fails unless the option allows it. */
    public String string(String name) {
        Value v = find(name);
        if (v == null) {
            return null;
        }
        if (v.data().isEmpty() && !v.opt().emptyOk()) {
            throw new CommandFailed("Failed to get option '" + name + "': Option argument is empty");
        }
        return v.data();
    }

    /** The raw string value, or null, without checks. */
    public String raw(String name) {
        Value v = find(name);
        return v == null ? null : v.data();
    }

    /** All values of an ARGV option. */
    public List<String> argv(String name) {
        List<String> out = new ArrayList<>();
        for (Value v : values) {
            if (v.opt().name().equals(name)) {
                out.add(v.data());
            }
        }
        return out;
    }

    /** A signed int, or the default when absent. */
    public int integer(String name, int dflt) {
        Value v = find(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.data().strip());
        } catch (NumberFormatException e) {
            throw malformed(v, name);
        }
    }

    /** A non-negative int (virsh rejects negative numbers here), or the default when absent. */
    public long unsigned(String name, long dflt, long max) {
        Value v = find(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.data().strip());
            if (n < 0 || n > max) {
                throw malformed(v, name);
            }
            return n;
        } catch (NumberFormatException e) {
            throw malformed(v, name);
        }
    }

    private static CommandFailed malformed(Value v, String name) {
        return new CommandFailed("Numeric value '" + v.data() + "' for <" + name
                + "> option is malformed or out of range");
    }

    /**
     * A size with an optional unit suffix (b, KiB, K, KB, MiB, ... EiB), in bytes; a bare number counts in
     * {@code scale} units (as virsh's vshCommandOptScaledInt). Returns -1 when absent.
     */
    public long scaled(String name, long scale) {
        Value v = find(name);
        if (v == null) {
            return -1;
        }
        Long bytes = parseScaled(v.data(), scale);
        if (bytes == null) {
            throw new CommandFailed("Scaled numeric value '" + v.data() + "' for <" + name
                    + "> option is malformed or out of range");
        }
        return bytes;
    }

    static Long parseScaled(String text, long scale) {
        String s = text.strip();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            return null;
        }
        String suffix = s.substring(i).toLowerCase(java.util.Locale.ROOT);
        long unit;
        if (suffix.isEmpty()) {
            unit = scale;
        } else if (suffix.equals("b") || suffix.equals("byte") || suffix.equals("bytes")) {
            unit = 1;
        } else {
            int power = "kmgtpe".indexOf(suffix.charAt(0)) + 1;
            if (power == 0) {
                return null;
            }
            String rest = suffix.substring(1);
            long base;
            if (rest.isEmpty() || rest.equals("ib")) {
                base = 1024;
            } else if (rest.equals("b")) {
                base = 1000;
            } else {
                return null;
            }
            unit = 1;
            for (int p = 0; p < power; p++) {
                unit = Math.multiplyExact(unit, base);
            }
        }
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
