package org.jvirt.remote.internal.rpc;

import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;

/**
 * libvirt's virNetMessageHeader: {prog, vers, proc, type, serial, status}, 24 bytes of XDR.
 */
public record MessageHeader(int program, int version, int procedure, int type, int serial, int status) {
    public static final int SIZE = 24;

    /** virNetMessageType. */
    public static final int CALL = 0;
    public static final int REPLY = 1;
    public static final int MESSAGE = 2;
    public static final int STREAM = 3;
    public static final int CALL_WITH_FDS = 4;
    public static final int REPLY_WITH_FDS = 5;
    public static final int STREAM_HOLE = 6;

    /** virNetMessageStatus. */
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int CONTINUE = 2;

    public void write(XdrWriter w) {
        w.writeInt(program).writeInt(version).writeInt(procedure).writeInt(type).writeInt(serial).writeInt(status);
    }

    public static MessageHeader read(XdrReader r) {
        return new MessageHeader(r.readInt(), r.readInt(), r.readInt(), r.readInt(), r.readInt(), r.readInt());
    }

    /** The reply header for a call. */
    public MessageHeader reply(int replyStatus) {
        return new MessageHeader(program, version, procedure, REPLY, serial, replyStatus);
    }
}
