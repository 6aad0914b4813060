package org.jvirt.remote.internal.server;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.PacketFramer;
import org.jvirt.remote.internal.rpc.PacketStream;
import org.jvirt.remote.internal.transport.SelectorLoop;
import org.jvirt.remote.internal.rpc.RpcErrors;
import org.jvirt.remote.internal.transport.Listener;
import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrWriter;

/**
 * One client of the daemon: reads its packets, hands calls to the worker pool (at most
 * {@code max_client_requests} at once), writes replies and events. A malformed packet gets an error reply
 * when its header can be read, and closes the connection when it cannot.
 */
final class ClientSession {
    private final RpcServer server;
    private final Listener.Accepted accepted;
    private volatile PacketStream stream;
    private final Semaphore inFlight;
    private final ExecutorService workers;
    private final RemoteDispatcher dispatcher;
    private final AtomicLong lastReceived = new AtomicLong(System.nanoTime());
    private volatile boolean closed;
    private volatile boolean keepalive;
    private int unansweredPings;
    private Thread reader;
    /** Set when a selector serves this client (plain unix and tcp): reads come from its loop. */
    private volatile SelectorLoop.Connection onLoop;
    private final PacketFramer framer = new PacketFramer();
    /** Calls read while the client is at max_client_requests, in order; reading waits until they go. */
    private final java.util.ArrayDeque<Packet> backlog = new java.util.ArrayDeque<>();

    ClientSession(RpcServer server, Listener.Accepted accepted, ExecutorService workers, int maxRequests) {
        this.server = server;
        this.accepted = accepted;
        this.workers = workers;
        this.inFlight = new Semaphore(Math.max(1, maxRequests));
        this.dispatcher = new RemoteDispatcher(server.frontEnd(), this, accepted.readOnly());
    }

    String transport() {
        return accepted.transport();
    }

    /** Serves the client on a thread of its own (tls, whose handshake and records need a stream). */
    void start() {
        reader = new Thread(this::readLoop, "jvirtd-client-" + accepted.peer());
        reader.setDaemon(true);
        reader.start();
    }

    /** Serves a plain (unix or tcp) client from the server's selector loop. */
    void startOn(SelectorLoop loop) throws IOException {
        SelectorLoop.Connection c = loop.register(accepted.plainChannel(), this::readable);
        onLoop = c;
    }

    /** The most one wake-up reads from a client before the loop turns to the others. */
    private static final int READ_BUDGET = 256 * 1024;

    /** On the loop: reads what arrived, cuts it into packets and handles them in order. */
    private void readable(SelectorLoop.Connection c) {
        onLoop = c; // the loop may call before register() has returned
        java.util.List<Packet> got = new java.util.ArrayList<>();
        boolean end = false;
        synchronized (framer) {
            try {
                int budget = READ_BUDGET;
                while (budget > 0) {
                    for (Packet p; (p = framer.next()) != null;) {
                        got.add(p);
                    }
                    java.nio.ByteBuffer space = framer.space();
                    int room = space.remaining();
                    int n = c.read(space);
                    if (n < 0) {
                        end = true;
                        break;
                    }
                    framer.filled(n);
                    budget -= n;
                    if (n < room) {
                        break; // the socket is drained (a read that would find nothing is saved)
                    }
                }
                for (Packet p; (p = framer.next()) != null;) {
                    got.add(p);
                }
            } catch (XdrException e) {
                server.log("closing client " + accepted.peer() + ": " + e.getMessage());
                end = true;
            } catch (IOException e) {
                end = true;
            }
        }
        if (!got.isEmpty()) {
            lastReceived.set(System.nanoTime());
            synchronized (this) {
                unansweredPings = 0;
            }
        }
        for (Packet p : got) {
            if (closed) {
                return;
            }
            handleOnLoop(p);
        }
        if (end) {
            close();
        }
    }

    /** As {@link #handle}, but never blocks the loop: at the request limit, the call waits in the backlog. */
    private void handleOnLoop(Packet p) {
        synchronized (backlog) {
            if (!backlog.isEmpty()) {
                backlog.add(p);
                return;
            }
        }
        if (dispatcher.handleInline(p)) {
            return;
        }
        if (dispatcher.isQuick(p.header())) {
            dispatcher.dispatch(p);
            return;
        }
        if (!inFlight.tryAcquire()) {
            synchronized (backlog) {
                backlog.add(p);
            }
            onLoop.pauseReading();
            if (inFlight.tryAcquire()) {
                finished(); // a call ended meanwhile and found no backlog: serve it with that permit
            }
            return;
        }
        submit(p);
    }

    /** Runs a call on a worker, which holds one of the client's request permits until it is done. */
    private void submit(Packet p) {
        try {
            workers.execute(() -> {
                try {
                    dispatcher.dispatch(p);
                } finally {
                    finished();
                }
            });
        } catch (RuntimeException rejected) {
            finished();
            replyError(p.header(), new VirtError(ErrorCode.RPC, ErrorDomain.RPC, "the server is shutting down"));
        }
    }

