package org.jvirt.remote.internal.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jvirt.api.TypedParameter;
import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.NetworkRef;

/**
 * The XDR types of libvirt's remote_protocol.x that jvirt's procedures use. A type that is not a pointer
 * on the wire refuses null with an {@link XdrException}.
 */
public final class XdrTypes {
    private XdrTypes() {
    }

    /** A wire type from a writer and a reader. */
    public static <T> XdrType<T> of(BiConsumer<XdrWriter, T> writer, Function<XdrReader, T> reader) {
        return new XdrType<>() {
            @Override
            public void write(XdrWriter w, T value) {
                writer.accept(w, value);
            }

            @Override
            public T read(XdrReader r) {
                return reader.apply(r);
            }
        };
    }

    /** Refuses null where the wire has no pointer. */
    public static <T> T nonNull(T value, String what) {
        if (value == null) {
            throw new XdrException(what + " is null but the wire has no pointer for it");
        }
        return value;
    }

    public static final XdrType<Integer> INT = of((w, v) -> w.writeInt(nonNull(v, "int")), XdrReader::readInt);

    /** unsigned int: the same four bytes; Java keeps the bits in an int. */
    public static final XdrType<Integer> UINT = INT;

    public static final XdrType<Long> HYPER = of((w, v) -> w.writeHyper(nonNull(v, "hyper")), XdrReader::readHyper);

    /** unsigned hyper: the same eight bytes; Java keeps the bits in a long. */
    public static final XdrType<Long> UHYPER = HYPER;

    /** A C int used as a boolean: written 1 or 0, any non-zero read as true. */
    public static final XdrType<Boolean> BOOL = of((w, v) -> w.writeInt(nonNull(v, "boolean") ? 1 : 0),
            r -> r.readInt() != 0);

    public static final XdrType<Double> DOUBLE = of((w, v) -> w.writeDouble(nonNull(v, "double")),
            XdrReader::readDouble);

    /**
     * Flags carried as {@code unsigned hyper} (the migration procedures) but held in a Java int: written
     * zero-extended; a value that does not fit 32 bits is refused.
     */
    public static final XdrType<Integer> UHYPER_FLAGS = of(
            (w, v) -> w.writeHyper(Integer.toUnsignedLong(nonNull(v, "flags"))),
            r -> {
                long v = r.readHyper();
                if ((v & 0xffffffff00000000L) != 0) {
                    throw new XdrException("flags 0x" + Long.toHexString(v) + " do not fit 32 bits");
                }
                return (int) v;
            });

    /** remote_nonnull_string: at most REMOTE_STRING_MAX bytes of UTF-8. */
    public static final XdrType<String> STRING = of(
            (w, v) -> w.writeOpaque(checkLength(nonNull(v, "a non-null string").getBytes(StandardCharsets.UTF_8),
                    Packet.MAX_STRING, "string")),
            r -> r.readString(Packet.MAX_STRING));

    /** remote_string: a string pointer. */
    public static final XdrType<String> OPT_STRING = optional(STRING);

    /** remote_uuid: 16 bytes, most significant first. */
    public static final XdrType<UUID> UUID_TYPE = of(
            (w, v) -> {
                nonNull(v, "uuid");
                w.writeHyper(v.getMostSignificantBits());
                w.writeHyper(v.getLeastSignificantBits());
            },
            r -> new UUID(r.readHyper(), r.readHyper()));

    /** remote_nonnull_domain {name, uuid, id}. */
    public static final XdrType<DomainRef> DOMAIN = of(
            (w, d) -> {
                nonNull(d, "domain");
                STRING.write(w, d.name());
                UUID_TYPE.write(w, d.uuid());
                w.writeInt(d.id());
            },
            r -> new DomainRef(STRING.read(r), UUID_TYPE.read(r), r.readInt()));

    /** remote_domain: a domain pointer. */
    public static final XdrType<DomainRef> OPT_DOMAIN = optional(DOMAIN);

