package org.jvirt.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jvirt.api.Domain;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.Stream;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;

/**
 * virsh's console (cmdRunConsole in virsh-domain.c, virshRunConsole in virsh-console.c): the banner, the
 * terminal in raw mode, the domain's console stream copied both ways until the escape character, the end
 * of the stream or an error, and the terminal put back.
 */
final class DomainConsole {
    /** virDomainConsoleFlags. */
    static final int FORCE = 1;
    static final int SAFE = 2;
    /** How long the terminal is waited on before looking whether the stream has ended. */
    private static final long POLL_MS = 50;

    private DomainConsole() {
    }

    /**
     * Runs a console on the session's terminal. What virsh reports itself ("The domain is not running",
     * "Cannot run interactive console without a controlling TTY") is printed here; libvirt's error, which
     * virsh prints only when the command fails, is returned (null when the console ran and ended well).
     */
    static CommandFailed run(Session s, Domain dom, String devName, int flags) {
        DomainState state;
        try {
            state = dom.getState().state();
        } catch (VirtException e) {
            s.error("Unable to get domain status");
            return new CommandFailed(null, e);
        }
        if (state == DomainState.SHUTOFF) {
            s.error("The domain is not running");
            return new CommandFailed(null);
        }
        ConsoleTerminal t = s.terminal();
        if (t == null) {
            s.error("Cannot run interactive console without a controlling TTY");
            return new CommandFailed(null);
        }
        String escape = s.escape();
        s.printfExtra("Connected to domain '%s'\n", dom.getName());
        s.printfExtra("Escape character is %s", escape);
        if (escape.charAt(0) == '^') {
            s.printfExtra(" (Ctrl + %c)", escape.charAt(1));
        }
        s.printExtra("\n");
        s.out().flush();
        try {
            t.makeRaw();
        } catch (IOException e) {
            s.error("unable to set tty attributes: " + e.getMessage());
            return new CommandFailed(null);
        }
        try {
            Stream st;
            try {
                st = dom.openConsole(devName, flags);
            } catch (VirtException e) {
                return new CommandFailed(null, e);
            }
            String failure = copy(t, st, escapeChar(escape));
            return failure == null ? null : new CommandFailed(null, new VirtException(new VirtError(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, failure)));
        } finally {
            t.restore();
        }
    }

    /** virsh's escape sequence as the byte typed: "^]" is Ctrl+] (0x1d). */
    static byte escapeChar(String escape) {
        if (escape.charAt(0) == '^') {
            return (byte) (Character.toUpperCase(escape.charAt(1)) ^ 0x40);
        }
        return (byte) escape.charAt(0);
    }

    /** Whether virsh takes this as its -e argument: "^" and a letter or one of @[\]^_, or one other character. */
    static boolean validEscape(String e) {
        if (e.length() == 2 && e.charAt(0) == '^') {
            char c = e.charAt(1);
            return c >= 'a' && c <= 'z' || c >= '@' && c <= '_';
        }
        return e.length() == 1 && e.charAt(0) != '^';
    }

    /**
     * Copies the stream to the terminal on a thread of its own and the terminal to the stream here, until
     * the escape character begins what was typed, the stream ends, or either side fails. Finishes the stream
     * when all went well, aborts it otherwise; returns the failure's message (libvirt's whole message), or
     * null.
     */
    private static String copy(ConsoleTerminal t, Stream st, byte escape) {
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicBoolean ended = new AtomicBoolean();
        Thread out = new Thread(() -> {
            byte[] buf = new byte[4096];
            InputStream in = st.input();
            try {
                for (int n; (n = in.read(buf)) >= 0;) {
                    t.write(buf, 0, n);
                }
            } catch (InterruptedIOException stopped) {
                // the terminal's side ended the console
            } catch (IOException e) {
                failure.compareAndSet(null, e.getMessage());
            } finally {
                ended.set(true);
            }
        }, "jvirsh-console");
        out.setDaemon(true);
        out.start();
        byte[] buf = new byte[1024];
        OutputStream toGuest = st.output();
        try {
            while (!ended.get()) {
                int n = t.read(buf, POLL_MS);
                if (n < 0) {
                    failure.compareAndSet(null, "internal error: EOF on stdin");
                    break;
                }
                if (n > 0 && buf[0] == escape) {
                    break;
                }
                if (n > 0) {
                    toGuest.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            failure.compareAndSet(null, e.getMessage());
        }
        String why = failure.get();
        if (why == null) {
            st.finish();
        } else {
            st.abort();
        }
        out.interrupt();
        try {
            out.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return why;
    }
}
