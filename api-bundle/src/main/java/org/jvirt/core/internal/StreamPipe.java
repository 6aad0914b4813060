package org.jvirt.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.Stream;
import org.jvirt.api.VirtError;
import org.jvirt.spi.StreamPeer;

/**
 * A stream between the API's user and a driver: what the driver sends is queued for the user's reads; what
 * the user writes goes to the handler the driver bound.
 */
final class StreamPipe implements Stream, StreamPeer {
    /** A queued chunk: data, or the end (data null, error null), or an abort (error set). */
    private record Chunk(byte[] data, VirtError error) {
    }

    private final Chunk end = new Chunk(null, null);

    private final LinkedBlockingQueue<Chunk> fromDriver = new LinkedBlockingQueue<>();
    private volatile Handler handler;
    private volatile boolean closed;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    // ---- the driver's side ------------------------------------------------------------------------

    @Override
    public void send(byte[] data, int offset, int length) {
        if (length > 0 && !closed) {
            byte[] copy = new byte[length];
            System.arraycopy(data, offset, copy, 0, length);
            fromDriver.add(new Chunk(copy, null));
        }
    }

    @Override
    public void sendEnd() {
        fromDriver.add(end);
    }

    @Override
    public void sendError(VirtError why) {
        fromDriver.add(new Chunk(null, why));
    }

    @Override
    public void bind(Handler h) {
        this.handler = h;
    }

    // ---- the user's side --------------------------------------------------------------------------

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void finish() {
        if (closed) {
            return;
        }
        closed = true;
        Handler h = handler;
        if (h != null) {
            h.finished();
        }
    }

    @Override
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        fromDriver.add(end);
        Handler h = handler;
        if (h != null) {
            h.aborted();
        }
    }

    @Override
    public void close() {
        abort();
    }

    private final class Input extends InputStream {
        private byte[] current;
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || pos >= current.length) {
                if (ended) {
                    return -1;
                }
                Chunk c;
                try {
                    c = fromDriver.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the stream");
                }
                if (c.error() != null) {
                    ended = true;
                    throw new IOException(c.error().message());
                }
                if (c.data() == null) {
                    ended = true;
                    return -1;
                }
                current = c.data();
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.length - pos;
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Handler h = handler;
            if (closed || h == null) {
                throw new IOException(new VirtError(ErrorCode.OPERATION_FAILED, ErrorDomain.STREAMS,
                        "stream is closed").message());
            }
            h.received(b, off, len);
        }
    }
}
