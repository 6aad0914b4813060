package org.jvirt.remote.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.jvirt.remote.internal.rpc.SampleValues.bits;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorLevel;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtError;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Procedure;

/**
 * Golden bytes, written by hand from libvirt's .x files (src/test/resources/rpc/NAME.hex): each case encodes
 * to exactly the file's bytes, and the file decodes to the case's value. A missing file fails the test.
 */
class RpcGoldenTest {

    private static final UUID UUID_1 = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    private static final UUID UUID_2 = UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f");
    private static final DomainRef GUEST1 = new DomainRef("guest1", UUID_1, 3);

    /**
     * One golden file.
     *
     * @param name     the file's name without ".hex"
     * @param encode   the bytes the code writes
     * @param decode   what the code reads from the file's bytes
     * @param expected the value those bytes stand for
     */
    record Case(String name, Supplier<byte[]> encode, Function<byte[], Object> decode, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case args(String name, Procedure p, Object... spiArgs) {
        ProcedureCodec c = RemoteProcedures.codec(p);
        return new Case(name, () -> {
            XdrWriter w = new XdrWriter();
            c.args().write(w, spiArgs);
            return w.toByteArray();
        }, b -> {
            XdrReader r = new XdrReader(b);
            Object[] out = c.args().read(r);
            r.expectEnd();
            return Arrays.asList(out);
        }, Arrays.asList(spiArgs));
    }

    private static Case ret(String name, Procedure p, Object[] callArgs, Object value) {
        ProcedureCodec c = RemoteProcedures.codec(p);
        return new Case(name, () -> {
            XdrWriter w = new XdrWriter();
            c.ret().write(w, callArgs, value);
            return w.toByteArray();
        }, b -> {
            XdrReader r = new XdrReader(b);
            Object out = c.ret().read(r, callArgs);
            r.expectEnd();
            return out;
        }, value);
    }

    /** A whole frame: the header and the payload as read back. */
    record Frame(MessageHeader header, Object payload) {
    }

    private static Case frame(String name, Supplier<byte[]> encode, Function<XdrReader, Object> payload,
            Frame expected) {
        return new Case(name, encode, b -> {
            XdrReader len = new XdrReader(b);
            assertEquals(b.length, Packet.bodyLength(len.readInt()) + 4, "the length word counts itself");
            Packet p = Packet.decode(Arrays.copyOfRange(b, 4, b.length));
            XdrReader r = p.payloadReader();
            Object out = payload.apply(r);
            r.expectEnd();
            return new Frame(p.header(), out);
        }, expected);
    }

    static List<Case> cases() {
        DomainRef a = new DomainRef("a", UUID_1, 1);
        DomainRef test = new DomainRef("test", UUID_2, -1);
        VirtError noDomain = new VirtError(42, 12, ErrorLevel.ERROR, "Domain not found", "nope", null, null, 0, 0,
                null, null);
        MessageHeader lookupCall = new MessageHeader(RemoteProtocol.PROGRAM, RemoteProtocol.VERSION,
                Procedure.DOMAIN_LOOKUP_BY_NAME.number(), MessageHeader.CALL, 7, MessageHeader.OK);
        MessageHeader event = RemoteProtocol.eventHeader(RemoteProtocol.DOMAIN_EVENT_CALLBACK_LIFECYCLE);
        MessageHeader ping = RemoteProtocol.keepaliveHeader(RemoteProtocol.KEEPALIVE_PING);
        Object[] vcpuCall = {GUEST1, 2, 1};
        return List.of(
                args("domain_lookup_by_name-args", Procedure.DOMAIN_LOOKUP_BY_NAME, "guest1"),
                args("connect_list_all_domains-args", Procedure.CONNECT_LIST_ALL_DOMAINS, 3),
                ret("connect_list_all_domains-ret", Procedure.CONNECT_LIST_ALL_DOMAINS, new Object[] {3},
                        List.of(a, test)),
                ret("domain_get_info-ret", Procedure.DOMAIN_GET_INFO, new Object[] {GUEST1},
                        new DomainInfo(DomainState.RUNNING, 1048576, 524288, 2, 1234567890123L)),
                ret("node_get_info-ret", Procedure.NODE_GET_INFO, new Object[0],
                        new NodeInfo("x86_64", 16384000L, 8, 2400, 1, 1, 4, 2)),
                ret("node_get_security_model-ret", Procedure.NODE_GET_SECURITY_MODEL, new Object[0],
                        new SecurityModel("selinux", "0")),
                args("domain_migrate_begin3-args", Procedure.DOMAIN_MIGRATE_BEGIN3, GUEST1, null, 0x0b, "new", 0L),
                ret("domain_get_vcpus-ret", Procedure.DOMAIN_GET_VCPUS, vcpuCall,
                        List.of(new VcpuInfo(0, 1, 5_000_000_000L, 2, bits(0, 1)),
                                new VcpuInfo(1, 1, 1000, 3, bits(2, 3)))),
                args("connect_open-args", Procedure.CONNECT_OPEN, "test:///default", RemoteProtocol.CONNECT_RO),
                ret("domain_get_job_stats-ret", Procedure.DOMAIN_GET_JOB_STATS, new Object[] {GUEST1, 0},
                        new JobStats(JobInfo.COMPLETED, List.of(
                                TypedParameter.ofULong("time_elapsed", 1500),
                                new TypedParameter("ok", TypedParameter.Type.BOOLEAN, true),
                                new TypedParameter("ratio", TypedParameter.Type.DOUBLE, 1.5),
                                new TypedParameter("s", TypedParameter.Type.STRING, "x"),
                                new TypedParameter("i", TypedParameter.Type.INT, -1)))),
                frame("domain_event_callback_lifecycle-frame",
                        () -> RemoteEvents.lifecycleFrame(5, GUEST1, 2, 0), RemoteEvents::readLifecycle,
                        new Frame(event, new RemoteEvents.Lifecycle(5, GUEST1, 2, 0))),
                frame("error-reply-frame", () -> {
                    XdrWriter w = new XdrWriter();
                    RpcErrors.write(w, noDomain);
                    return Packet.frame(lookupCall.reply(MessageHeader.ERROR), w);
                }, RpcErrors::read, new Frame(lookupCall.reply(MessageHeader.ERROR), noDomain)),
                frame("keepalive-ping-frame", () -> new Packet(ping, new byte[0]).encode(), r -> null,
                        new Frame(ping, null)));
    }

    /** The file's bytes: hex digits, whitespace ignored, '#' to the end of the line a comment. */
    private static byte[] load(String name) throws IOException {
        try (InputStream in = RpcGoldenTest.class.getResourceAsStream("/rpc/" + name + ".hex")) {
            if (in == null) {
                fail("missing expected file src/test/resources/rpc/" + name + ".hex: write it by hand from the .x"
                        + " definitions (it is never generated)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String digits = text.lines().map(l -> l.replaceAll("#.*", "")).collect(Collectors.joining())
                    .replaceAll("\\s+", "");
            return HexFormat.of().parseHex(digits);
        }
    }

    /** Groups of four bytes, so that a difference shows which unit it is in. */
    private static String units(byte[] b) {
        String h = HexFormat.of().formatHex(b);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < h.length(); i += 8) {
            s.append(h, i, Math.min(h.length(), i + 8)).append(i % 64 == 56 ? '\n' : ' ');
        }
        return s.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesToTheGoldenBytes(Case c) throws IOException {
        byte[] expected = load(c.name());
        assertEquals(units(expected), units(c.encode().get()), c.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesTheGoldenBytes(Case c) throws IOException {
        SampleValues.assertSame(c.expected(), c.decode().apply(load(c.name())), c.name());
    }

    @Test
    void everyGoldenFileHasACase() throws IOException, URISyntaxException {
        URL dir = RpcGoldenTest.class.getResource("/rpc");
        assertNotNull(dir, "src/test/resources/rpc is missing");
        Set<String> files;
        try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hex"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> named = cases().stream().map(Case::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(named, files, "golden files and cases");
        assertTrue(files.size() >= 5);
    }
}
