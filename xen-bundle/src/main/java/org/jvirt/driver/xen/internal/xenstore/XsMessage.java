package org.jvirt.driver.xen.internal.xenstore;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One xenstore wire message ({@code xen/io/xs_wire.h}): a header of four little-endian 32-bit words
 * {type, req_id, tx_id, len}, then {@code len} bytes of payload (at most {@value #MAX_PAYLOAD}).
 *
 * @param type    one of the {@code XS_*} message types
 * @param reqId   chosen by the client, echoed by the daemon
 * @param txId    the transaction, 0 for none
 * @param payload the payload bytes
 */
public record XsMessage(int type, int reqId, int txId, byte[] payload) {
    public static final int HEADER = 16;
    public static final int MAX_PAYLOAD = 4096;

    public static final int XS_CONTROL = 0;
    public static final int XS_DIRECTORY = 1;
    public static final int XS_READ = 2;
    public static final int XS_GET_PERMS = 3;
    public static final int XS_WATCH = 4;
    public static final int XS_UNWATCH = 5;
    public static final int XS_TRANSACTION_START = 6;
    public static final int XS_TRANSACTION_END = 7;
    public static final int XS_INTRODUCE = 8;
    public static final int XS_RELEASE = 9;
    public static final int XS_GET_DOMAIN_PATH = 10;
    public static final int XS_WRITE = 11;
    public static final int XS_MKDIR = 12;
    public static final int XS_RM = 13;
    public static final int XS_SET_PERMS = 14;
    public static final int XS_WATCH_EVENT = 15;
    public static final int XS_ERROR = 16;

    /** The header and payload as sent. */
    public ByteBuffer encode() {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("xenstore payload of " + payload.length + " bytes exceeds "
                    + MAX_PAYLOAD);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(reqId).putInt(txId).putInt(payload.length).put(payload);
        return b.flip();
    }

    /** Reads a header; the payload length it announces is checked against the protocol's maximum. */
    public static int[] decodeHeader(ByteBuffer header) {
        ByteBuffer b = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int[] h = {b.getInt(), b.getInt(), b.getInt(), b.getInt()};
        if (h[3] < 0 || h[3] > MAX_PAYLOAD) {
            throw new IllegalStateException("xenstore message announces " + Integer.toUnsignedString(h[3])
                    + " payload bytes (max " + MAX_PAYLOAD + ")");
        }
        return h;
    }

    /** Strings each followed by a NUL. */
    public static byte[] strings(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The payload split at NULs; a trailing NUL ends the last string. */
    public List<String> splitStrings() {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                parts.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < payload.length) {
            parts.add(new String(payload, start, payload.length - start, StandardCharsets.UTF_8));
        }
        return parts;
    }

    /** The payload as one string, less a trailing NUL. */
    public String text() {
        int n = payload.length;
        if (n > 0 && payload[n - 1] == 0) {
            n--;
        }
        return new String(payload, 0, n, StandardCharsets.UTF_8);
    }
}
