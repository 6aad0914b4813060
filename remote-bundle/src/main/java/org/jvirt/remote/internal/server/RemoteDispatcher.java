package org.jvirt.remote.internal.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.remote.internal.rpc.LegacyProcedures;
import org.jvirt.remote.internal.rpc.LibvirtProcedures;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.ProcedureCodec;
import org.jvirt.remote.internal.rpc.RemoteProcedures;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.rpc.RemoteEvents;
import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.ProcedureFrontEnd;

/**
 * The server side of one client's REMOTE program: the handshake procedures, event callbacks, and every
 * other call dispatched through the {@link Procedure} table to the front end, which makes the read-only
 * check. Errors go back as libvirt's virNetMessageError.
 */
final class RemoteDispatcher {
    private final ProcedureFrontEnd frontEnd;
    private final ClientSession session;
    private final boolean socketReadOnly;
    private final Map<Integer, Callback> callbacks = new ConcurrentHashMap<>();
    private final Map<Integer, ServerStream> streams = new ConcurrentHashMap<>();
    private volatile ProcedureFrontEnd.ProcedureConnection conn;
    private volatile boolean readOnly;

    /** One event registration of this client. */
    private record Callback(int id, int eventId, DomainRef domain) {
        boolean matches(int event, DomainRef dom) {
            return eventId == event && (domain == null || domain.uuid().equals(dom.uuid()));
        }
    }

    RemoteDispatcher(ProcedureFrontEnd frontEnd, ClientSession session, boolean socketReadOnly) {
        this.frontEnd = frontEnd;
        this.session = session;
        this.socketReadOnly = socketReadOnly;
    }

    /** Handles what needs no worker: keepalive and messages that are not calls. Returns false for a call. */
    boolean handleInline(Packet p) {
        MessageHeader h = p.header();
        if (h.program() == RemoteProtocol.KEEPALIVE_PROGRAM) {
            if (h.procedure() == RemoteProtocol.KEEPALIVE_PING && h.type() == MessageHeader.MESSAGE) {
                session.message(RemoteProtocol.KEEPALIVE_PROGRAM, RemoteProtocol.KEEPALIVE_VERSION,
                        RemoteProtocol.KEEPALIVE_PONG, new XdrWriter(0));
            }
            return true;
        }
        if (h.type() == MessageHeader.STREAM) {
            ServerStream s = streams.get(h.serial());
            if (s != null) {
                s.fromClient(p);
            }
            return true;
        }
        if (h.type() != MessageHeader.CALL) {
            return true; // replies and events from a client: nothing to answer
        }
        if (h.program() != RemoteProtocol.PROGRAM || h.version() != RemoteProtocol.VERSION) {
            session.replyError(h, new VirtError(ErrorCode.RPC, ErrorDomain.RPC, "Cannot find program "
                    + h.program() + " version " + h.version()));
            return true;
        }
        if (h.status() != MessageHeader.OK) {
            session.replyError(h, new VirtError(ErrorCode.RPC, ErrorDomain.RPC,
                    "Unexpected message status " + Integer.toUnsignedString(h.status())));
            return true;
        }
        return false;
    }

    /**
     * Whether a call is answered where it was read (the selector loop, or a tls client's thread): the
     * handshake, opening and closing the connection, and the procedures that only read (libvirt runs its
     * high-priority procedures apart from the others in the same spirit). Changes, which may take long
     * (start, save, migrate), go to the worker pool so that this client's other packets, keepalive and
     * stream data, keep flowing. A quick call that blocks after all holds the loop for at most its stall
     * limit (see {@code SelectorLoop}).
     */
    boolean isQuick(MessageHeader h) {
        Procedure p = Procedure.byNumber(h.procedure());
        if (p == null) {
            return LegacyProcedures.byNumber(h.procedure()) == null; // handshake calls, unknown procedures
        }
        return !p.isMutating() && p != Procedure.DOMAIN_OPEN_CONSOLE
                && p != Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY;
    }

    /** Runs one call of the REMOTE program and replies. */
    void dispatch(Packet p) {
        MessageHeader h = p.header();
        try {
            XdrReader r = p.payloadReader();
            XdrWriter w = new XdrWriter();
            if (h.procedure() == Procedure.DOMAIN_OPEN_CONSOLE.number()) {
                openStream(h, r);
                return;
            }
            call(h.procedure(), r, w);
            session.reply(h, w);
        } catch (VirtException e) {
            session.replyError(h, e.error());
        } catch (XdrException e) {
            session.replyError(h, new VirtError(ErrorCode.RPC, ErrorDomain.RPC,
                    "Unable to decode message payload: " + e.getMessage()));
        } catch (RuntimeException e) {
            session.replyError(h, new VirtError(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, String.valueOf(e)));
        }
    }

    private void call(int procedure, XdrReader r, XdrWriter w) {
        switch (procedure) {
            case RemoteProtocol.AUTH_LIST -> {
                r.expectEnd();
                w.writeInt(1);
                w.writeInt(RemoteProtocol.AUTH_NONE);
            }
            case RemoteProtocol.CONNECT_SUPPORTS_FEATURE -> {
                int feature = r.readInt();
                r.expectEnd();
                if (feature == RemoteProtocol.FEATURE_PROGRAM_KEEPALIVE) {
                    session.enableKeepalive();
                }
                w.writeInt(supports(feature) ? 1 : 0);
            }
            case RemoteProtocol.CONNECT_OPEN -> {
                String name = r.readOptionalString(Packet.MAX_STRING);
                int flags = r.readInt();
                r.expectEnd();
                open(name, flags);
            }
            case RemoteProtocol.CONNECT_CLOSE -> {
                r.expectEnd();
                open();
                closeConnection();
            }
            case RemoteProtocol.CONNECT_REGISTER_CLOSE_CALLBACK, RemoteProtocol.CONNECT_UNREGISTER_CLOSE_CALLBACK -> {
                r.expectEnd();
                open();
            }
            case RemoteProtocol.CONNECT_GET_LIB_VERSION -> {
                r.expectEnd();
                open();
                w.writeHyper(org.jvirt.api.Connect.libraryVersion());
            }
            default -> table(procedure, r, w);
        }
    }

