package org.jvirt.platform.gogo;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/** The Gogo functions; only loaded once Gogo's API is known to be present. */
final class Functions {

    static final String FUNCTION = "org.apache.felix.service.command.Function";

    private Functions() {
    }

    /** A jvirsh command run in the Gogo session's jvirsh session; its output is the result. */
    static Object shell(SessionStates sessions, String name) {
        return (Function) (CommandSession session, List<Object> arguments) -> {
            SessionStates.State st = sessions.of(session);
            synchronized (st) {
                List<String> argv = new ArrayList<>();
                List<Object> args = arguments == null ? List.of() : arguments;
                int i = 0;
                if (args.size() >= 2 && ("-c".equals(String.valueOf(args.get(0)))
                        || "--connect".equals(String.valueOf(args.get(0))))) {
                    if (!st.session.execute(List.of("connect", String.valueOf(args.get(1))))) {
                        throw new IllegalStateException(st.takeErr().strip());
                    }
                    st.takeOut();
                    i = 2;
                }
                argv.add(name);
                for (; i < args.size(); i++) {
                    argv.add(String.valueOf(args.get(i)));
                }
                boolean ok = st.session.execute(argv);
                String out = st.takeOut();
                String err = st.takeErr();
                // printed, not returned: Karaf's non-interactive sessions (bin/client "cmd") drop results
                print(session, out);
                if (!ok) {
                    throw new IllegalStateException(err.strip());
                }
                print(session, err);
                return null;
            }
        };
    }

    private static void print(CommandSession session, String text) {
        if (!text.isEmpty()) {
            java.io.PrintStream console = session.getConsole();
            console.print(text);
            console.flush();
        }
    }
}
