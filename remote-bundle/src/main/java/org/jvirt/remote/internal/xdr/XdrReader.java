package org.jvirt.remote.internal.xdr;

import java.nio.charset.StandardCharsets;

/** Reads XDR from a byte range, checking every length against the bytes left and the caller's limits. */
public final class XdrReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public XdrReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public XdrReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw new XdrException("truncated XDR data: " + n + " bytes needed, " + (end - pos) + " left");
        }
    }

    public int readInt() {
        need(4);
        int v = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8 | buf[pos + 3] & 0xff;
        pos += 4;
        return v;
    }

    public long readHyper() {
        long hi = readInt() & 0xffffffffL;
        long lo = readInt() & 0xffffffffL;
        return hi << 32 | lo;
    }

    public boolean readBoolean() {
        int v = readInt();
        if (v != 0 && v != 1) {
            throw new XdrException("bad XDR boolean " + v);
        }
        return v == 1;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readHyper());
    }

    /** A fixed-length opaque of {@code len} bytes (and its padding). */
    public byte[] readFixedOpaque(int len) {
        if (len < 0) {
            throw new XdrException("negative XDR opaque length " + len);
        }
        int padded = len + ((4 - (len & 3)) & 3);
        need(padded);
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += padded;
        return out;
    }

    /** A variable-length opaque of at most {@code max} bytes. */
    public byte[] readOpaque(int max) {
        int len = readInt();
        if (len < 0 || len > max) {
            throw new XdrException("XDR opaque of " + Integer.toUnsignedString(len) + " bytes exceeds the limit of " + max);
        }
        return readFixedOpaque(len);
    }

    /** A string of at most {@code max} bytes. */
    public String readString(int max) {
        return new String(readOpaque(max), StandardCharsets.UTF_8);
    }

    public String readOptionalString(int max) {
        return readBoolean() ? readString(max) : null;
    }

    /** An array length, at most {@code max}. */
    public int readLength(int max) {
        int n = readInt();
        if (n < 0 || n > max) {
            throw new XdrException("XDR array of " + Integer.toUnsignedString(n) + " items exceeds the limit of " + max);
        }
        return n;
    }

    /** Bytes not yet read. */
    public int remaining() {
        return end - pos;
    }

    /** Fails unless every byte was read. */
    public void expectEnd() {
        if (pos != end) {
            throw new XdrException((end - pos) + " unexpected bytes after the XDR data");
        }
    }
}
