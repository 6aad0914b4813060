package org.jvirt.remote.internal.rpc;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jvirt.remote.internal.xdr.XdrException;

/**
 * Cuts whole packets out of bytes that arrive in any pieces (a non-blocking transport's reads), enforcing
 * libvirt's size limits as {@link PacketStream} does: memory grows only with the bytes that actually
 * arrived, never with what a peer declares. Not thread-safe: one reader feeds it.
 */
public final class PacketFramer {
    /** The buffer a connection starts with; most packets fit it whole. */
    static final int INITIAL = 8192;

    private byte[] buf = new byte[INITIAL];
    /** Bytes in {@link #buf} not yet cut into packets start at 0 and end here. */
    private int filled;

    /**
     * Where the next read may put bytes: the free end of the buffer, grown (at most doubled) when an
     * unfinished packet fills it. Call {@link #next()} until it gives null before asking for space.
     */
    public ByteBuffer space() {
        if (filled == buf.length) {
            // full with an unfinished packet (whole ones are cut first): double, up to the packet's size
            long whole = (long) Packet.bodyLength(lengthWord()) + Packet.LENGTH_SIZE;
            buf = Arrays.copyOf(buf, (int) Math.min(whole, 2L * buf.length));
        }
        return ByteBuffer.wrap(buf, filled, buf.length - filled);
    }

    /** Counts {@code n} bytes a read put into {@link #space()}. */
    public void filled(int n) {
        filled += n;
    }

    /**
     * The next whole packet, or null when more bytes are needed.
     *
     * @throws XdrException when the length word is out of libvirt's range or the header cannot be read
     */
    public Packet next() {
        if (filled < Packet.LENGTH_SIZE) {
            return null;
        }
        int body = Packet.bodyLength(lengthWord());
        int whole = Packet.LENGTH_SIZE + body;
        if (filled < whole) {
            return null;
        }
        Packet p = Packet.decode(Arrays.copyOfRange(buf, Packet.LENGTH_SIZE, whole));
        System.arraycopy(buf, whole, buf, 0, filled - whole);
        filled -= whole;
        if (buf.length > INITIAL && filled <= INITIAL) {
            buf = Arrays.copyOf(buf, INITIAL); // a large packet's buffer is not kept
        }
        return p;
    }

    /** Whether bytes of an unfinished packet are held. */
    public boolean hasPartial() {
        return filled > 0;
    }

    private int lengthWord() {
        return (buf[0] & 0xff) << 24 | (buf[1] & 0xff) << 16 | (buf[2] & 0xff) << 8 | buf[3] & 0xff;
    }
}
