package org.jvirt.shell;

/**
 * One option of a command, typed as virsh types them (vshCmdOptDef).
 *
 * @param name     option name, used as {@code --name}
 * @param type     how the option takes its value
 * @param required whether the command fails without it
 * @param namedOnly whether a value must be given as {@code --name value} (never positionally)
 * @param emptyOk  whether an empty string is a valid value
 * @param help     one-line help; for an alias, the name it stands for
 */
public record Opt(String name, Type type, boolean required, boolean namedOnly, boolean emptyOk, String help) {

    /** Option kinds, as virsh's VSH_OT_*. */
    public enum Type {
        /** a flag without value */
        BOOL,
        /** an integer value */
        INT,
        /** an optional string value */
        STRING,
        /** a required positional string */
        DATA,
        /** the remaining positional strings */
        ARGV,
        /** another name of a later option */
        ALIAS
    }

    public static Opt bool(String name, String help) {
        return new Opt(name, Type.BOOL, false, false, false, help);
    }

    /** A required positional string, e.g. {@code <domain>}. */
    public static Opt data(String name, String help) {
        return new Opt(name, Type.DATA, true, false, false, help);
    }

    /** An optional string that may also be given positionally. */
    public static Opt string(String name, String help) {
        return new Opt(name, Type.STRING, false, false, false, help);
    }

    /** An optional string that may only be given as {@code --name value}. */
    public static Opt namedString(String name, String help) {
        return new Opt(name, Type.STRING, false, true, false, help);
    }

    public static Opt stringEmptyOk(String name, String help) {
        return new Opt(name, Type.STRING, false, false, true, help);
    }

    public static Opt requiredInt(String name, String help) {
        return new Opt(name, Type.INT, true, false, false, help);
    }

    public static Opt integer(String name, String help) {
        return new Opt(name, Type.INT, false, false, false, help);
    }

    public static Opt namedInt(String name, String help) {
        return new Opt(name, Type.INT, false, true, false, help);
    }

    public static Opt argv(String name, String help) {
        return new Opt(name, Type.ARGV, false, false, false, help);
    }

    /** Another spelling of {@code target} (which may be "name=value" to alias a bool to a value). */
    public static Opt alias(String name, String target) {
        return new Opt(name, Type.ALIAS, false, false, false, target);
    }

    /** Whether a bare word can fill this option. */
    boolean positional() {
        return type != Type.BOOL && type != Type.ALIAS && !namedOnly;
    }
}