    private void table(int number, XdrReader r, XdrWriter w) {
        Procedure p = Procedure.byNumber(number);
        if (p != null && p.owner() != org.jvirt.spi.Driver.class) {
            ProcedureCodec codec = RemoteProcedures.codec(p);
            if (codec != null) {
                Object[] args = codec.args().read(r);
                r.expectEnd();
                Object result = invoke(p, p.apiName(), args);
                if (result instanceof org.jvirt.spi.MigrationFinish f && f.domain() == null) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.RPC,
                            "the migration was cancelled: no domain arrived");
                }
                codec.ret().write(w, args, result);
                return;
            }
        }
        LegacyProcedures.Legacy legacy = LegacyProcedures.byNumber(number);
        if (legacy != null) {
            Object[] args = legacy.readArgs(r);
            r.expectEnd();
            Object result = invoke(legacy.target(), legacy.api(), args);
            legacy.writeRet(w, result);
            return;
        }
        LibvirtProcedures.Entry known = LibvirtProcedures.byNumber(number);
        if (known != null && known.isApiCall()) {
            throw notInTable(known);
        }
        throw new VirtException(new VirtError(ErrorCode.RPC, ErrorDomain.RPC, "unknown procedure: " + number));
    }

    /**
     * A procedure libvirt knows and jvirt's table lacks: libvirtd's answer when its driver lacks the API
     * (after its read-only check). Its arguments are not decoded: jvirt has no codec for them.
     */
    private VirtException notInTable(LibvirtProcedures.Entry known) {
        open();
        if (readOnly && known.readOnly() == LibvirtProcedures.ReadOnlyRule.REFUSED) {
            return known.readOnlyRefusal();
        }
        return known.noSupport();
    }

    private Object invoke(Procedure p, String api, Object[] args) {
        ProcedureFrontEnd.ProcedureConnection c = open();
        Object result = c.call(p, api, args);
        if (p == Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY) {
            int id = (Integer) result;
            callbacks.put(id, new Callback(id, (Integer) args[0], (DomainRef) args[1]));
        } else if (p == Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY) {
            callbacks.remove((Integer) args[0]);
        }
        return result;
    }

    /** A call that opens a stream: the driver gets the daemon's end, the reply goes, then the data flows. */
    private void openStream(MessageHeader h, XdrReader r) {
        Procedure p = Procedure.byNumber(h.procedure());
        Object[] args = RemoteProcedures.codec(p).args().read(r);
        r.expectEnd();
        ServerStream stream = new ServerStream(session, h.procedure(), h.serial(), () -> streams.remove(h.serial()));
        args[2] = stream;
        streams.put(h.serial(), stream);
        try {
            invoke(p, p.apiName(), args);
        } catch (RuntimeException e) {
            streams.remove(h.serial());
            throw e;
        }
        session.reply(h, new XdrWriter(0));
        stream.opened();
    }

    private boolean supports(int feature) {
        return switch (feature) {
            case RemoteProtocol.FEATURE_PROGRAM_KEEPALIVE, RemoteProtocol.FEATURE_REMOTE_EVENT_CALLBACK,
                    RemoteProtocol.FEATURE_REMOTE_CLOSE_CALLBACK, RemoteProtocol.FEATURE_TYPED_PARAM_STRING -> true;
            default -> false;
        };
    }

    private void open(String name, int flags) {
        synchronized (this) {
            if (conn != null) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "connection already open");
            }
            boolean ro = socketReadOnly || (flags & RemoteProtocol.CONNECT_RO) != 0;
            conn = frontEnd.openProcedures(name, null, ro, events());
            readOnly = ro;
        }
    }

    private ProcedureFrontEnd.ProcedureConnection open() {
        ProcedureFrontEnd.ProcedureConnection c = conn;
        if (c == null) {
            throw ClientSession.notOpen();
        }
        return c;
    }

    /** Where the driver's events for this client go: one message per matching callback. */
    private EventSink events() {
        return (eventId, dom, payload) -> {
            for (Callback cb : callbacks.values()) {
                if (cb.matches(eventId, dom)) {
                    byte[] frame;
                    try {
                        frame = RemoteEvents.frame(cb.id(), eventId, dom, payload);
                    } catch (RuntimeException noWireForm) {
                        return; // GRAPHICS, or a payload that does not fit its event's form: not sent
                    }
                    session.send(frame);
                }
            }
        };
    }

    /** Closes the client's driver connection (CONNECT_CLOSE, or the client went away). */
    void closeConnection() {
        ProcedureFrontEnd.ProcedureConnection c;
        synchronized (this) {
            c = conn;
            conn = null;
        }
        callbacks.clear();
        for (ServerStream s : streams.values()) {
            s.clientGone();
        }
        streams.clear();
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the client is gone either way
            }
        }
    }
}