    /** remote_nonnull_network {name, uuid}. */
    public static final XdrType<NetworkRef> NETWORK = of(
            (w, n) -> {
                nonNull(n, "network");
                STRING.write(w, n.name());
                UUID_TYPE.write(w, n.uuid());
            },
            r -> new NetworkRef(STRING.read(r), UUID_TYPE.read(r)));

    private static byte[] checkLength(byte[] b, int max, String what) {
        if (b.length > max) {
            throw new XdrException(what + " of " + b.length + " bytes exceeds the limit of " + max);
        }
        return b;
    }

    /** A variable-length opaque of at most {@code max} bytes; null is written as empty. */
    public static XdrType<byte[]> opaque(int max) {
        return of((w, v) -> w.writeOpaque(checkLength(v == null ? new byte[0] : v, max, "opaque")),
                r -> r.readOpaque(max));
    }

    /**
     * A CPU map carried as {@code opaque<max>}: bit i is bit {@code i % 8} of byte {@code i / 8}, as
     * libvirt's VIR_USE_CPU. Written with as many bytes as the highest set bit needs, at least one.
     */
    public static XdrType<BitSet> bitmap(int max) {
        return of((w, v) -> {
            byte[] b = nonNull(v, "cpu map").toByteArray();
            w.writeOpaque(checkLength(b.length == 0 ? new byte[1] : b, max, "cpu map"));
        }, r -> BitSet.valueOf(r.readOpaque(max)));
    }

    /** The bytes of a CPU map, exactly {@code len} of them: bits at or above {@code len * 8} are dropped. */
    public static byte[] bitmapBytes(BitSet bits, int len) {
        return Arrays.copyOf(bits.toByteArray(), len);
    }

    /**
     * {@code char name<max>}: a C string sent with its terminating NUL, each char in its own 4-byte unit
     * (rpcgen's xdr_char). At most {@code max} chars, the NUL included. Read up to the first NUL.
     */
    public static XdrType<String> charArray(int max) {
        return of((w, v) -> {
            byte[] b = nonNull(v, "string").getBytes(StandardCharsets.UTF_8);
            if (b.length + 1 > max) {
                throw new XdrException("string of " + b.length + " bytes exceeds the limit of " + (max - 1));
            }
            w.writeInt(b.length + 1);
            writeChars(w, b, b.length + 1);
        }, r -> {
            int n = r.readLength(max);
            return readChars(r, n);
        });
    }

    /**
     * {@code char name[len]}: a fixed array of chars, each in its own 4-byte unit, NUL-padded; the string
     * is cut to {@code len - 1} bytes so that it stays NUL-terminated (a cut never splits a UTF-8 sequence).
     */
    public static XdrType<String> charVector(int len) {
        return of((w, v) -> writeChars(w, utf8Prefix(nonNull(v, "string"), len - 1), len),
                r -> readChars(r, len));
    }

    private static byte[] utf8Prefix(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return b;
        }
        int end = maxBytes;
        while (end > 0 && (b[end] & 0xc0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(b, end);
    }

    /** Writes {@code units} chars: the bytes, then NULs; each sign-extended as C's xdr_char does. */
    private static void writeChars(XdrWriter w, byte[] b, int units) {
        for (int i = 0; i < units; i++) {
            w.writeInt(i < b.length ? b[i] : 0);
        }
    }

    private static String readChars(XdrReader r, int units) {
        if (units > r.remaining() / 4) {
            throw new XdrException("truncated XDR data: " + units + " chars declared, " + r.remaining() + " bytes left");
        }
        byte[] b = new byte[units];
        int len = -1;
        for (int i = 0; i < units; i++) {
            b[i] = (byte) r.readInt();
            if (b[i] == 0 && len < 0) {
                len = i;
            }
        }
        return new String(b, 0, len < 0 ? units : len, StandardCharsets.UTF_8);
    }

    /** An XDR pointer: a boolean, then the value when present. */
    public static <T> XdrType<T> optional(XdrType<T> t) {
        return of((w, v) -> {
            w.writeBoolean(v != null);
            if (v != null) {
                t.write(w, v);
            }
        }, r -> r.readBoolean() ? t.read(r) : null);
    }

    /** A variable-length array of at most {@code max} items. */
    public static <T> XdrType<List<T>> list(XdrType<T> item, int max) {
        return of((w, v) -> {
            nonNull(v, "array");
            if (v.size() > max) {
                throw new XdrException("array of " + v.size() + " items exceeds the limit of " + max);
            }
            w.writeInt(v.size());
            for (T t : v) {
                item.write(w, t);
            }
        }, r -> {
            int n = r.readLength(max);
            List<T> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                out.add(item.read(r));
            }
            return out;
        });
    }

