package org.jvirt.remote.internal.rpc;

import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;

/** How one value of a procedure's arguments or result crosses the wire. */
public interface XdrType<T> {
    void write(XdrWriter w, T value);

    T read(XdrReader r);

    /** Writes a value of unchecked type (from a reflective SPI call). */
    @SuppressWarnings("unchecked")
    default void writeObject(XdrWriter w, Object value) {
        write(w, (T) value);
    }
}
