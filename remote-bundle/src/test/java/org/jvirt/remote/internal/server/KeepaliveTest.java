package org.jvirt.remote.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.xdr.XdrWriter;

/** Dead peers on either side are found within the keepalive window, and nothing waits forever. */
class KeepaliveTest {
    @TempDir
    Path dir;

    /** The server pings a silent client that asked for keepalive, and drops it when it never answers. */
    @Test
    void theServerDropsAClientThatStopsAnswering() throws Exception {
        DaemonConfig conf = DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\nkeepalive_interval = 1\n"
                + "keepalive_count = 2\n", "t");
        try (RpcServer server = new RpcServer(FrontEndImpl.of(new FakeNodeDriver()), ServerSettings.from(conf, false, dir),
                m -> { })) {
            server.start();
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(dir.resolve("libvirt-sock")));
                OutputStream out = Channels.newOutputStream(ch);
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                out.write(new Packet(new MessageHeader(RemoteProtocol.PROGRAM, 1, RemoteProtocol.CONNECT_SUPPORTS_FEATURE,
                        MessageHeader.CALL, 1, 0), new XdrWriter().writeInt(RemoteProtocol.FEATURE_PROGRAM_KEEPALIVE)
                        .toByteArray()).encode());
                long start = System.nanoTime();
                int pings = 0;
                try {
                    while (true) {
                        int len = in.readInt();
                        byte[] body = new byte[len - 4];
                        in.readFully(body);
                        Packet p = Packet.decode(body);
                        if (p.header().program() == RemoteProtocol.KEEPALIVE_PROGRAM) {
                            pings++;
                        }
                    }
                } catch (EOFException | java.net.SocketException closed) {
                    // dropped
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertEquals(2, pings, "two pings, then the drop");
                assertTrue(seconds <= 8, "dropped after " + seconds + " s");
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.clientCount() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(0, server.clientCount());
        }
    }

    /** A daemon that stops answering fails the client's pending call within the keepalive window. */
    @Test
    void aSilentDaemonFailsPendingCalls() throws Exception {
        Path sock = dir.resolve("silent-sock");
        System.setProperty("jvirt.keepalive.interval", "1");
        System.setProperty("jvirt.keepalive.count", "2");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread daemon = new Thread(() -> handshakeThenSilence(server), "silent-daemon");
            daemon.setDaemon(true);
            daemon.start();
            long start = System.nanoTime();
            try (Connect c = new FrontEndImpl().open("fake+unix:///x?socket=" + sock, null, Set.of())) {
                VirtException e = assertThrows(VirtException.class, c::getType);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
                assertEquals("connection closed due to keepalive timeout", e.getMessage());
                assertTrue(seconds <= 10, "failed after " + seconds + " s");
                assertFalse(c.isAlive());
            }
        } finally {
            System.clearProperty("jvirt.keepalive.interval");
            System.clearProperty("jvirt.keepalive.count");
        }
    }

    /** Answers AUTH_LIST, SUPPORTS_FEATURE and CONNECT_OPEN, then reads and never answers again. */
    private static void handshakeThenSilence(ServerSocketChannel server) {
        try (SocketChannel ch = server.accept()) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            for (int i = 0; i < 3; i++) {
                int len = in.readInt();
                byte[] body = new byte[len - 4];
                in.readFully(body);
                MessageHeader h = Packet.decode(body).header();
                XdrWriter w = new XdrWriter();
                if (h.procedure() == RemoteProtocol.AUTH_LIST) {
                    w.writeInt(1).writeInt(RemoteProtocol.AUTH_NONE);
                } else if (h.procedure() == RemoteProtocol.CONNECT_SUPPORTS_FEATURE) {
                    w.writeInt(1);
                }
                out.write(new Packet(h.reply(MessageHeader.OK), w.toByteArray()).encode());
            }
            while (in.read() >= 0) {
                // silence: read what comes, answer nothing
            }
        } catch (IOException e) {
            // the client hung up
        }
    }
}
