package org.jvirt.remote.internal.interop;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.UUID;

import org.jvirt.api.VirtError;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.rpc.RpcErrors;
import org.jvirt.remote.internal.rpc.XdrTypes;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainRef;

/**
 * One REMOTE call made by hand on a daemon's socket (for procedures jvirt has no codec for): opens
 * {@code test:///default}, sends the call, returns the daemon's error, or null when it answered OK.
 */
final class RawRemoteCall {
    /** test:///default's domain, as a client names it. */
    static final DomainRef TEST_DOMAIN = new DomainRef("test", UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f"), 1);

    private RawRemoteCall() {
    }

    /** The arguments of a call: the domain first. */
    static XdrWriter domainArgs() {
        XdrWriter w = new XdrWriter();
        XdrTypes.DOMAIN.write(w, TEST_DOMAIN);
        return w;
    }

    static VirtError call(Path socket, int procedure, XdrWriter args) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            out.write(packet(RemoteProtocol.CONNECT_OPEN, 1,
                    new XdrWriter().writeOptionalString("test:///default").writeInt(0)));
            Packet opened = read(in);
            if (opened.header().status() != MessageHeader.OK) {
                throw new IOException("open failed: " + RpcErrors.read(opened.payloadReader()).message());
            }
            out.write(packet(procedure, 2, args));
            Packet reply = read(in);
            return reply.header().status() == MessageHeader.OK ? null : RpcErrors.read(reply.payloadReader());
        }
    }

    private static byte[] packet(int proc, int serial, XdrWriter payload) {
        return new Packet(new MessageHeader(RemoteProtocol.PROGRAM, RemoteProtocol.VERSION, proc, MessageHeader.CALL,
                serial, MessageHeader.OK), payload.toByteArray()).encode();
    }

    private static Packet read(DataInputStream in) throws IOException {
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return Packet.decode(body);
    }
}
