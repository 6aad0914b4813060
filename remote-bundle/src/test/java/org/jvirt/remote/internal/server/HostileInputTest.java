package org.jvirt.remote.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.Procedure;

/**
 * 10^5 hostile packets (seeded): bad lengths, unknown programs, versions and procedures, truncated payloads,
 * oversized strings and random bytes. Each gets an error reply or a closed connection; the daemon keeps
 * serving a well-behaved client throughout, and its threads and memory return to where they were.
 */
class HostileInputTest {
    private static final int PACKETS = 100_000;

    @TempDir
    Path dir;

    @Test
    void hostilePacketsNeverStallOrCrashTheDaemon() throws Exception {
        FrontEndImpl serverSide = FrontEndImpl.of(new FakeNodeDriver());
        DaemonConfig conf = DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\nmax_client_requests = 64\n", "t");
        try (RpcServer server = new RpcServer(serverSide, ServerSettings.from(conf, false, dir), m -> { })) {
            server.start();
            Path sock = dir.resolve("libvirt-sock");
            try (Connect good = new FrontEndImpl().open("fake+unix:///node?socket=" + sock, null, Set.of())) {
                int threadsBefore = Thread.activeCount();
                Random rnd = new Random(20261130L);
                int sent = 0;
                int errors = 0;
                int closes = 0;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (sent < PACKETS) {
                    assertTrue(System.nanoTime() < deadline, "the daemon stalled after " + sent + " packets");
                    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                        ch.connect(UnixDomainSocketAddress.of(sock));
                        OutputStream out = Channels.newOutputStream(ch);
                        DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                        // a burst of framed junk that must each be answered, then one fatal packet
                        int burst = 200 + rnd.nextInt(200);
                        for (int i = 0; i < burst && sent < PACKETS; i++, sent++) {
                            byte[] frame = framedJunk(rnd, i);
                            out.write(frame);
                            int status = replyStatus(in, i);
                            assertEquals(MessageHeader.ERROR, status, "packet " + sent + " was not refused");
                            errors++;
                        }
                        if (sent < PACKETS) {
                            out.write(fatal(rnd));
                            sent++;
                            assertTrue(closedSoon(in), "a malformed frame must close the connection");
                            closes++;
                        }
                    }
                    if (sent % 20_000 < 400) {
                        assertEquals("Fake", good.getType(), "a well-behaved client is served meanwhile");
                    }
                }
                assertEquals(PACKETS, errors + closes);
                assertEquals(2, good.listAllDomains().size());
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.clientCount() > 1 && System.nanoTime() < waitUntil) {
                    Thread.sleep(20);
                }
                assertEquals(1, server.clientCount(), "only the well-behaved client is left");
                assertTrue(Thread.activeCount() <= threadsBefore + 25, "threads leaked: " + Thread.activeCount()
                        + " now, " + threadsBefore + " before");
            }
        }
    }

    /** A complete frame whose content must be refused with an error reply (serial = i). */
    private static byte[] framedJunk(Random rnd, int serial) {
        int kind = rnd.nextInt(6);
        XdrWriter payload = new XdrWriter();
        int program = RemoteProtocol.PROGRAM;
        int version = RemoteProtocol.VERSION;
        int proc = Procedure.DOMAIN_LOOKUP_BY_NAME.number();
        switch (kind) {
            case 0 -> program = rnd.nextInt();
            case 1 -> version = 2 + rnd.nextInt(1000);
            case 2 -> proc = 100_000 + rnd.nextInt(1_000_000);
            case 3 -> payload.writeInt(rnd.nextInt(1 << 20) + 8); // a string length with no bytes behind it
            case 4 -> payload.writeInt(Packet.MAX_STRING + 1 + rnd.nextInt(1000)).writeInt(0);
            default -> {
                byte[] junk = new byte[1 + rnd.nextInt(64)];
                rnd.nextBytes(junk);
                payload.writeFixedOpaque(junk);
                proc = Procedure.DOMAIN_GET_INFO.number(); // random bytes as a domain
                payload = new XdrWriter().writeInt(Integer.MAX_VALUE).writeFixedOpaque(junk);
            }
        }
        return new Packet(new MessageHeader(program, version, proc, MessageHeader.CALL, serial, MessageHeader.OK),
                payload.toByteArray()).encode();
    }

    /** A frame no server can delimit: a bad length word, or random bytes. */
    private static byte[] fatal(Random rnd) {
        if (rnd.nextBoolean()) {
            int len = rnd.nextBoolean() ? rnd.nextInt(28) : Packet.MAX_MESSAGE + 1 + rnd.nextInt(1 << 20);
            return new XdrWriter().writeInt(len).writeInt(rnd.nextInt()).toByteArray();
        }
        byte[] b = new byte[8 + rnd.nextInt(32)];
        rnd.nextBytes(b);
        b[0] = (byte) 0x80; // a length word beyond any limit
        return b;
    }

    private static int replyStatus(DataInputStream in, int serial) throws IOException {
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        Packet p = Packet.decode(body);
        assertEquals(serial, p.header().serial());
        assertEquals(MessageHeader.REPLY, p.header().type());
        return p.header().status();
    }

    private static boolean closedSoon(DataInputStream in) {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
