package org.jvirt.remote.internal.client;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.remote.internal.rpc.MessageHeader;
import org.jvirt.remote.internal.rpc.Packet;
import org.jvirt.remote.internal.rpc.PacketStream;
import org.jvirt.remote.internal.rpc.RemoteProtocol;
import org.jvirt.remote.internal.rpc.RpcErrors;
import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;

/**
 * The client end of one RPC connection: numbered calls matched to their replies, keepalive, and
 * asynchronous messages (events) handed to one event thread so that a listener never blocks a call. A dead
 * peer (end of stream, or no answer to {@code keepaliveCount} pings sent every {@code keepaliveInterval}
 * seconds) fails every pending and later call.
 */
final class RpcClient implements AutoCloseable {
    private final PacketStream stream;
    private final AutoCloseable transport;
    private final Consumer<Packet> onMessage;
    private final Map<Integer, CompletableFuture<Packet>> pending = new ConcurrentHashMap<>();
    /** Open streams by the serial of the call that opened them; their packets are handled in order. */
    private final Map<Integer, Consumer<Packet>> streams = new ConcurrentHashMap<>();
    private final AtomicInteger serial = new AtomicInteger();
    private final AtomicLong lastReceived = new AtomicLong(System.nanoTime());
    private final ExecutorService eventThread;
    private final ScheduledExecutorService keepalive;
    private final Thread reader;
    private volatile VirtError dead;
    /** Told once, on the event thread after the events before it, why the peer went away. */
    private volatile IntConsumer onDeath = reason -> { };
    private volatile int unansweredPings;

