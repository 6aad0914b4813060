package org.jvirt.remote.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.ConnectCloseListener;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainEvent;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.rpc.RpcErrors;
import org.jvirt.remote.internal.xdr.XdrReader;

/** jvirt's client against jvirt's server over a real unix socket, with a small fake node behind it. */
class RpcServerTest {
    @TempDir
    Path dir;
    private RpcServer server;
    private FakeNodeDriver node;
    private FrontEndImpl clientSide;

    @BeforeEach
    void start() throws IOException {
        node = new FakeNodeDriver();
        FrontEndImpl serverSide = FrontEndImpl.of(node);
        DaemonConfig conf = DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\nmax_clients = 4\n"
                + "listen_tcp = 1\nlisten_tls = 0\nlisten_addr = \"::\"\ntcp_port = \"0\"\nauth_tcp = \"none\"\n", "test.conf");
        server = new RpcServer(serverSide, ServerSettings.from(conf, true, dir), m -> { });
        server.start();
        clientSide = new FrontEndImpl();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String uri(String socket) {
        return "fake+unix:///node?socket=" + dir.resolve(socket);
    }

    @Test
    void callsGoOverTheWire() {
        try (Connect c = clientSide.open(uri("libvirt-sock"), null, Set.of())) {
            assertEquals("Fake", c.getType());
            assertEquals("fakehost", c.getHostname());
            assertEquals(uri("libvirt-sock"), c.getURI(), "as libvirt: the URI the client opened");
            List<Domain> all = c.listAllDomains();
            assertEquals(List.of("alpha", "beta"), all.stream().map(Domain::getName).toList());
            Domain alpha = c.lookupByName("alpha");
            assertEquals(DomainState.RUNNING, alpha.getState().state());
            VirtException missing = assertThrows(VirtException.class, () -> c.lookupByName("gamma"));
            assertEquals(ErrorCode.NO_DOMAIN, missing.code());
            assertEquals("Domain not found: no domain with matching name 'gamma'", missing.getMessage());
            VirtException flags = assertThrows(VirtException.class, () -> alpha.destroy(1 << 30));
            assertEquals("unsupported flags (0x40000000) in function virDomainDestroyFlags", flags.getMessage());
            assertTrue(c.isAlive());
        }
    }

    @Test
    void eventsArriveWhileSomeoneListens() throws Exception {
        BlockingQueue<DomainEvent> got = new LinkedBlockingQueue<>();
        try (Connect c = clientSide.open(uri("libvirt-sock"), null, Set.of())) {
            c.addDomainEventListener(got::add);
            c.lookupByName("alpha").destroy();
            DomainEvent e = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no event");
            assertEquals("alpha", e.domain().getName());
            assertEquals(DomainEventType.STOPPED, e.type());
            assertEquals(1, e.detail());
        }
    }

    /**
     * An application reconnects after the daemon went away and came back: its close listener is told, and
     * its event listeners and Domain objects go on working through the new connection.
     */
    @Test
    void eventListenersSurviveAReconnectMadeByTheApplication() throws Exception {
        BlockingQueue<DomainEvent> got = new LinkedBlockingQueue<>();
        BlockingQueue<ConnectCloseListener.Reason> closes = new LinkedBlockingQueue<>();
        try (Connect c = clientSide.open(uri("libvirt-sock"), null, Set.of())) {
            c.addDomainEventListener(got::add);
            c.addCloseListener((conn, why) -> closes.add(why));
            Domain alpha = c.lookupByName("alpha");

            server.close();
            assertEquals(ConnectCloseListener.Reason.EOF, closes.poll(10, TimeUnit.SECONDS), "close listener");
            assertFalse(c.isAlive());
            VirtException down = assertThrows(VirtException.class, c::reconnect);
            assertEquals(ErrorCode.SYSTEM_ERROR, down.code(), down.getMessage());
            assertFalse(c.isAlive(), "a failed reconnect leaves the connection as it was");

            start();
            c.reconnect();
            assertTrue(c.isAlive());
            alpha.destroy();
            DomainEvent e = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no event after the reconnect");
            assertEquals("alpha", e.domain().getName());
            assertEquals(DomainEventType.STOPPED, e.type());
            assertEquals(null, got.poll(300, TimeUnit.MILLISECONDS), "one event, not one per connection");

        }
        Connect closed = clientSide.open(uri("libvirt-sock"), null, Set.of());
        closed.close();
        assertEquals(ErrorCode.INVALID_CONN, assertThrows(VirtException.class, closed::reconnect).code());
    }

