package org.jvirt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jvirsh's console, start --console and create --console against virsh's, both run on libvirt's test
 * driver (which has no console): without a terminal both refuse with virsh's words; on a pty (script(1))
 * both print the same banner and the same error, byte for byte, with the terminal's own line ends. The
 * console's data path is tested against real guests in qemu-bundle (QemuDaemonConsoleTest).
 */
class JvirshConsoleTest {
    private static final String URI = "test:///default";
    /** What virsh (libvirt's polkit agent support) prints on a terminal; no part of the console. */
    private static final String POLKIT = "Authorization not available.";

    private static String virsh;
    private static final String SCRIPT = "/usr/bin/script";

    @TempDir
    static Path dir;

    record Run(int rc, String out, String err) {
    }

    @BeforeAll
    static void findVirsh() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, "virsh"))) {
                virsh = Path.of(p, "virsh").toString();
                break;
            }
        }
        boolean present = virsh != null && Files.isExecutable(Path.of(SCRIPT));
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("virsh (libvirt-clients) and script (bsdutils) are required when CI=true");
        }
        Assumptions.assumeTrue(present, "virsh or script is missing");
    }

    private static List<String> jvirshCommand() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp, Jvirsh.class.getName()));
    }

    private static List<String> with(List<String> head, List<String> args) {
        List<String> cmd = new ArrayList<>(head);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs a command with standard input a pipe (no terminal). */
    private static Run plain(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        environment(pb);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * Runs a command on a pty made by script(1): {@code out} is what the terminal showed (standard output,
     * with the terminal's line ends), {@code err} is standard error, kept apart in a file.
     */
    private static Run onTty(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "tty", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        String line = cmd.stream().map(JvirshConsoleTest::quote).collect(Collectors.joining(" "))
                + " 2>" + quote(err.toString()) + "; echo \"[rc=$?]\"";
        ProcessBuilder pb = new ProcessBuilder(SCRIPT, "-q", "-e", "-c", line, "/dev/null")
                .redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectErrorStream(true);
        environment(pb);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        String shown = Files.readString(out, StandardCharsets.UTF_8);
        int at = shown.lastIndexOf("[rc=");
        assertTrue(at >= 0, "no exit code in: " + shown);
        int rc = Integer.parseInt(shown.substring(at + 4, shown.indexOf(']', at)));
        String errText = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith(POLKIT)).map(l -> l + "\n").collect(Collectors.joining());
        return new Run(rc, shown.substring(0, at), errText);
    }

    private static void environment(ProcessBuilder pb) {
        for (String v : List.of("VIRSH_DEFAULT_CONNECT_URI", "LIBVIRT_DEFAULT_URI", "JVIRT_DEFAULT_URI")) {
            pb.environment().remove(v);
        }
        pb.environment().put("LC_ALL", "C");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void compare(Run expected, Run actual, String what) {
        assertEquals(expected.out(), actual.out(), "what the terminal showed of " + what);
        assertEquals(expected.err(), actual.err(), "stderr of " + what);
        assertEquals(expected.rc(), actual.rc(), "exit code of " + what);
    }

    private static Path testDomainXml() throws IOException {
        Path xml = dir.resolve("con.xml");
        Files.writeString(xml, "<domain type='test'><name>con</name><memory>1024</memory><os><type>hvm</type></os>"
                + "</domain>");
        return xml;
    }

    /** Without a terminal: virsh's refusal (create still succeeds), and the lookups before it. */
    @ParameterizedTest
    @ValueSource(strings = {"console test", "console nope", "console", "console test --devname serial0 --force",
        "create %s --console", "define %s; start con --console", "destroy test; console test", "help console"})
    void withoutATerminalAsVirsh(String command) throws Exception {
        List<String> args = List.of("-c", URI, String.format(command, testDomainXml()));
        Run expected = plain(with(List.of(virsh), args));
        Run actual = plain(with(jvirshCommand(), args));
        assertEquals(expected, actual, command);
        if (command.equals("console test")) {
            assertEquals("error: Cannot run interactive console without a controlling TTY\n", actual.err());
        }
    }

    /** On a terminal: the banner on standard output, then the driver's refusal, as virsh shows them. */
    @ParameterizedTest
    @ValueSource(strings = {"console test", "console test --safe", "create %s --console",
        "define %s; start con --console", "-q console test", "-e ^a console test", "-e x console test"})
    void onATerminalAsVirsh(String command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-c", URI));
        String rest = String.format(command, testDomainXml());
        while (rest.startsWith("-")) { // global options, then the command string
            String[] words = rest.split(" ", rest.startsWith("-e ") ? 3 : 2);
            args.addAll(List.of(words).subList(0, words.length - 1));
            rest = words[words.length - 1];
        }
        args.add(rest);
        Run expected = onTty(with(List.of(virsh), args));
        Run actual = onTty(with(jvirshCommand(), args));
        compare(expected, actual, command);
        if (command.equals("console test")) {
            assertEquals("Connected to domain 'test'\r\nEscape character is ^] (Ctrl + ])\r\n\r\n", actual.out());
            assertEquals("error: this function is not supported by the connection driver: virDomainOpenConsole\n",
                    actual.err());
        }
    }

    /** -e takes what virsh takes, and refuses the rest with virsh's words. */
    @ParameterizedTest
    @ValueSource(strings = {"^", "ab", "^1", "^a", "^[", "x"})
    void escapeOptionAsVirsh(String escape) throws Exception {
        List<String> args = List.of("-c", URI, "-e", escape, "uri");
        assertEquals(plain(with(List.of(virsh), args)), plain(with(jvirshCommand(), args)), escape);
    }

    @Test
    void escapeCharacters() {
        assertEquals(0x1d, DomainConsole.escapeChar("^]"));
        assertEquals(0x01, DomainConsole.escapeChar("^a"));
        assertEquals('x', DomainConsole.escapeChar("x"));
        assertTrue(DomainConsole.validEscape("^_"));
        assertFalse(DomainConsole.validEscape("^^^"));
    }
}
