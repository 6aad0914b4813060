package org.jvirt.remote.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtError;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.ProcedureCodec;
import org.jvirt.remote.internal.rpc.RemoteProcedures;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.rpc.RpcErrors;
import org.jvirt.remote.internal.rpc.SampleValues;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.Procedure;

/**
 * Generated from the procedure table: over the read-only socket, every mutating procedure is refused with
 * OPERATION_DENIED before it reaches a driver, and every other one is not refused for being read-only.
 */
class ReadOnlyProcedureTest {
    @TempDir
    static Path dir;
    private static RpcServer server;
    private static FakeNodeDriver node;

    @BeforeAll
    static void start() throws IOException {
        node = new FakeNodeDriver();
        DaemonConfig conf = DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\n", "t");
        server = new RpcServer(FrontEndImpl.of(node), ServerSettings.from(conf, false, dir), m -> { });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyProcedureOnTheReadOnlySocket() {
        return Stream.of(Procedure.values())
                .filter(p -> p.number() != 0 && p.owner() != org.jvirt.spi.Driver.class
                        && p != Procedure.CONNECT_CLOSE && p != Procedure.NETWORK_CONNECT_CLOSE)
                .map(p -> DynamicTest.dynamicTest(p.procedureName() + (p.isMutating() ? " refused" : " allowed"),
                        () -> check(p)));
    }

    private static void check(Procedure p) throws Exception {
        ProcedureCodec codec = RemoteProcedures.codec(p);
        Method m = p.method();
        Type[] types = m.getGenericParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = SampleValues.of(types[i], i);
        }
        XdrWriter payload = new XdrWriter();
        codec.args().write(payload, args);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("libvirt-sock-ro")));
            OutputStream out = Channels.newOutputStream(ch);
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            XdrWriter open = new XdrWriter().writeOptionalString("fake:///node").writeInt(0);
            out.write(call(RemoteProtocol.CONNECT_OPEN, 1, open));
            assertEquals(MessageHeader.OK, read(in).header().status());
            out.write(call(p.number(), 2, payload));
            Packet reply = read(in);
            if (p.isMutating()) {
                assertEquals(MessageHeader.ERROR, reply.header().status(), p + " was not refused");
                VirtError e = RpcErrors.read(reply.payloadReader());
                assertEquals(ErrorCode.OPERATION_DENIED, e.code(), e.message());
                assertEquals("operation forbidden: read only access prevents " + p.apiName(), e.message());
            } else if (reply.header().status() == MessageHeader.ERROR) {
                VirtError e = RpcErrors.read(reply.payloadReader());
                assertEquals(false, e.code() == ErrorCode.OPERATION_DENIED, p + " was refused: " + e.message());
            }
        }
    }

    private static byte[] call(int proc, int serial, XdrWriter payload) {
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