    /**
     * A call is done (the caller holds its permit): the permit goes to the next waiting call, or back, and
     * reading resumes once none waits.
     */
    private void finished() {
        if (onLoop == null) {
            inFlight.release();
            return;
        }
        while (true) {
            Packet next;
            synchronized (backlog) {
                next = backlog.poll();
                if (next == null) {
                    inFlight.release();
                    onLoop.resumeReading();
                    return;
                }
            }
            if (dispatcher.handleInline(next)) {
                continue;
            }
            if (dispatcher.isQuick(next.header())) {
                dispatcher.dispatch(next);
                continue;
            }
            submit(next); // the permit passes on
            return;
        }
    }

    private void readLoop() {
        try {
            Listener.Streams io;
            try {
                io = accepted.establish();
            } catch (IOException | RuntimeException e) {
                server.log("refusing " + this + ": " + (e.getMessage() != null ? e.getMessage() : e));
                return;
            }
            stream = new PacketStream(io.in(), io.out());
            while (!closed) {
                Packet p;
                try {
                    p = stream.read();
                } catch (XdrException e) {
                    server.log("closing client " + accepted.peer() + ": " + e.getMessage());
                    break; // a frame we cannot delimit: nothing sensible can follow
                }
                if (p == null) {
                    break;
                }
                lastReceived.set(System.nanoTime());
                synchronized (this) {
                    unansweredPings = 0;
                }
                handle(p);
            }
        } catch (EOFException e) {
            // the client went away mid-packet
        } catch (IOException e) {
            if (!closed) {
                server.log("client " + accepted.peer() + ": " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private void handle(Packet p) throws InterruptedException {
        MessageHeader h = p.header();
        if (dispatcher.handleInline(p)) {
            return; // keepalive and other messages answered at once, in order
        }
        if (dispatcher.isQuick(h)) {
            dispatcher.dispatch(p); // a read: answered on this thread, without a hand-off to a worker
            return;
        }
        inFlight.acquire();
        submit(p);
    }

    /** Sends a reply with a payload. */
    void reply(MessageHeader call, XdrWriter payload) {
        send(new Packet(call.reply(MessageHeader.OK), payload.toByteArray()).encode());
    }

    void replyError(MessageHeader call, VirtError error) {
        XdrWriter w = new XdrWriter();
        RpcErrors.write(w, error);
        send(new Packet(call.reply(MessageHeader.ERROR), w.toByteArray()).encode());
    }

    /** Sends an asynchronous message (an event, a keepalive). */
    void message(int program, int version, int procedure, XdrWriter payload) {
        send(new Packet(new MessageHeader(program, version, procedure, MessageHeader.MESSAGE, 0, MessageHeader.OK),
                payload.toByteArray()).encode());
    }

    /** Sends a whole frame. */
    void send(byte[] frame) {
        if (closed) {
            return;
        }
        try {
            SelectorLoop.Connection c = onLoop;
            if (c != null) {
                c.write(frame);
                return;
            }
            PacketStream stream = this.stream;
            if (stream != null) {
                stream.write(frame);
            }
        } catch (IOException e) {
            close();
        }
    }

    /** The client asked for keepalive (CONNECT_SUPPORTS_FEATURE 10): the server pings it when it is silent. */
    void enableKeepalive() {
        keepalive = true;
    }

    /**
     * One keepalive tick: after {@code interval} seconds of silence a PING; a client that answered none of
     * {@code count} pings is dead and closed, as libvirtd does.
     */
    synchronized void keepaliveTick(int interval, int count) {
        if (!keepalive || closed || interval <= 0) {
            return;
        }
        if (System.nanoTime() - lastReceived.get() < java.util.concurrent.TimeUnit.SECONDS.toNanos(interval)) {
            unansweredPings = 0;
            return;
        }
        if (unansweredPings >= count) {
            server.log("closing " + this + ": no answer to " + count + " keepalive pings");
            close();
            return;
        }
        unansweredPings++;
        lastReceived.set(System.nanoTime()); // the next ping after another interval
        send(new Packet(org.jvirt.remote.internal.rpc.RemoteProtocol.keepaliveHeader(
                org.jvirt.remote.internal.rpc.RemoteProtocol.KEEPALIVE_PING), new byte[0]).encode());
    }

    long nanosSinceLastReceived() {
        return System.nanoTime() - lastReceived.get();
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        SelectorLoop.Connection c = onLoop;
        if (c != null) {
            c.close();
        }
        accepted.close();
        dispatcher.closeConnection();
        server.closed(this);
    }

    static VirtException notOpen() {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "connection not open");
    }

    @Override
    public String toString() {
        return "client " + accepted.peer() + " (" + accepted.transport() + (accepted.readOnly() ? ", read-only" : "") + ")";
    }
}