    /** An int array of at most {@code max} items, as a Java int[]. */
    public static XdrType<int[]> intArray(int max) {
        return of((w, v) -> {
            nonNull(v, "array");
            if (v.length > max) {
                throw new XdrException("array of " + v.length + " items exceeds the limit of " + max);
            }
            w.writeInt(v.length);
            for (int i : v) {
                w.writeInt(i);
            }
        }, r -> {
            int n = r.readLength(max);
            if (n > r.remaining() / 4) {
                throw new XdrException("truncated XDR data: " + n + " ints declared, " + r.remaining() + " bytes left");
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = r.readInt();
            }
            return out;
        });
    }

    /** A variable-length array of (unsigned) hypers, at most {@code max}. */
    public static XdrType<long[]> hyperArray(int max) {
        return of((w, v) -> {
            nonNull(v, "array");
            if (v.length > max) {
                throw new XdrException("array of " + v.length + " items exceeds the limit of " + max);
            }
            w.writeInt(v.length);
            for (long l : v) {
                w.writeHyper(l);
            }
        }, r -> {
            int n = r.readLength(max);
            if (n > r.remaining() / 8) {
                throw new XdrException("truncated XDR data: " + n + " hypers declared, " + r.remaining() + " bytes left");
            }
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = r.readHyper();
            }
            return out;
        });
    }

    /** A value mapped to and from another wire type. */
    public static <A, B> XdrType<B> map(XdrType<A> wire, Function<A, B> in, Function<B, A> out) {
        return of((w, v) -> wire.write(w, out.apply(v)), r -> in.apply(wire.read(r)));
    }

    /** remote_typed_param {field; value: a union on the type, numbered as virTypedParameterType}. */
    public static final XdrType<TypedParameter> TYPED_PARAM = of((w, p) -> {
        nonNull(p, "typed parameter");
        STRING.write(w, p.name());
        w.writeInt(p.type().code());
        switch (p.type()) {
            case INT, UINT -> w.writeInt((Integer) p.value());
            case LLONG, ULLONG -> w.writeHyper((Long) p.value());
            case DOUBLE -> w.writeDouble((Double) p.value());
            case BOOLEAN -> w.writeInt((Boolean) p.value() ? 1 : 0);
            case STRING -> STRING.write(w, (String) p.value());
            default -> throw new XdrException("typed parameter type " + p.type());
        }
    }, r -> {
        String name = STRING.read(r);
        int code = r.readInt();
        TypedParameter.Type type;
        try {
            type = TypedParameter.Type.fromCode(code);
        } catch (RuntimeException e) {
            throw new XdrException("unknown typed parameter type " + code);
        }
        Object value = switch (type) {
            case INT, UINT -> r.readInt();
            case LLONG, ULLONG -> r.readHyper();
            case DOUBLE -> r.readDouble();
            case BOOLEAN -> r.readInt() != 0;
            case STRING -> STRING.read(r);
        };
        return new TypedParameter(name, type, value);
    });
}
