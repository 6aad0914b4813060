package org.jvirt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandParserTest {

    private final CommandParser parser = new CommandParser(Commands.standard());

    private Invocation one(String line) throws CommandParser.ParseError {
        List<Invocation> cmds = parser.parse(line);
        assertEquals(1, cmds.size());
        return cmds.get(0);
    }

    private String error(String line) {
        return assertThrows(CommandParser.ParseError.class, () -> parser.parse(line)).getMessage();
    }

    @Test
    void positionalAndNamedValues() throws Exception {
        Invocation a = one("save test /tmp/f --verbose");
        assertEquals("test", a.string("domain"));
        assertEquals("/tmp/f", a.string("file"));
        assertTrue(a.bool("verbose"));
        Invocation b = one("save --file=/tmp/f --domain test");
        assertEquals("test", b.string("domain"));
        assertEquals("/tmp/f", b.string("file"));
        assertFalse(b.bool("verbose"));
        // a named value frees its positional slot for the next word
        Invocation c = one("save --domain test /tmp/g");
        assertEquals("/tmp/g", c.string("file"));
    }

    @Test
    void aliasesResolveToTheirOption() throws Exception {
        Invocation a = one("setmem test --kilobytes 1024");
        assertEquals("1024", a.string("size"));
        assertTrue(one("migrate test qemu:///x --tunneled").bool("tunnelled"));
    }

    @Test
    void namedOnlyOptionsAreNotFilledByPosition() {
        // dump's --format takes a value only by name
        assertEquals("unexpected data 'elf'", error("dump test /f elf"));
    }

    @Test
    void argvOptionsCollectAllWords() throws Exception {
        Invocation a = one("schedinfo test weight=1 cap=2");
        assertEquals(List.of("weight=1", "cap=2"), a.argv("set"));
    }

    @Test
    void stringModeQuotingSemicolonsAndComments() throws Exception {
        List<Invocation> cmds = parser.parse("define 'my file.xml'; start \"a b\" # comment\nlist --all");
        assertEquals(3, cmds.size());
        assertEquals("my file.xml", cmds.get(0).string("file"));
        assertEquals("a b", cmds.get(1).string("domain"));
        assertTrue(cmds.get(2).bool("all"));
        assertEquals("x;y", one("dominfo x\\;y").string("domain"));
        assertEquals(0, parser.parse("# only a comment").size());
    }

    @Test
    void argvModeKeepsSemicolonsInWords() throws Exception {
        List<Invocation> cmds = parser.parse(List.of("dominfo", "a;b"));
        assertEquals("a;b", cmds.get(0).string("domain"));
    }

    @Test
    void doubleDashMakesTheRestData() throws Exception {
        assertEquals("--all", one("dominfo -- --all").string("domain"));
    }

    @Test
    void helpOptionBecomesHelpCommand() throws Exception {
        Invocation a = one("list --help");
        assertEquals("help", a.def().name());
        assertEquals("list", a.string("command"));
    }

    @Test
    void errorsAreVirshs() {
        assertEquals("unknown command: 'frob'", error("frob"));
        assertEquals("command 'list' doesn't support option --bogus", error("list --bogus"));
        assertEquals("command 'dominfo' requires <domain> option", error("dominfo"));
        assertEquals("command 'setmem' requires --size option", error("setmem test"));
        assertEquals("unexpected data 'b'", error("dominfo a b"));
        assertEquals("option --all already seen", error("list --all --all"));
        assertEquals("invalid '=' after option --all", error("list --all=1"));
        assertEquals("expected syntax: --file <string>", error("save test --file"));
        assertEquals("expected syntax: --size <number>", error("setmem test --size"));
        assertEquals("missing \"", error("dominfo \"abc"));
        assertEquals("dangling \\", error("dominfo abc\\"));
    }

    @Test
    void scaledSizes() {
        assertEquals(1024L * 1024, Invocation.parseScaled("1024", 1024));
        assertEquals(2L * 1024 * 1024, Invocation.parseScaled("2M", 1024));
        assertEquals(2L * 1024 * 1024, Invocation.parseScaled("2MiB", 1024));
        assertEquals(2_000_000L, Invocation.parseScaled("2MB", 1024));
        assertEquals(512L, Invocation.parseScaled("512b", 1024));
        assertEquals(null, Invocation.parseScaled("abc", 1024));
        assertEquals(null, Invocation.parseScaled("5x", 1024));
    }
}