    RpcClient(PacketStream stream, AutoCloseable transport, String name, Consumer<Packet> onMessage) {
        this.stream = stream;
        this.transport = transport;
        this.onMessage = onMessage;
        this.eventThread = Executors.newSingleThreadExecutor(r -> daemon(r, "jvirt-remote-events-" + name));
        this.keepalive = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "jvirt-remote-keepalive-" + name));
        this.reader = daemon(this::readLoop, "jvirt-remote-reader-" + name);
        reader.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Closed-connection reasons, as libvirt's virConnectCloseReason. */
    static final int CLOSE_ERROR = 0;
    static final int CLOSE_EOF = 1;
    static final int CLOSE_KEEPALIVE = 2;

    void onDeath(IntConsumer listener) {
        this.onDeath = listener;
    }

    /** Pings every {@code interval} seconds of silence; {@code count} unanswered pings mean a dead peer. */
    void startKeepalive(int interval, int count) {
        if (interval <= 0) {
            return;
        }
        keepalive.scheduleWithFixedDelay(() -> {
            long silentNs = System.nanoTime() - lastReceived.get();
            if (silentNs < TimeUnit.SECONDS.toNanos(interval)) {
                unansweredPings = 0;
                return;
            }
            if (unansweredPings >= count) {
                fail(new VirtError(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                        "connection closed due to keepalive timeout"), CLOSE_KEEPALIVE);
                return;
            }
            unansweredPings++;
            send(new Packet(new MessageHeader(RemoteProtocol.KEEPALIVE_PROGRAM, RemoteProtocol.KEEPALIVE_VERSION,
                    RemoteProtocol.KEEPALIVE_PING, MessageHeader.MESSAGE, 0, MessageHeader.OK), new byte[0]));
        }, interval, interval, TimeUnit.SECONDS);
    }

    private void readLoop() {
        try {
            while (dead == null) {
                Packet p = stream.read();
                if (p == null) {
                    fail(new VirtError(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                            "End of file while reading data: Input/output error"), CLOSE_EOF);
                    return;
                }
                lastReceived.set(System.nanoTime());
                unansweredPings = 0;
                MessageHeader h = p.header();
                if (h.type() == MessageHeader.REPLY) {
                    CompletableFuture<Packet> f = pending.remove(h.serial());
                    if (f != null) {
                        f.complete(p);
                    }
                } else if (h.type() == MessageHeader.STREAM) {
                    Consumer<Packet> s = streams.get(h.serial());
                    if (s != null) {
                        s.accept(p);
                    }
                } else if (h.program() == RemoteProtocol.KEEPALIVE_PROGRAM) {
                    if (h.procedure() == RemoteProtocol.KEEPALIVE_PING) {
                        send(new Packet(new MessageHeader(RemoteProtocol.KEEPALIVE_PROGRAM,
                                RemoteProtocol.KEEPALIVE_VERSION, RemoteProtocol.KEEPALIVE_PONG, MessageHeader.MESSAGE,
                                0, MessageHeader.OK), new byte[0]));
                    }
                } else if (h.type() == MessageHeader.MESSAGE) {
                    try {
                        eventThread.execute(() -> onMessage.accept(p));
                    } catch (RuntimeException closing) {
                        // the connection is being closed
                    }
                }
            }
        } catch (IOException | XdrException e) {
            fail(new VirtError(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Cannot recv data: " + e.getMessage()), CLOSE_ERROR);
        }
    }

    /** Calls a REMOTE procedure and returns the reply's payload, or throws the reply's error. */
    XdrReader call(int procedure, XdrWriter args, long timeoutMs) {
        return call(procedure, args, timeoutMs, serial.incrementAndGet());
    }

    /** A new call serial, for a call that opens a stream (its packets carry the serial). */
    int nextSerial() {
        return serial.incrementAndGet();
    }

    /** Routes the stream packets of a serial to a handler (on the reader thread, in order). */
    void openStream(int streamSerial, Consumer<Packet> handler) {
        streams.put(streamSerial, handler);
    }

    void closeStream(int streamSerial) {
        streams.remove(streamSerial);
    }

    /** Sends one stream packet: data (CONTINUE), finish (OK) or abort (ERROR). */
    void sendStream(int procedure, int streamSerial, int status, byte[] data) {
        send(new Packet(new MessageHeader(RemoteProtocol.PROGRAM, RemoteProtocol.VERSION, procedure,
                MessageHeader.STREAM, streamSerial, status), data));
    }

    XdrReader call(int procedure, XdrWriter args, long timeoutMs, int s) {
        VirtError d = dead;
        if (d != null) {
            throw new VirtException(d);
        }
        CompletableFuture<Packet> f = new CompletableFuture<>();
        pending.put(s, f);
        send(new Packet(new MessageHeader(RemoteProtocol.PROGRAM, RemoteProtocol.VERSION, procedure,
                MessageHeader.CALL, s, MessageHeader.OK), args.toByteArray()));
        Packet reply;
        try {
            reply = timeoutMs > 0 ? f.get(timeoutMs, TimeUnit.MILLISECONDS) : f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof VirtException ve ? ve : new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                    String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            pending.remove(s);
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.RPC,
                    "no reply to procedure " + procedure + " within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            pending.remove(s);
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "interrupted while waiting for a reply");
        }
        XdrReader r = reply.payloadReader();
        if (reply.header().status() == MessageHeader.ERROR) {
            throw new VirtException(RpcErrors.read(r));
        }
        return r;
    }

    private void send(Packet p) {
        try {
            stream.write(p.encode());
        } catch (IOException e) {
            fail(new VirtError(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Cannot write data: " + e.getMessage()),
                    CLOSE_ERROR);
        }
    }

    boolean isAlive() {
        return dead == null;
    }

    /** The peer went away (reason >= 0) or the client closes the connection (reason -1, nobody is told). */
    private void fail(VirtError why, int reason) {
        synchronized (this) {
            if (dead != null) {
                return;
            }
            dead = why;
        }
        for (Consumer<Packet> s : streams.values()) {
            try {
                s.accept(null); // the connection died: every open stream ends with an error
            } catch (RuntimeException ignored) {
                // ending anyway
            }
        }
        streams.clear();
        for (Integer s : pending.keySet()) {
            CompletableFuture<Packet> f = pending.remove(s);
            if (f != null) {
                f.completeExceptionally(new VirtException(why));
            }
        }
        try {
            transport.close();
        } catch (Exception ignored) {
            // already dead
        }
        keepalive.shutdownNow();
        if (reason >= 0) {
            IntConsumer told = onDeath;
            try {
                eventThread.execute(() -> told.accept(reason));
            } catch (RuntimeException closing) {
                // the event thread is gone already
            }
        }
        eventThread.shutdown();
    }

    @Override
    public void close() {
        fail(new VirtError(ErrorCode.INVALID_CONN, ErrorDomain.NONE, "invalid connection: the connection is closed"), -1);
    }
}
