package org.jvirt.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;

/**
 * The interactive loop. With a terminal it uses JLine (history, completion of command names); JLine's
 * classes are only touched here, so non-interactive runs never load them. Without a terminal, or without
 * JLine, it reads plain lines.
 */
final class Interactive {

    private Interactive() {
    }

    static void run(Session s, InputStream in) {
        if (!s.isQuiet()) {
            s.print("Welcome to jvirsh, the virtualization interactive terminal.\n\n");
            s.print("Type:  'help' for help with commands\n       'quit' to quit\n\n");
            s.out().flush();
        }
        if (in == System.in && System.console() != null) {
            try {
                JLineLoop.run(s);
                return;
            } catch (LinkageError e) {
                // JLine missing: fall back to plain lines
            } catch (IOException e) {
                s.error("cannot use the terminal: " + e.getMessage());
            }
        }
        plain(s, in);
    }

    static String prompt(Session s) {
        return s.isReadOnly() ? "jvirsh > " : "jvirsh # ";
    }

    private static void plain(Session s, InputStream in) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        while (!s.exitRequested()) {
            s.print(prompt(s));
            s.out().flush();
            String line;
            try {
                line = r.readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) {
                s.print("\n");
                break;
            }
            if (!line.isEmpty()) {
                s.execute(line);
            }
        }
        s.out().flush();
    }
}
