package org.jvirt.remote.internal.rpc;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.Procedure;

/**
 * How one procedure's arguments and result cross the wire: the arguments are the SPI method's parameters
 * in order, the result is its return value. The client stub writes arguments and reads results; the server
 * reads arguments and writes results, with the same codec.
 *
 * <p>A few results are laid out after the call's arguments ({@code DOMAIN_GET_VCPUS}: the CPU maps are
 * {@code maplen} bytes apart), so the client and the server should use {@link Ret#write(XdrWriter, Object[], Object)}
 * and {@link Ret#read(XdrReader, Object[])} with the call's SPI arguments; for every other result these are
 * the same as the two-argument forms.
 */
public record ProcedureCodec(Procedure procedure, Args args, Ret ret) {

    /** The arguments: an SPI call's parameter array to and from XDR. */
    public interface Args {
        void write(XdrWriter w, Object[] spiArgs);

        /** The SPI method's parameters, boxed as {@link java.lang.reflect.Method#invoke} takes them. */
        Object[] read(XdrReader r);

        /** Arguments from a writer and a reader. */
        static Args of(BiConsumer<XdrWriter, Object[]> writer, Function<XdrReader, Object[]> reader) {
            return new Args() {
                @Override
                public void write(XdrWriter w, Object[] spiArgs) {
                    writer.accept(w, spiArgs);
                }

                @Override
                public Object[] read(XdrReader r) {
                    return reader.apply(r);
                }
            };
        }
    }

    /** The result: an SPI call's return value to and from XDR. */
    public interface Ret {
        void write(XdrWriter w, Object value);

        /** The SPI method's return value (null for void). */
        Object read(XdrReader r);

        /** Writes the result of a call made with {@code spiArgs} (the server's side). */
        default void write(XdrWriter w, Object[] spiArgs, Object value) {
            write(w, value);
        }

        /** Reads the result of a call made with {@code spiArgs} (the client's side). */
        default Object read(XdrReader r, Object[] spiArgs) {
            return read(r);
        }

        /** A result from a writer and a reader. */
        static Ret of(BiConsumer<XdrWriter, Object> writer, Function<XdrReader, Object> reader) {
            return new Ret() {
                @Override
                public void write(XdrWriter w, Object value) {
                    writer.accept(w, value);
                }

                @Override
                public Object read(XdrReader r) {
                    return reader.apply(r);
                }
            };
        }
    }

    /** No arguments. */
    public static final Args NO_ARGS = new Args() {
        @Override
        public void write(XdrWriter w, Object[] spiArgs) {
        }

        @Override
        public Object[] read(XdrReader r) {
            return new Object[0];
        }
    };

    /** No result (void). */
    public static final Ret VOID = new Ret() {
        @Override
        public void write(XdrWriter w, Object value) {
        }

        @Override
        public Object read(XdrReader r) {
            return null;
        }
    };

    /** Arguments that map one to one onto the SPI parameters, in order. */
    public static Args args(XdrType<?>... types) {
        List<XdrType<?>> list = List.of(types);
        return new Args() {
            @Override
            public void write(XdrWriter w, Object[] spiArgs) {
                for (int i = 0; i < list.size(); i++) {
                    list.get(i).writeObject(w, spiArgs[i]);
                }
            }

            @Override
            public Object[] read(XdrReader r) {
                Object[] out = new Object[list.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = list.get(i).read(r);
                }
                return out;
            }
        };
    }

    /** A result of one wire type. */
    public static Ret ret(XdrType<?> type) {
        return new Ret() {
            @Override
            public void write(XdrWriter w, Object value) {
                type.writeObject(w, value);
            }

            @Override
            public Object read(XdrReader r) {
                return type.read(r);
            }
        };
    }

    /** A result written as one wire type and mapped to and from the SPI's type. */
    public static <W, S> Ret ret(XdrType<W> wire, Function<W, S> in, Function<S, W> out) {
        return ret(XdrTypes.map(wire, in, out));
    }
}
