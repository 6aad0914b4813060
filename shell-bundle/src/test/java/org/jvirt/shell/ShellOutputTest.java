package org.jvirt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

/** Output layouts and error reporting, against the shell's own fake driver (fake:///). */
class ShellOutputTest {

    @Test
    void tableWidthsFollowTheWidestCell() {
        Table t = new Table("Id", "Name", "State").add("1", "test", "running").add("-", "a-long-name", "shut off");
        assertEquals(" Id   Name          State\n"
                + "-".repeat(30) + "\n"
                + " 1    test          running\n"
                + " -    a-long-name   shut off\n", t.format(true));
        assertEquals(" 1   test          running\n -   a-long-name   shut off\n", t.format(false));
        assertEquals(" Id   Name   State\n" + "-".repeat(20) + "\n", new Table("Id", "Name", "State").format(true));
    }

    @Test
    void tableEscapesControlCharacters() {
        assertEquals(" a\\x09b\n", new Table("x").add("a\tb").format(false));
    }

    @Test
    void numbersAsVirshPrintsThem() {
        assertEquals("12.3", Util.seconds(12_345_000_000L));
        assertEquals("0.0", Util.seconds(1));
        BitSet b = new BitSet();
        b.set(0, 4);
        b.set(6);
        b.set(8, 10);
        assertEquals("0-3,6,8-9", Util.cpuRanges(b));
        assertEquals(b, PinningCommands.parseBitmap("0-3,6,8-9", 1024));
        BitSet c = PinningCommands.parseBitmap("0-3,^2", 1024);
        assertEquals("0-1,3", Util.cpuRanges(c));
        assertEquals(null, PinningCommands.parseBitmap("0-2000", 1024));
        assertEquals(null, PinningCommands.parseBitmap("1,x", 1024));
    }

