package org.jvirt.shell;

import java.io.IOException;
import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

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
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                // history is best effort
            }
        }
    }
}
