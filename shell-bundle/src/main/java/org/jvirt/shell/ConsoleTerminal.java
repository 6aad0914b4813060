package org.jvirt.shell;

import java.io.IOException;

/**
 * The terminal a console runs on: virsh's standard input and output in virshRunConsole. A session has one
 * only when its standard input is a terminal (virsh's {@code isatty(STDIN_FILENO)}).
 */
interface ConsoleTerminal {

    /** Raw mode, as virsh's vshTTYMakeRaw (cfmakeraw): no echo, no signals, no line editing, no output processing. */
    void makeRaw() throws IOException;

    /** Puts back the settings makeRaw found. */
    void restore();

    /**
     * What was typed: waits up to {@code millis} for it; returns the count, 0 when nothing came, -1 at the end
     * of input.
     */
    int read(byte[] buf, long millis) throws IOException;

    /** Shows the console's output at once. */
    void write(byte[] data, int offset, int length) throws IOException;
}
