package org.jvirt.remote.internal.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.PacketStream;
import org.jvirt.remote.internal.rpc.ProcedureCodec;
import org.jvirt.remote.internal.rpc.RemoteProcedures;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.rpc.RemoteEvents;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.StreamPeer;

/**
 * One connection of the remote driver. Its {@link DriverConnection} and {@link NetworkConnection} are
 * proxies driven by the procedure table: each SPI call is encoded by its procedure's codec, sent, and its
 * reply decoded. Only the entries the transport answers itself are written out here.
 */
final class RemoteConnection implements InvocationHandler {
    private static final Map<Method, Procedure> BY_METHOD = byMethod();
    /** REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS. */
    private static final int LEGACY_GET_SCHEDULER_PARAMETERS = 57;
    /**
     * libvirt's client keepalive: a ping after 5 s of silence, dead after 5 unanswered (libvirt.conf's
     * keepalive_interval and keepalive_count; here the system properties jvirt.keepalive.interval/count).
     */
    private final int keepaliveInterval = Integer.getInteger("jvirt.keepalive.interval", 5);
    private final int keepaliveCount = Integer.getInteger("jvirt.keepalive.count", 5);

    private final RpcClient rpc;
    private final String uri;
    private final String transport;
    private final EventSink events;
    private final Map<Integer, Integer> callbacks = new ConcurrentHashMap<>();
    private final DriverConnection proxy;
    private final NetworkConnection networks;
    private volatile boolean closed;

    RemoteConnection(PacketStream stream, AutoCloseable transportCloser, String uri, String transport,
            EventSink events) {
        this.uri = uri;
        this.transport = transport;
        this.events = events;
        this.rpc = new RpcClient(stream, transportCloser, uri, this::onMessage);
        rpc.onDeath(reason -> {
            if (!closed) {
                events.connectionClosed(reason);
            }
        });
        ClassLoader cl = RemoteConnection.class.getClassLoader();
        this.proxy = (DriverConnection) Proxy.newProxyInstance(cl, new Class<?>[] {DriverConnection.class}, this);
        this.networks = (NetworkConnection) Proxy.newProxyInstance(cl, new Class<?>[] {NetworkConnection.class}, this);
    }

    private static Map<Method, Procedure> byMethod() {
        Map<Method, Procedure> m = new HashMap<>();
        for (Procedure p : Procedure.values()) {
            if (p.owner() == DriverConnection.class || p.owner() == NetworkConnection.class) {
                m.put(p.method(), p);
            }
        }
        return Map.copyOf(m);
    }

    DriverConnection proxy() {
        return proxy;
    }

    /** libvirt's client handshake: auth list, keepalive, open. */
    void handshake(String name, boolean readOnly) {
        XdrReader auth = rpc.call(RemoteProtocol.AUTH_LIST, new XdrWriter(0), 0);
        int n = auth.readLength(20);
        boolean none = n == 0;
        for (int i = 0; i < n; i++) {
            none |= auth.readInt() == RemoteProtocol.AUTH_NONE;
        }
        if (!none) {
            throw new VirtException(ErrorCode.AUTH_FAILED, ErrorDomain.REMOTE,
                    "the server asks for an authentication jvirt's remote driver does not offer yet (SASL or polkit)");
        }
        XdrWriter feature = new XdrWriter(4);
        feature.writeInt(RemoteProtocol.FEATURE_PROGRAM_KEEPALIVE);
        if (rpc.call(RemoteProtocol.CONNECT_SUPPORTS_FEATURE, feature, 0).readInt() == 1) {
            rpc.startKeepalive(keepaliveInterval, keepaliveCount);
        }
        XdrWriter open = new XdrWriter();
        open.writeOptionalString(name);
        open.writeInt(readOnly ? RemoteProtocol.CONNECT_RO : 0);
        rpc.call(RemoteProtocol.CONNECT_OPEN, open, 0);
    }

