package org.jvirt.remote.internal.xdr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes XDR (RFC 4506): big-endian 4-byte units, strings and opaques padded to 4 bytes. No I/O. */
public final class XdrWriter {
    private byte[] buf;
    private int pos;

    public XdrWriter() {
        this(256);
    }

    public XdrWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    public XdrWriter writeInt(int v) {
        ensure(4);
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
        pos += 4;
        return this;
    }

    public XdrWriter writeHyper(long v) {
        writeInt((int) (v >>> 32));
        return writeInt((int) v);
    }

    public XdrWriter writeBoolean(boolean v) {
        return writeInt(v ? 1 : 0);
    }

    public XdrWriter writeDouble(double v) {
        return writeHyper(Double.doubleToRawLongBits(v));
    }

    /** Fixed-length opaque: the bytes, padded. */
    public XdrWriter writeFixedOpaque(byte[] b) {
        ensure(b.length + 3);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        pad(b.length);
        return this;
    }

    /** Variable-length opaque: length, bytes, padding. */
    public XdrWriter writeOpaque(byte[] b) {
        writeInt(b.length);
        return writeFixedOpaque(b);
    }

    public XdrWriter writeString(String s) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    /** An optional string (XDR pointer): a boolean, then the string when present. */
    public XdrWriter writeOptionalString(String s) {
        writeBoolean(s != null);
        return s == null ? this : writeString(s);
    }

    private void pad(int len) {
        int p = (4 - (len & 3)) & 3;
        ensure(p);
        for (int i = 0; i < p; i++) {
            buf[pos++] = 0;
        }
    }

    /** Overwrites a 4-byte unit already written at {@code offset}. */
    public void setInt(int offset, int v) {
        buf[offset] = (byte) (v >>> 24);
        buf[offset + 1] = (byte) (v >>> 16);
        buf[offset + 2] = (byte) (v >>> 8);
        buf[offset + 3] = (byte) v;
    }

    public int size() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The internal buffer; valid up to {@link #size()}. */
    public byte[] buffer() {
        return buf;
    }
}
