package org.jvirt.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The set of commands a session knows, by name, in help order. */
public final class Commands {

    private final Map<String, CommandDef> byName = new LinkedHashMap<>();

    /** All jvirsh commands. */
    public static Commands standard() {
        Commands c = new Commands();
        DomainCommands.register(c);
        MonitorCommands.register(c);
        DomainRuntimeCommands.register(c);
        PinningCommands.register(c);
        ManagedSaveAndRenameCommands.register(c);
        MetadataCommands.register(c);
        HostCommands.register(c);
        HostQueryCommands.register(c);
        NetworkCommands.register(c);
        ShellCommands.register(c);
        return c;
    }

    public void add(CommandDef def) {
        byName.put(def.name(), def);
    }

    public CommandDef find(String name) {
        return byName.get(name);
    }

    public List<CommandDef> all() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** Commands of one group, sorted by name as virsh lists them (its own group keeps its order). */
    public List<CommandDef> group(CommandDef.Group g) {
        List<CommandDef> out = new ArrayList<>();
        for (CommandDef d : byName.values()) {
            if (d.group() == g) {
                out.add(d);
            }
        }
        if (g != CommandDef.Group.VIRSH) {
            out.sort((a, b) -> a.name().compareTo(b.name()));
        }
        return out;
    }

    /** The group with this title or help keyword, or null. */
    public CommandDef.Group findGroup(String name) {
        for (CommandDef.Group g : CommandDef.Group.values()) {
            if ((g.title().equals(name) || g.keyword().equals(name)) && !group(g).isEmpty()) {
                return g;
            }
        }
        return null;
    }
}
