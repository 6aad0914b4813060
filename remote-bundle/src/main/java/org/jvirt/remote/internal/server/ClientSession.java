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
import org.jvirt.remote.internal.rpc.PacketStream;
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

    void start() {
        reader = new Thread(this::readLoop, "jvirtd-client-" + accepted.peer());
        reader.setDaemon(true);
        reader.start();
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
        try {
            workers.execute(() -> {
                try {
                    dispatcher.dispatch(p);
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException rejected) {
            inFlight.release();
            replyError(h, new VirtError(ErrorCode.RPC, ErrorDomain.RPC, "the server is shutting down"));
        }
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
        PacketStream stream = this.stream;
        if (closed || stream == null) {
            return;
        }
        try {
            stream.write(frame);
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
