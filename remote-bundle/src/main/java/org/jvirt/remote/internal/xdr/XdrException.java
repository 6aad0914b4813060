package org.jvirt.remote.internal.xdr;

/** Malformed or oversized XDR data. */
public final class XdrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XdrException(String message) {
        super(message);
    }
}
