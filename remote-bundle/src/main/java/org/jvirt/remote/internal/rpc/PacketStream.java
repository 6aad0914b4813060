package org.jvirt.remote.internal.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reads and writes whole packets on a byte stream (any transport), enforcing libvirt's size limits. */
public final class PacketStream {
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();

    public PacketStream(InputStream in, OutputStream out) {
        // one read system call usually brings a whole packet, length word and body together
        this.in = in instanceof java.io.BufferedInputStream ? in : new java.io.BufferedInputStream(in, 8192);
        this.out = out;
    }

    /** The next packet, or null at a clean end of stream between packets. */
    public Packet read() throws IOException {
        byte[] len = new byte[4];
        int got = readFully(len, true);
        if (got == 0) {
            return null;
        }
        int word = (len[0] & 0xff) << 24 | (len[1] & 0xff) << 16 | (len[2] & 0xff) << 8 | len[3] & 0xff;
        return Packet.decode(readBody(Packet.bodyLength(word)));
    }

    /**
     * The body of a packet of {@code length} bytes, read in steps so that memory grows only with the bytes
     * that actually arrive, not with what a peer declares.
     */
    private byte[] readBody(int length) throws IOException {
        byte[] buf = new byte[Math.min(length, INITIAL)];
        int off = 0;
        while (off < length) {
            if (off == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(length, (long) buf.length * 2));
            }
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new EOFException("the peer closed the connection in the middle of a packet");
            }
            off += n;
        }
        return buf;
    }

    /** VIR_NET_MESSAGE_INITIAL: the first buffer of a packet. */
    private static final int INITIAL = 65536;

    private int readFully(byte[] b, boolean eofAllowedAtStart) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                if (off == 0 && eofAllowedAtStart) {
                    return 0;
                }
                throw new EOFException("the peer closed the connection in the middle of a packet");
            }
            off += n;
        }
        return off;
    }

    /** Writes one framed packet; safe from several threads. */
    public void write(byte[] frame) throws IOException {
        synchronized (writeLock) {
            out.write(frame);
            out.flush();
        }
    }
}
