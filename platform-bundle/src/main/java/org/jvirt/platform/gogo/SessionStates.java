package org.jvirt.platform.gogo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirt.shell.Session;

/**
 * One jvirsh session per Gogo session, so that {@code jvirt:connect} holds between commands. Gogo tells
 * nobody when a session ends, so the least recently used beyond {@value #MAX} are closed.
 */
final class SessionStates {

    static final int MAX = 16;

    /** A jvirsh session writing into buffers that each command empties. */
    static final class State {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Session session = new Session(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String takeOut() {
            String s = out.toString(StandardCharsets.UTF_8);
            out.reset();
            return s;
        }

        String takeErr() {
            String s = err.toString(StandardCharsets.UTF_8);
            err.reset();
            return s;
        }
    }

    private final Map<Object, State> states = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, State> eldest) {
            if (size() > MAX) {
                eldest.getValue().session.close();
                return true;
            }
            return false;
        }
    };

    synchronized State of(Object gogoSession) {
        return states.computeIfAbsent(gogoSession, k -> new State());
    }

    synchronized void closeAll() {
        for (State s : states.values()) {
            s.session.close();
        }
        states.clear();
    }
}
