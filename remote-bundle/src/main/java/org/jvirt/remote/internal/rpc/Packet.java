package org.jvirt.remote.internal.rpc;

import java.util.Arrays;

import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;

/**
 * One message on the wire: a 4-byte big-endian length that counts itself, the header, then the payload.
 * Limits are libvirt's: the header and payload are at most VIR_NET_MESSAGE_MAX (32 MiB), the length word
 * not counted, so the length word is at most 32 MiB + 4.
 */
public record Packet(MessageHeader header, byte[] payload) {
    /** VIR_NET_MESSAGE_MAX: the largest header plus payload, the length word not counted. */
    public static final int MAX_MESSAGE = 33554432;
    /** VIR_NET_MESSAGE_STRING_MAX. */
    public static final int MAX_STRING = 4194304;
    public static final int LENGTH_SIZE = 4;

    /** The whole frame, length word first. The payload is copied as is (stream data is not padded). */
    public byte[] encode() {
        long body = (long) MessageHeader.SIZE + payload.length;
        if (body > MAX_MESSAGE) {
            throw new XdrException("message of " + body + " bytes exceeds the limit of " + MAX_MESSAGE);
        }
        XdrWriter w = new XdrWriter(LENGTH_SIZE + MessageHeader.SIZE);
        w.writeInt(LENGTH_SIZE + (int) body);
        header.write(w);
        byte[] frame = Arrays.copyOf(w.toByteArray(), LENGTH_SIZE + (int) body);
        System.arraycopy(payload, 0, frame, LENGTH_SIZE + MessageHeader.SIZE, payload.length);
        return frame;
    }

    /** Frames a header with the payload written so far by {@code payload}. */
    public static byte[] frame(MessageHeader header, XdrWriter payload) {
        byte[] body = payload.toByteArray();
        return new Packet(header, body).encode();
    }

    /**
     * Checks a frame's length word (which counts itself): room for a header, and at most
     * {@link #MAX_MESSAGE} bytes after the word. Returns the bytes that follow the length word.
     */
    public static int bodyLength(int lengthWord) {
        if (lengthWord < LENGTH_SIZE + MessageHeader.SIZE || lengthWord > MAX_MESSAGE + LENGTH_SIZE) {
            throw new XdrException("packet length " + Integer.toUnsignedString(lengthWord) + " is out of range");
        }
        return lengthWord - LENGTH_SIZE;
    }

    /** Parses the bytes after the length word. */
    public static Packet decode(byte[] body) {
        if (body.length > MAX_MESSAGE) {
            throw new XdrException("message of " + body.length + " bytes exceeds the limit of " + MAX_MESSAGE);
        }
        XdrReader r = new XdrReader(body);
        MessageHeader h = MessageHeader.read(r);
        byte[] payload = new byte[body.length - MessageHeader.SIZE];
        System.arraycopy(body, MessageHeader.SIZE, payload, 0, payload.length);
        return new Packet(h, payload);
    }

    public XdrReader payloadReader() {
        return new XdrReader(payload);
    }
}