    @Test
    void listAndDominfo() {
        ShellTestSupport.Result r = ShellTestSupport.run("-c", "fake:///", "list", "--all");
        assertEquals(0, r.rc());
        assertEquals(" Id   Name   State\n-----------------------\n 3    fake   running\n -    idle   shut off\n\n",
                r.out());
        r = ShellTestSupport.run("-c", "fake:///", "dominfo 3");
        assertEquals("Id:             3\nName:           fake\nUUID:           " + FakeDriver.FAKE_UUID + "\n"
                + "OS Type:        hvm\nState:          running\nCPU(s):         2\nCPU time:       12.3s\n"
                + "Max memory:     2048 KiB\nUsed memory:    1024 KiB\nPersistent:     yes\n"
                + "Autostart:      disable\nManaged save:   no\nSecurity model: none\nSecurity DOI:   0\n\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void quietDropsExtrasAndHeaders() {
        ShellTestSupport.Result r = ShellTestSupport.run("-q", "-c", "fake:///", "list --all; suspend fake");
        assertEquals(" 3   fake   running\n -   idle   shut off\n", r.out());
    }

    @Test
    void domainLookupByIdUuidOrName() {
        assertEquals("fake\n\n", ShellTestSupport.run("-c", "fake:///", "domname", "3").out());
        assertEquals("fake\n\n", ShellTestSupport.run("-c", "fake:///", "domname", FakeDriver.FAKE_UUID.toString())
                .out());
        assertEquals("3\n\n", ShellTestSupport.run("-c", "fake:///", "domid", "fake").out());
        assertEquals("-\n\n", ShellTestSupport.run("-c", "fake:///", "domid", "idle").out());
    }

    @Test
    void errorsGoToStderrWithExitCodeOne() {
        ShellTestSupport.Result r = ShellTestSupport.run("-c", "fake:///", "dominfo", "nope");
        assertEquals(1, r.rc());
        assertEquals("\n", r.out());
        assertEquals("error: failed to get domain 'nope'\n", r.err());

        r = ShellTestSupport.run("-c", "fake:///", "net-info nope");
        assertEquals(1, r.rc());
        assertEquals("error: failed to get network 'nope'\n"
                + "error: Network not found: no network with matching name 'nope'\n", r.err());

        r = ShellTestSupport.run("-c", "fake:///", "suspend idle");
        assertEquals(1, r.rc());
        assertTrue(r.err().startsWith("error: Failed to suspend domain 'idle'\nerror: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());

        r = ShellTestSupport.run("-c", "fake:///", "frob");
        assertEquals(1, r.rc());
        assertEquals("", r.out());
        assertEquals("error: unknown command: 'frob'\n", r.err());
    }

    @Test
    void lastCommandDecidesTheExitCode() {
        ShellTestSupport.Result r = ShellTestSupport.run("-c", "fake:///", "dominfo nope; domid fake");
        assertEquals(0, r.rc());
        assertEquals("\n3\n\n", r.out());
        r = ShellTestSupport.run("-c", "fake:///", "domid fake; dominfo nope");
        assertEquals(1, r.rc());
    }

    @Test
    void readOnlyRefusal() {
        ShellTestSupport.Result r = ShellTestSupport.run("-r", "-c", "fake:///", "suspend", "fake");
        assertEquals(1, r.rc());
        assertEquals("error: Failed to suspend domain 'fake'\n"
                + "error: operation forbidden: read only access prevents virDomainSuspend\n", r.err());
    }

    @Test
    void connectionFailure() {
        ShellTestSupport.Result r = ShellTestSupport.run("-c", "nosuchscheme:///", "list");
        assertEquals(1, r.rc());
        assertTrue(r.err().startsWith("error: failed to connect to the hypervisor\nerror: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void verboseSaveShowsProgress() {
        ShellTestSupport.Result r = ShellTestSupport.run("-c", "fake:///", "save", "fake", "/tmp/x.save", "--verbose");
        assertEquals(0, r.rc());
        assertEquals("\nDomain 'fake' saved to /tmp/x.save\n\n", r.out());
        assertTrue(r.err().contains("\rSave: [ 50 %]"), r.err());
        assertTrue(r.err().endsWith("\rSave: [100 %]"), r.err());
    }

    @Test
    void globalOptions() {
        ShellTestSupport.Result r = ShellTestSupport.run("-v");
        assertEquals(0, r.rc());
        assertEquals("9.0.0\n", r.out());
        r = ShellTestSupport.run("--help");
        assertEquals(0, r.rc());
        assertTrue(r.out().contains("    -c | --connect=URI      hypervisor connection URI\n"));
        assertTrue(r.out().contains("    list                           list domains\n"));
        r = ShellTestSupport.run("-x");
        assertEquals(1, r.rc());
        assertEquals("error: unsupported option '-x'. See --help.\n", r.err());
        r = ShellTestSupport.run("-c");
        assertEquals("error: option '-c'/'--connect' requires an argument\n", r.err());
        Jvirsh.Options o = Jvirsh.parseOptions(new String[] {"-rq", "--conn=fake:///", "list", "-r"}, null, null);
        assertTrue(o.readOnly);
        assertTrue(o.quiet);
        assertEquals("fake:///", o.uri);
        assertEquals(java.util.List.of("list", "-r"), o.command);
    }

    @Test
    void helpPages() {
        ShellTestSupport.Result r = ShellTestSupport.run("help", "domstate");
        assertEquals(0, r.rc());
        assertEquals("  NAME\n    domstate - domain state\n\n  SYNOPSIS\n    domstate <domain> [--reason]\n\n"
                + "  DESCRIPTION\n    Returns state about a domain.\n\n  OPTIONS\n"
                + "    [--domain] <string>  domain name, id or uuid\n"
                + "    --reason         also print reason for the state\n\n\n", r.out());
        r = ShellTestSupport.run("help", "nosuch");
        assertEquals(1, r.rc());
        assertEquals("error: command or command group 'nosuch' doesn't exist\n", r.err());
    }

    @Test
    void interactiveReadsLinesUntilQuit() {
        ShellTestSupport.Result r = ShellTestSupport.runWithInput("domid fake\nquit\nlist\n", "-c", "fake:///");
        assertEquals(0, r.rc());
        assertTrue(r.out().startsWith("Welcome to jvirsh"), r.out());
        assertTrue(r.out().contains("jvirsh # 3\n\njvirsh # "), r.out());
        assertFalse(r.out().contains("Id   Name"), r.out());
    }

    @Test
    void driversListsTheRegistry() {
        ShellTestSupport.Result r = ShellTestSupport.run("drivers");
        assertEquals(0, r.rc());
        assertTrue(r.out().startsWith(" Name "), r.out());
        assertTrue(r.out().contains(" Fake "), r.out());
    }

    @Test
    void sessionWorksWithoutSystemStreams() {
        java.io.ByteArrayOutputStream bout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bout, true, java.nio.charset.StandardCharsets.UTF_8);
        try (Session s = new Session(out, out)) {
            s.setUri("fake:///");
            assertTrue(s.execute("domstate fake --reason"));
            assertFalse(s.isConnected() && s.isReadOnly());
        }
        assertEquals("running (booted)\n\n", bout.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
