package org.jvirt.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.ControlFlag;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;

/** The JLine-based interactive loop: history in ~/.cache/jvirsh/history, completion of command names. */
final class JLineLoop {

    private JLineLoop() {
    }

    static void run(Session s) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Path history = Path.of(System.getProperty("user.home"), ".cache", "jvirsh", "history");
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("jvirsh")
                    .completer(new StringsCompleter(s.commands().all().stream().map(CommandDef::name).toList()))
                    .variable(LineReader.HISTORY_FILE, history)
                    .build();
            s.setTerminal(new Console(terminal));
            while (!s.exitRequested()) {
                String line;
                try {
                    line = reader.readLine(Interactive.prompt(s));
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    s.print("\n");
                    break;
                }
                if (!line.isBlank()) {
                    s.execute(line);
                }
            }
            s.out().flush();
            s.setTerminal(null);
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                // history is best effort
            }
        }
    }

    /** A console (jvirsh's console command) on JLine's terminal, which owns standard input in this shell. */
    private static final class Console implements ConsoleTerminal {
        private final Terminal terminal;
        private Attributes saved;

        Console(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public void makeRaw() {
            saved = terminal.getAttributes();
            Attributes raw = new Attributes(saved); // cfmakeraw
            raw.setInputFlags(EnumSet.of(InputFlag.IGNBRK, InputFlag.BRKINT, InputFlag.PARMRK, InputFlag.ISTRIP,
                    InputFlag.INLCR, InputFlag.IGNCR, InputFlag.ICRNL, InputFlag.IXON), false);
            raw.setOutputFlag(OutputFlag.OPOST, false);
            raw.setLocalFlags(EnumSet.of(LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.ICANON, LocalFlag.ISIG,
                    LocalFlag.IEXTEN), false);
            raw.setControlFlags(EnumSet.of(ControlFlag.CS5, ControlFlag.CS6, ControlFlag.CS7, ControlFlag.PARENB),
                    false);
            raw.setControlFlag(ControlFlag.CS8, true);
            raw.setControlChar(ControlChar.VMIN, 1);
            raw.setControlChar(ControlChar.VTIME, 0);
            terminal.setAttributes(raw);
        }

        @Override
        public void restore() {
            if (saved != null) {
                terminal.setAttributes(saved);
                saved = null;
            }
        }

        @Override
        public int read(byte[] buf, long millis) throws IOException {
            int c = terminal.reader().read(millis);
            if (c == NonBlockingReader.READ_EXPIRED) {
                return 0;
            }
            if (c < 0) {
                return -1;
            }
            byte[] b = String.valueOf((char) c).getBytes(terminal.encoding());
            int n = Math.min(b.length, buf.length);
            System.arraycopy(b, 0, buf, 0, n);
            return n;
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            terminal.output().write(data, offset, length);
            terminal.output().flush();
        }
    }
}