    /** Events other than lifecycle travel too: stock virsh's event --all prints them. */
    @Test
    void stockVirshReceivesEveryKindOfEvent() throws Exception {
        Path virsh = Path.of("/usr/bin/virsh");
        if (!Files.isExecutable(virsh)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("virsh is not installed (libvirt-clients), and CI=true requires it");
            }
            org.junit.jupiter.api.Assumptions.abort("virsh is not installed");
        }
        Path out = dir.resolve("events.txt");
        // virsh's output to a file is flushed when it exits: --timeout ends it after the events
        Process events = new ProcessBuilder(virsh.toString(), "-c", uri("libvirt-sock"), "event", "--all", "--loop",
                "--timeout", "6").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try (Connect c = clientSide.open(uri("libvirt-sock"), null, Set.of())) {
            Domain alpha = c.lookupByName("alpha");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < until) {
                alpha.reboot();
                alpha.attachDevice("<interface type='network'><source network='default'/><alias name='net7'/></interface>");
                alpha.destroy();
                Thread.sleep(500);
            }
            assertTrue(events.waitFor(30, TimeUnit.SECONDS), "virsh event --timeout 6 ended");
            String text = Files.readString(out);
            assertTrue(text.contains("event 'reboot' for domain 'alpha'\n"), text);
            assertTrue(text.contains("event 'device-added' for domain 'alpha': net7\n"), text);
            assertTrue(text.contains("event 'tunable' for domain 'alpha':\n\tcputune.vcpu_quota: 1000\n"), text);
            assertTrue(text.contains("event 'lifecycle' for domain 'alpha': Stopped Destroyed\n"), text);
        } finally {
            events.destroy();
            events.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReadOnlySocketRefusesChanges() {
        try (Connect c = clientSide.open(uri("libvirt-sock-ro"), null, Set.of())) {
            assertEquals("Fake", c.getType());
            VirtException e = assertThrows(VirtException.class, () -> c.lookupByName("alpha").destroy());
            assertEquals(ErrorCode.OPERATION_DENIED, e.code());
            assertTrue(e.getMessage().endsWith("read only access prevents virDomainDestroyFlags"), e.getMessage());
            assertEquals(DomainState.RUNNING, node.states.get("alpha").state());
        }
    }

    @Test
    void aDeadServerFailsCallsAndIsAliveTurnsFalse() {
        Connect c = clientSide.open(uri("libvirt-sock"), null, Set.of());
        assertEquals("Fake", c.getType());
        server.close();
        VirtException e = assertThrows(VirtException.class, c::getType);
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertFalse(c.isAlive());
        c.close();
    }

    @Test
    void socketPermissionsAreLibvirtds() throws Exception {
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("libvirt-sock"))));
        assertEquals("rwxrwxrwx", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("libvirt-sock-ro"))));
        Path other = dir.resolve("custom");
        DaemonConfig conf = DaemonConfig.parse("unix_sock_dir = \"" + other + "\"\nunix_sock_rw_perms = \"0770\"\n"
                + "unix_sock_ro_perms = \"0750\"\n", "perms.conf");
        try (RpcServer second = new RpcServer(FrontEndImpl.of(node), ServerSettings.from(conf, false, other), m -> { })) {
            second.start();
            assertEquals("rwxrwx---", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(other.resolve("libvirt-sock"))));
            assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(other.resolve("libvirt-sock-ro"))));
        }
        // a second server on the first one's live socket is refused, and the first keeps serving
        DaemonConfig same = DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\n", "same.conf");
        RpcServer clash = new RpcServer(FrontEndImpl.of(node), ServerSettings.from(same, false, dir), m -> { });
        IOException e = assertThrows(IOException.class, clash::start);
        assertTrue(e.getMessage().contains("another daemon is listening"), e.getMessage());
        try (Connect c = clientSide.open(uri("libvirt-sock"), null, Set.of())) {
            assertEquals("Fake", c.getType());
        }
    }

    @Test
    void saslOrPolkitIsRefusedAtStartUp() {
        VirtException e = assertThrows(VirtException.class, () -> ServerSettings.from(
                DaemonConfig.parse("auth_unix_rw = \"polkit\"\n", "auth.conf"), false, dir));
        assertEquals("configuration file syntax error: auth_unix_rw = \"polkit\" is not supported yet by jvirtd "
                + "(only \"none\"); SASL and polkit authentication will come later", e.getMessage());
    }

    @Test
    void maxClientsIsEnforced() throws Exception {
        Connect[] held = new Connect[4];
        for (int i = 0; i < held.length; i++) {
            held[i] = clientSide.open(uri("libvirt-sock"), null, Set.of());
        }
        VirtException e = assertThrows(VirtException.class, () -> clientSide.open(uri("libvirt-sock"), null, Set.of()));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        for (Connect c : held) {
            c.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.clientCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        try (Connect again = clientSide.open(uri("libvirt-sock"), null, Set.of())) {
            assertEquals("Fake", again.getType());
        }
    }

    @Test
    void unknownProceduresAndProgramsGetAnErrorAndTheConnectionStays() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("libvirt-sock")));
            OutputStream out = Channels.newOutputStream(ch);
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            out.write(new Packet(new MessageHeader(RemoteProtocol.PROGRAM, 1, 99999, MessageHeader.CALL, 7, 0),
                    new byte[0]).encode());
            Packet reply = read(in);
            assertEquals(7, reply.header().serial());
            assertEquals(MessageHeader.ERROR, reply.header().status());
            assertEquals("unknown procedure: 99999", RpcErrors.read(reply.payloadReader()).message());
            out.write(new Packet(new MessageHeader(0x1234, 1, 1, MessageHeader.CALL, 8, 0), new byte[0]).encode());
            reply = read(in);
            assertEquals(8, reply.header().serial());
            assertTrue(RpcErrors.read(reply.payloadReader()).message().contains("Cannot find program 4660 version 1"));
            // a call before CONNECT_OPEN
            out.write(new Packet(new MessageHeader(RemoteProtocol.PROGRAM, 1, 3, MessageHeader.CALL, 9, 0),
                    new byte[0]).encode());
            reply = read(in);
            assertEquals("internal error: connection not open", RpcErrors.read(reply.payloadReader()).message());
        }
    }

    @Test
    void aBadLengthClosesOnlyThatConnection() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("libvirt-sock")));
            OutputStream out = Channels.newOutputStream(ch);
            out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            int got;
            try {
                got = Channels.newInputStream(ch).read();
            } catch (IOException reset) {
                got = -1; // a hang-up with our unread bytes is a reset
            }
            assertEquals(-1, got, "the server hangs up");
        }
        try (Connect c = clientSide.open(uri("libvirt-sock"), null, Set.of())) {
            assertEquals("Fake", c.getType());
        }
    }

    private int tcpPort() {
        return server.listeners().stream().mapToInt(l -> l.port()).filter(p -> p > 0).findFirst().orElseThrow();
    }

    @Test
    void tcpOverIpv4AndIpv6() {
        for (String host : List.of("127.0.0.1", "[::1]")) {
            try (Connect c = clientSide.open("fake+tcp://" + host + ":" + tcpPort() + "/node", null, Set.of())) {
                assertEquals("Fake", c.getType());
                assertEquals(2, c.listAllDomains().size());
                assertFalse(c.isSecure(), "plain tcp is not secure");
            }
        }
    }

    @Test
    void stockVirshOverTcp() throws Exception {
        assertEquals(" Id   Name    State\n------------------------\n 1    alpha   running\n -    beta    shut off\n\n",
                virsh("fake+tcp://127.0.0.1:" + tcpPort() + "/node", "list", "--all"));
    }

    private static String virsh(String uri, String... args) throws Exception {
        Path virsh = Path.of("/usr/bin/virsh");
        if (!Files.isExecutable(virsh)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("virsh is not installed (libvirt-clients), and CI=true requires it");
            }
            org.junit.jupiter.api.Assumptions.abort("virsh is not installed");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(virsh.toString(), "-c", uri));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    /** Stock virsh against jvirt's server. */
    @Test
    void stockVirshListsTheNode() throws Exception {
        Path virsh = Path.of("/usr/bin/virsh");
        if (!Files.isExecutable(virsh)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("virsh is not installed (libvirt-clients), and CI=true requires it");
            }
            org.junit.jupiter.api.Assumptions.abort("virsh is not installed");
        }
        Process p = new ProcessBuilder(virsh.toString(), "-c", uri("libvirt-sock"), "list", "--all")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("""
                 Id   Name    State
                ------------------------
                 1    alpha   running
                 -    beta    shut off

                """, out);
    }

    private static Packet read(DataInputStream in) throws IOException {
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return Packet.decode(body);
    }

    @SuppressWarnings("unused")
    private static XdrReader unused() {
        return null;
    }
}
