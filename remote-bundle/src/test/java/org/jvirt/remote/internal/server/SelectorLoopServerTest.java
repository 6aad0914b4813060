package org.jvirt.remote.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.DomainState;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.xdr.XdrWriter;

/** The selector loop that serves plain clients: a blocked call, a request limit and a client that never reads. */
@org.junit.jupiter.api.Timeout(120)
class SelectorLoopServerTest {
    @TempDir
    Path dir;
    private RpcServer server;
    private final FakeNodeDriver node = new FakeNodeDriver();

    private void start(String extraConf) throws Exception {
        DaemonConfig conf = DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\n" + extraConf, "t");
        server = new RpcServer(FrontEndImpl.of(node), ServerSettings.from(conf, false, dir), m -> { });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Connect open() {
        return new FrontEndImpl().open("fake+unix:///node?socket=" + dir.resolve("libvirt-sock"), null, Set.of());
    }

    /** A driver call that blocks (a stuck hypervisor) holds its client only: the others are served meanwhile. */
    @Test
    void aBlockedCallDoesNotStopTheOtherClients() throws Exception {
        start("");
        CountDownLatch hold = new CountDownLatch(1);
        node.holdInfo = hold;
        try (Connect stuck = open(); Connect other = open()) {
            CompletableFuture<DomainState> blocked = CompletableFuture.supplyAsync(
                    () -> stuck.lookupByName("beta").getInfo().state());
            Thread.sleep(300); // the loop thread is inside the blocked call by now
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertEquals("Fake", other.getType());
                assertEquals(DomainState.RUNNING, other.lookupByName("alpha").getInfo().state());
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 5000, "the other client waited " + ms + " ms");
            assertTrue(!blocked.isDone(), "the blocked call is still blocked");
            hold.countDown();
            assertEquals(DomainState.SHUTOFF, blocked.get(10, TimeUnit.SECONDS));
        } finally {
            hold.countDown();
        }
    }

    /** More concurrent changes than max_client_requests: the rest wait in order, and every one is answered. */
    @Test
    void callsBeyondTheRequestLimitWaitAndAreAllAnswered() throws Exception {
        start("max_client_requests = 1\nmax_workers = 2\n");
        try (Connect c = open()) {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(CompletableFuture.runAsync(() -> c.lookupByName("alpha").destroy()));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals("Fake", c.getType(), "reading resumed after the backlog drained");
        }
    }

    /** A client that sends calls and never reads the replies: its replies wait in its outbox; others go on. */
    @Test
    void aClientThatReadsNothingDoesNotStallOthers() throws Exception {
        start("");
        try (SocketChannel mute = SocketChannel.open(StandardProtocolFamily.UNIX); Connect other = open()) {
            mute.connect(UnixDomainSocketAddress.of(dir.resolve("libvirt-sock")));
            OutputStream out = Channels.newOutputStream(mute);
            byte[] call = new Packet(new MessageHeader(RemoteProtocol.PROGRAM, 1, RemoteProtocol.AUTH_LIST,
                    MessageHeader.CALL, 1, 0), new XdrWriter(0).toByteArray()).encode();
            for (int i = 0; i < 20_000; i++) {
                out.write(call); // about 1 MB of replies, more than the socket holds
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertEquals("Fake", other.getType());
            }
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5000);
            // and the mute client's replies are all there once it reads
            DataInputStream in = new DataInputStream(Channels.newInputStream(mute));
            for (int i = 0; i < 20_000; i++) {
                int len = in.readInt();
                in.readFully(new byte[len - 4]);
            }
        }
    }
}
