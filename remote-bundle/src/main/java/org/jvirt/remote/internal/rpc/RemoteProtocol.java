package org.jvirt.remote.internal.rpc;

/**
 * libvirt's program numbers and the procedure numbers that are not SPI entries (the handshake, events and
 * keepalive), from {@code remote_protocol.x}, {@code virkeepaliveprotocol.x} and {@code libvirt_internal.h}.
 * SPI procedures carry their numbers in {@link org.jvirt.spi.Procedure}.
 */
public final class RemoteProtocol {
    private RemoteProtocol() {
    }

    /** REMOTE_PROGRAM and REMOTE_PROTOCOL_VERSION. */
    public static final int PROGRAM = 0x20008086;
    public static final int VERSION = 1;

    /** KEEPALIVE_PROGRAM ("keep") and KEEPALIVE_PROTOCOL_VERSION; its messages have no payload. */
    public static final int KEEPALIVE_PROGRAM = 0x6b656570;
    public static final int KEEPALIVE_VERSION = 1;
    public static final int KEEPALIVE_PING = 1;
    public static final int KEEPALIVE_PONG = 2;

    // ---- REMOTE_PROC_* numbers that are not SPI entries (the handshake and events)
    public static final int CONNECT_OPEN = 1;
    public static final int CONNECT_CLOSE = 2;
    public static final int CONNECT_SUPPORTS_FEATURE = 60;
    public static final int AUTH_LIST = 66;
    /** The old-style lifecycle event (no callback id), sent to clients that registered with 105. */
    public static final int DOMAIN_EVENT_LIFECYCLE = 107;
    public static final int CONNECT_GET_LIB_VERSION = 157;
    public static final int DOMAIN_EVENT_CALLBACK_LIFECYCLE = 318;
    public static final int CONNECT_REGISTER_CLOSE_CALLBACK = 360;
    public static final int CONNECT_UNREGISTER_CLOSE_CALLBACK = 361;

    /** remote_auth_type. */
    public static final int AUTH_NONE = 0;
    public static final int AUTH_SASL = 1;
    public static final int AUTH_POLKIT = 2;
    /** REMOTE_AUTH_TYPE_LIST_MAX. */
    public static final int AUTH_TYPE_LIST_MAX = 20;

    /** virConnectFlags carried by CONNECT_OPEN. */
    public static final int CONNECT_RO = 1;
    public static final int CONNECT_NO_ALIASES = 2;

    // ---- virDrvFeature: what CONNECT_SUPPORTS_FEATURE asks
    public static final int FEATURE_MIGRATION_V1 = 1;
    public static final int FEATURE_REMOTE = 2;
    public static final int FEATURE_MIGRATION_V2 = 3;
    public static final int FEATURE_MIGRATION_P2P = 4;
    public static final int FEATURE_MIGRATION_DIRECT = 5;
    public static final int FEATURE_MIGRATION_V3 = 6;
    public static final int FEATURE_MIGRATE_CHANGE_PROTECTION = 7;
    public static final int FEATURE_FD_PASSING = 8;
    public static final int FEATURE_TYPED_PARAM_STRING = 9;
    public static final int FEATURE_PROGRAM_KEEPALIVE = 10;
    public static final int FEATURE_XML_MIGRATABLE = 11;
    public static final int FEATURE_MIGRATION_OFFLINE = 12;
    public static final int FEATURE_MIGRATION_PARAMS = 13;
    public static final int FEATURE_REMOTE_EVENT_CALLBACK = 14;
    public static final int FEATURE_REMOTE_CLOSE_CALLBACK = 15;
    public static final int FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16;

    /** The header of a keepalive PING or PONG: a MESSAGE with serial 0, as libvirt sends it. */
    public static MessageHeader keepaliveHeader(int proc) {
        return new MessageHeader(KEEPALIVE_PROGRAM, KEEPALIVE_VERSION, proc, MessageHeader.MESSAGE, 0,
                MessageHeader.OK);
    }

    /** The header of an event: a MESSAGE of the REMOTE program with serial 1, as libvirt's daemon sends it. */
    public static MessageHeader eventHeader(int proc) {
        return new MessageHeader(PROGRAM, VERSION, proc, MessageHeader.MESSAGE, 1, MessageHeader.OK);
    }
}
