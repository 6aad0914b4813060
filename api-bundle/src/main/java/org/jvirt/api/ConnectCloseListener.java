package org.jvirt.api;

/**
 * Told when a connection's peer goes away (libvirt's virConnectCloseFunc): the connection is no longer
 * usable, and {@link Connect#reconnect()} opens it again.
 */
@FunctionalInterface
public interface ConnectCloseListener {

    /** Why a connection closed, numbered as libvirt's virConnectCloseReason. */
    enum Reason {
        /** A transport error. */
        ERROR,
        /** The peer closed the connection. */
        EOF,
        /** The peer stopped answering keepalive pings. */
        KEEPALIVE,
        /** The client closed it. */
        CLIENT;

        public int code() {
            return ordinal();
        }

        /** The reason for libvirt's number; ERROR for a number this version does not know. */
        public static Reason fromCode(int code) {
            return code >= 0 && code < values().length ? values()[code] : ERROR;
        }
    }

    void onClose(Connect connection, Reason reason);
}
