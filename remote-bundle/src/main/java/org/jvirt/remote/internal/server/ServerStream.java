package org.jvirt.remote.internal.server;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.api.VirtError;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.rpc.RpcErrors;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.StreamPeer;

/**
 * The daemon's end of a client's stream (libvirt's daemonClientStream): the driver's data goes to the client
 * as stream packets of the opening call's procedure and serial; the client's packets go to the driver. Data
 * the driver sends before the call's reply is held back until the reply has gone out.
 */
final class ServerStream implements StreamPeer {
    private final ClientSession session;
    private final int procedure;
    private final int serial;
    private final Runnable onClose;
    private final List<byte[]> early = new ArrayList<>();
    private boolean open;
    private volatile Handler handler;
    private volatile boolean ended;

    ServerStream(ClientSession session, int procedure, int serial, Runnable onClose) {
        this.session = session;
        this.procedure = procedure;
        this.serial = serial;
        this.onClose = onClose;
    }

    private byte[] frame(int status, byte[] payload) {
        return new Packet(new MessageHeader(RemoteProtocol.PROGRAM, RemoteProtocol.VERSION, procedure,
                MessageHeader.STREAM, serial, status), payload).encode();
    }

    private void out(byte[] frame) {
        synchronized (this) {
            if (!open) {
                early.add(frame);
                return;
            }
        }
        session.send(frame);
    }

    /** The call's reply has gone: the data held back follows it. */
    void opened() {
        List<byte[]> held;
        synchronized (this) {
            open = true;
            held = new ArrayList<>(early);
            early.clear();
        }
        for (byte[] f : held) {
            session.send(f);
        }
    }

    @Override
    public void send(byte[] data, int offset, int length) {
        if (!ended && length > 0) {
            byte[] copy = new byte[length];
            System.arraycopy(data, offset, copy, 0, length);
            out(frame(MessageHeader.CONTINUE, copy));
        }
    }

    @Override
    public void sendEnd() {
        if (!ended) {
            ended = true;
            out(frame(MessageHeader.CONTINUE, new byte[0])); // libvirt's end of stream: empty data
        }
    }

    @Override
    public void sendError(VirtError why) {
        if (!ended) {
            ended = true;
            XdrWriter w = new XdrWriter();
            RpcErrors.write(w, why);
            out(frame(MessageHeader.ERROR, w.toByteArray()));
            onClose.run();
        }
    }

    @Override
    public void bind(Handler h) {
        this.handler = h;
    }

    /** A stream packet from the client: data, its finish or its abort (each confirmed, as libvirtd does). */
    void fromClient(Packet p) {
        Handler h = handler;
        switch (p.header().status()) {
            case MessageHeader.CONTINUE -> {
                if (h != null && p.payload().length > 0) {
                    h.received(p.payload(), 0, p.payload().length);
                }
            }
            case MessageHeader.OK -> {
                ended = true;
                if (h != null) {
                    h.finished();
                }
                session.send(frame(MessageHeader.OK, new byte[0]));
                onClose.run();
            }
            default -> {
                ended = true;
                if (h != null) {
                    h.aborted();
                }
                session.send(frame(MessageHeader.OK, new byte[0]));
                onClose.run();
            }
        }
    }

    /** The client went away: the driver's side is aborted. */
    void clientGone() {
        ended = true;
        Handler h = handler;
        if (h != null) {
            h.aborted();
        }
    }
}