    /** Drops a connection whose handshake failed. */
    void abandon() {
        rpc.close();
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "toString":
                return "RemoteConnection[" + uri + "]";
            case "hashCode":
                return System.identityHashCode(self);
            case "equals":
                return self == args[0];
            case "connectClose":
                if (method.getDeclaringClass() == DriverConnection.class) {
                    close();
                }
                return null;
            case "connectIsAlive":
                return !closed && rpc.isAlive();
            case "connectIsEncrypted":
                return transport.equals("tls") || transport.equals("ssh");
            case "connectGetURI":
                return uri; // as libvirt's client: the URI this connection was opened with
            case "networks":
                return networks;
            default:
                break;
        }
        Procedure p = BY_METHOD.get(method);
        ProcedureCodec codec = p == null ? null : RemoteProcedures.codec(p);
        if (codec == null) {
            throw VirtException.noSupport(method.getName());
        }
        if (closed) {
            throw new VirtException(ErrorCode.INVALID_CONN, ErrorDomain.NONE, "the connection is closed");
        }
        if (p == Procedure.DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS && (Integer) args[2] == 0) {
            // as libvirt's client for virDomainGetSchedulerParameters: the old procedure, to which a daemon's
            // API adds no VIR_TYPED_PARAM_STRING_OKAY (libvirt's test driver refuses that flag)
            XdrWriter old = new XdrWriter();
            org.jvirt.remote.internal.rpc.XdrTypes.DOMAIN.write(old, (DomainRef) args[0]);
            old.writeInt((Integer) args[1]);
            return codec.ret().read(rpc.call(LEGACY_GET_SCHEDULER_PARAMETERS, old, 0), args);
        }
        XdrWriter w = new XdrWriter();
        codec.args().write(w, args == null ? new Object[0] : args);
        if (p == Procedure.DOMAIN_OPEN_CONSOLE) {
            openStream(p, w, (StreamPeer) args[2]);
            return null;
        }
        XdrReader r = rpc.call(p.number(), w, 0);
        Object result = codec.ret().read(r, args == null ? new Object[0] : args);
        if (p == Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY) {
            callbacks.put((Integer) result, (Integer) args[0]);
        } else if (p == Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY) {
            callbacks.remove((Integer) args[0]);
        } else if (p == Procedure.CONNECT_IS_SECURE) {
            return (Boolean) result && !transport.equals("tcp") && !transport.equals("ext");
        }
        return result;
    }

    /** How long a finish or abort waits for the daemon's confirmation (a dead connection ends it sooner). */
    private static final long STREAM_CLOSE_TIMEOUT_MS = 30_000;

    /**
     * A call that opens a stream: its packets, which carry the call's serial, go to {@code peer}, and the
     * user's data goes back as stream packets (libvirt's virNetClientStream).
     */
    private void openStream(Procedure p, XdrWriter args, StreamPeer peer) {
        int serial = rpc.nextSerial();
        // done when the daemon has closed its end: its confirmation of our finish or abort, its error, or the
        // connection's end (libvirt's virStreamFinish and virStreamAbort wait for the confirmation)
        java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
        rpc.openStream(serial, packet -> {
            if (packet == null) {
                closed.complete(null);
                peer.sendError(new org.jvirt.api.VirtError(ErrorCode.SYSTEM_ERROR, ErrorDomain.STREAMS,
                        "the connection to the daemon was lost"));
                return;
            }
            int status = packet.header().status();
            if (status == org.jvirt.remote.internal.rpc.MessageHeader.CONTINUE) {
                if (packet.payload().length == 0) {
                    peer.sendEnd(); // libvirt's end of stream: an empty data packet
                } else {
                    peer.send(packet.payload(), 0, packet.payload().length);
                }
            } else if (status == org.jvirt.remote.internal.rpc.MessageHeader.ERROR) {
                rpc.closeStream(serial);
                closed.complete(null);
                peer.sendError(org.jvirt.remote.internal.rpc.RpcErrors.read(packet.payloadReader()));
            } else {
                rpc.closeStream(serial); // the confirmation of our finish or abort
                closed.complete(null);
            }
        });
        try {
            rpc.call(p.number(), args, 0, serial);
        } catch (RuntimeException e) {
            rpc.closeStream(serial);
            throw e;
        }
        peer.bind(new StreamPeer.Handler() {
            @Override
            public void received(byte[] data, int offset, int length) {
                byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
                rpc.sendStream(p.number(), serial, org.jvirt.remote.internal.rpc.MessageHeader.CONTINUE, copy);
            }

            @Override
            public void finished() {
                close(org.jvirt.remote.internal.rpc.MessageHeader.OK);
            }

            @Override
            public void aborted() {
                close(org.jvirt.remote.internal.rpc.MessageHeader.ERROR);
            }

            /** Sends the finish or abort and waits (bounded) for the daemon to confirm it. */
            private void close(int status) {
                if (closed.isDone()) {
                    return; // the daemon's end is gone already
                }
                rpc.sendStream(p.number(), serial, status, new byte[0]);
                try {
                    closed.get(STREAM_CLOSE_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    rpc.closeStream(serial); // no confirmation: forget the stream anyway
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** An asynchronous message from the daemon: a domain event for one of our callbacks. */
    private void onMessage(Packet p) {
        if (p.header().program() != RemoteProtocol.PROGRAM) {
            return;
        }
        try {
            RemoteEvents.Event e = RemoteEvents.read(p.header().procedure(), p.payloadReader());
            if (e == null) {
                return;
            }
            Integer eventId = callbacks.get(e.callbackId());
            if (eventId != null && eventId == e.eventId()) {
                events.domainEvent(e.eventId(), e.domain(), e.payload());
            }
        } catch (RuntimeException e) {
            // a malformed event is dropped; calls go on
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (rpc.isAlive()) {
                rpc.call(RemoteProtocol.CONNECT_CLOSE, new XdrWriter(0), 5000);
            }
        } catch (RuntimeException ignored) {
            // closing anyway
        } finally {
            rpc.close();
        }
    }
}
