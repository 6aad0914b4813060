package org.jvirt.remote.internal.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The XDR codec on byte arrays (RFC 4506): big-endian units, padding, limits, truncation. */
class XdrCodecTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String hex(XdrWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    @Test
    void intsAreBigEndianFourBytes() {
        XdrWriter w = new XdrWriter(1).writeInt(1).writeInt(-2).writeInt(0x7fffffff).writeInt(Integer.MIN_VALUE);
        assertEquals("00000001" + "fffffffe" + "7fffffff" + "80000000", hex(w));
        XdrReader r = new XdrReader(w.toByteArray());
        assertEquals(1, r.readInt());
        assertEquals(-2, r.readInt());
        assertEquals(0x7fffffff, r.readInt());
        assertEquals(Integer.MIN_VALUE, r.readInt());
        r.expectEnd();
    }

    @Test
    void hypersAreEightBytesHighWordFirst() {
        XdrWriter w = new XdrWriter().writeHyper(0x0102030405060708L).writeHyper(-1L).writeHyper(0x80000000L);
        assertEquals("0102030405060708" + "ffffffffffffffff" + "0000000080000000", hex(w));
        XdrReader r = new XdrReader(w.toByteArray());
        assertEquals(0x0102030405060708L, r.readHyper());
        assertEquals(-1L, r.readHyper());
        assertEquals(0x80000000L, r.readHyper(), "the low word is not sign-extended");
    }

    @Test
    void doublesAreIeeeBigEndian() {
        XdrWriter w = new XdrWriter().writeDouble(1.5);
        assertEquals("3ff8000000000000", hex(w));
        assertEquals(1.5, new XdrReader(w.toByteArray()).readDouble());
    }

    @Test
    void booleansAreZeroOrOne() {
        assertEquals("0000000100000000", hex(new XdrWriter().writeBoolean(true).writeBoolean(false)));
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000002")).readBoolean());
    }

    @Test
    void stringsAreLengthBytesAndPadding() {
        assertEquals("00000000", hex(new XdrWriter().writeString("")));
        assertEquals("00000001" + "61000000", hex(new XdrWriter().writeString("a")));
        assertEquals("00000003" + "61626300", hex(new XdrWriter().writeString("abc")));
        assertEquals("00000004" + "61626364", hex(new XdrWriter().writeString("abcd")));
        assertEquals("00000005" + "6162636465000000", hex(new XdrWriter().writeString("abcde")));
        // UTF-8: the length counts bytes, not chars
        assertEquals("00000002" + "c3a90000", hex(new XdrWriter().writeString("é")));
        XdrReader r = new XdrReader(hex("00000005 6162636465000000 00000002 c3a90000"));
        assertEquals("abcde", r.readString(100));
        assertEquals("é", r.readString(100));
        r.expectEnd();
    }

    @Test
    void opaquesArePaddedLikeStrings() {
        assertEquals("00000002" + "ff010000", hex(new XdrWriter().writeOpaque(new byte[] {-1, 1})));
        assertEquals("ff010000", hex(new XdrWriter().writeFixedOpaque(new byte[] {-1, 1})));
        XdrReader r = new XdrReader(hex("00000002 ff010000 0102 0304"));
        assertArrayEquals(new byte[] {-1, 1}, r.readOpaque(2));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, r.readFixedOpaque(4));
        r.expectEnd();
    }

    @Test
    void optionalStringsArePointers() {
        assertEquals("00000000", hex(new XdrWriter().writeOptionalString(null)));
        assertEquals("00000001" + "00000002" + "6869" + "0000", hex(new XdrWriter().writeOptionalString("hi")));
        XdrReader r = new XdrReader(hex("00000000 00000001 00000002 68690000"));
        assertNull(r.readOptionalString(10));
        assertEquals("hi", r.readOptionalString(10));
    }

    @Test
    void truncatedInputFails() {
        assertThrows(XdrException.class, () -> new XdrReader(hex("000000")).readInt());
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000000 000000")).readHyper());
        // the bytes are there but their padding is not
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000001 61")).readString(10));
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000008 61626364")).readOpaque(10));
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000001")).readOptionalString(10));
        assertThrows(XdrException.class, () -> new XdrReader(new byte[0]).readBoolean());
    }

    @Test
    void lengthsOverTheLimitFail() {
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000005 6162636465000000")).readString(4));
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000003 01020300")).readOpaque(2));
        assertThrows(XdrException.class, () -> new XdrReader(hex("00000011")).readLength(16));
        assertEquals(16, new XdrReader(hex("00000010")).readLength(16));
        // a negative length is a huge unsigned one
        assertThrows(XdrException.class, () -> new XdrReader(hex("ffffffff")).readLength(16));
        assertThrows(XdrException.class, () -> new XdrReader(hex("ffffffff")).readOpaque(Integer.MAX_VALUE));
        assertThrows(XdrException.class, () -> new XdrReader(new byte[4]).readFixedOpaque(-1));
    }

    /** A hostile length word is refused before anything of that size is allocated. */
    @Test
    void hugeDeclaredLengthsNeverAllocate() {
        for (String word : new String[] {"7fffffff", "7ffffffc", "7ffffffd", "40000000", "80000000", "fffffff0"}) {
            byte[] data = hex(word + "00000000");
            assertThrows(XdrException.class, () -> new XdrReader(data).readOpaque(Integer.MAX_VALUE), word);
            assertThrows(XdrException.class, () -> new XdrReader(data).readString(Integer.MAX_VALUE), word);
            assertThrows(XdrException.class, () -> new XdrReader(data).readOptionalString(Integer.MAX_VALUE), word);
        }
        assertThrows(XdrException.class, () -> new XdrReader(new byte[8]).readFixedOpaque(Integer.MAX_VALUE));
        assertThrows(XdrException.class, () -> new XdrReader(new byte[8]).readFixedOpaque(Integer.MAX_VALUE - 3));
    }

    @Test
    void readerHonoursItsRange() {
        byte[] buf = hex("ffffffff 00000007 ffffffff");
        XdrReader r = new XdrReader(buf, 4, 4);
        assertEquals(4, r.remaining());
        assertEquals(7, r.readInt());
        assertEquals(0, r.remaining());
        assertThrows(XdrException.class, r::readInt);
    }

    @Test
    void expectEndRefusesTrailingBytes() {
        XdrReader r = new XdrReader(hex("00000001 00000002"));
        r.readInt();
        assertThrows(XdrException.class, r::expectEnd);
        r.readInt();
        r.expectEnd();
    }

    @Test
    void writerGrowsAndPatches() {
        XdrWriter w = new XdrWriter(1);
        w.writeInt(0);
        for (int i = 0; i < 1000; i++) {
            w.writeInt(i);
        }
        w.setInt(0, 0xcafebabe);
        assertEquals(4004, w.size());
        XdrReader r = new XdrReader(w.toByteArray());
        assertEquals(0xcafebabe, r.readInt());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, r.readInt());
        }
        assertFalse(r.remaining() > 0);
        assertTrue(w.buffer().length >= w.size());
    }
}
