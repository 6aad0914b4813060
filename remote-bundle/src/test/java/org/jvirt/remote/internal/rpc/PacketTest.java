package org.jvirt.remote.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ErrorLevel;
import org.jvirt.api.VirtError;
import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;

/** Framing, the message header and the error payload. */
class PacketTest {

    private static final MessageHeader CALL = new MessageHeader(RemoteProtocol.PROGRAM, RemoteProtocol.VERSION, 23,
            MessageHeader.CALL, 7, MessageHeader.OK);

    @Test
    void headerIsSixWords() {
        XdrWriter w = new XdrWriter();
        CALL.write(w);
        assertEquals(MessageHeader.SIZE, w.size());
        assertEquals("20008086" + "00000001" + "00000017" + "00000000" + "00000007" + "00000000",
                HexFormat.of().formatHex(w.toByteArray()));
        assertEquals(CALL, MessageHeader.read(new XdrReader(w.toByteArray())));
    }

    @Test
    void replyKeepsProgramProcedureAndSerial() {
        MessageHeader reply = CALL.reply(MessageHeader.ERROR);
        assertEquals(new MessageHeader(RemoteProtocol.PROGRAM, 1, 23, MessageHeader.REPLY, 7, MessageHeader.ERROR),
                reply);
    }

    @Test
    void frameLengthCountsItself() {
        byte[] frame = new Packet(CALL, new byte[] {0, 0, 0, 4, 't', 'e', 's', 't'}).encode();
        assertEquals(4 + 24 + 8, frame.length);
        assertEquals(frame.length, new XdrReader(frame).readInt());
        assertEquals(frame.length - 4, Packet.bodyLength(frame.length));

        Packet back = Packet.decode(Arrays.copyOfRange(frame, 4, frame.length));
        assertEquals(CALL, back.header());
        assertEquals("test", back.payloadReader().readString(10));
    }

    @Test
    void emptyPayloadFrameIsTwentyEightBytes() {
        byte[] frame = new Packet(RemoteProtocol.keepaliveHeader(RemoteProtocol.KEEPALIVE_PING), new byte[0]).encode();
        assertEquals("0000001c" + "6b656570" + "00000001" + "00000001" + "00000002" + "00000000" + "00000000",
                HexFormat.of().formatHex(frame));
    }

    @Test
    void payloadIsNotPadded() {
        // stream data is raw: three bytes stay three bytes
        byte[] frame = new Packet(CALL, new byte[] {1, 2, 3}).encode();
        assertEquals(4 + 24 + 3, frame.length);
        assertEquals(frame.length, new XdrReader(frame).readInt());
    }

    @Test
    void frameWritesTheWriterPayload() {
        XdrWriter w = new XdrWriter();
        w.writeString("guest1");
        byte[] frame = Packet.frame(CALL, w);
        assertEquals(4 + 24 + 12, frame.length);
        assertArrayEquals(w.toByteArray(), Arrays.copyOfRange(frame, 28, frame.length));
    }

    @Test
    void lengthWordLimitsAreLibvirts() {
        // at least a length word and a header
        assertThrows(XdrException.class, () -> Packet.bodyLength(0));
        assertThrows(XdrException.class, () -> Packet.bodyLength(27));
        assertEquals(24, Packet.bodyLength(28));
        // VIR_NET_MESSAGE_MAX does not count the length word
        assertEquals(Packet.MAX_MESSAGE, Packet.bodyLength(Packet.MAX_MESSAGE + 4));
        assertThrows(XdrException.class, () -> Packet.bodyLength(Packet.MAX_MESSAGE + 5));
        // a "negative" word is a huge unsigned one
        assertThrows(XdrException.class, () -> Packet.bodyLength(-1));
        assertThrows(XdrException.class, () -> Packet.bodyLength(Integer.MIN_VALUE));
    }

    @Test
    void oversizedMessagesAreRefused() {
        byte[] tooBig = new byte[Packet.MAX_MESSAGE - MessageHeader.SIZE + 1];
        assertThrows(XdrException.class, () -> new Packet(CALL, tooBig).encode());
        byte[] justRight = new byte[Packet.MAX_MESSAGE - MessageHeader.SIZE];
        assertEquals(Packet.MAX_MESSAGE + 4, new Packet(CALL, justRight).encode().length);
        assertThrows(XdrException.class, () -> Packet.decode(new byte[Packet.MAX_MESSAGE + 1]));
    }

    @Test
    void shortBodyIsRefused() {
        assertThrows(XdrException.class, () -> Packet.decode(new byte[23]));
    }

    @Test
    void errorRoundTripKeepsRawNumbers() {
        // code 9999 and domain 777 are unknown to this build: the numbers survive
        VirtError e = new VirtError(9999, 777, ErrorLevel.WARNING, "odd failure", "s1", null, "s3", -1, 42, null,
                null);
        assertEquals(ErrorCode.UNKNOWN, e.code());
        assertEquals(ErrorDomain.UNKNOWN, e.domain());
        XdrWriter w = new XdrWriter();
        RpcErrors.write(w, e);
        XdrReader r = new XdrReader(w.toByteArray());
        VirtError back = RpcErrors.read(r);
        r.expectEnd();
        assertEquals(9999, back.codeNumber());
        assertEquals(777, back.domainNumber());
        assertEquals(ErrorLevel.WARNING, back.level());
        assertEquals("odd failure", back.message());
        assertEquals("s1", back.str1());
        assertNull(back.str2());
        assertEquals("s3", back.str3());
        assertEquals(-1, back.int1());
        assertEquals(42, back.int2());
        assertEquals(e, back);
    }

    @Test
    void errorOfKnownCodeRoundTrips() {
        VirtError e = new VirtError(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "Domain not found");
        XdrWriter w = new XdrWriter();
        RpcErrors.write(w, e);
        VirtError back = RpcErrors.read(new XdrReader(w.toByteArray()));
        assertEquals(ErrorCode.NO_DOMAIN, back.code());
        assertEquals(ErrorDomain.TEST, back.domain());
        assertEquals(e, back);
    }

    @Test
    void errorReadsTheDomainAndNetworkPointers() {
        // libvirt's daemons send dom and net as NULL, but the struct has them: a peer that fills them is read
        XdrWriter w = new XdrWriter();
        w.writeInt(42).writeInt(10).writeOptionalString("gone").writeInt(2);
        w.writeBoolean(true);
        XdrTypes.DOMAIN.write(w, new org.jvirt.spi.DomainRef("guest1", new java.util.UUID(1, 2), 3));
        w.writeOptionalString(null).writeOptionalString(null).writeOptionalString(null).writeInt(0).writeInt(0);
        w.writeBoolean(true);
        XdrTypes.NETWORK.write(w, new org.jvirt.spi.NetworkRef("default", new java.util.UUID(3, 4)));
        XdrReader r = new XdrReader(w.toByteArray());
        VirtError back = RpcErrors.read(r);
        r.expectEnd();
        assertEquals("guest1", back.domainName());
        assertEquals("default", back.networkName());
    }

    @Test
    void truncatedErrorFails() {
        XdrWriter w = new XdrWriter();
        RpcErrors.write(w, new VirtError(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "Domain not found"));
        byte[] b = w.toByteArray();
        assertThrows(XdrException.class, () -> RpcErrors.read(new XdrReader(b, 0, b.length - 4)));
    }
}
