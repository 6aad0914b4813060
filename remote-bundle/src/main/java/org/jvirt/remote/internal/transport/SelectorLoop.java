package org.jvirt.remote.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One thread that waits for every plain (unix, tcp) connection of a server at once and lets each
 * connection's handler read what arrived: a busy server handles many clients' packets per wake-up instead
 * of waking one thread per packet. Writes are non-blocking; what a socket cannot take yet waits in the
 * connection's outbox and goes out when the socket is writable.
 *
 * <p>A handler that takes longer than {@code stallMillis} (a driver call that blocks) does not stop the
 * other connections: a watchdog hands the selector to a fresh thread, and the stalled thread ends once its
 * handler returns.
 */
public final class SelectorLoop implements AutoCloseable {
    /** What a connection does when bytes arrive; called on the loop's thread, one call at a time per loop. */
    public interface Handler {
        void readable(Connection connection);
    }

    /** At most this many bytes wait in one connection's outbox; a client that reads nothing more is dropped. */
    static final long MAX_QUEUED = 128L * 1024 * 1024;

    private final String name;
    private final long stallNanos;
    private final int maxThreads;
    private final Consumer<String> log;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService watchdog;
    private final AtomicInteger threads = new AtomicInteger();
    private volatile Thread owner;
    private volatile long busySince;
    private volatile boolean closed;

    /**
     * @param stallMillis how long one handler may run before another thread takes over the selector
     * @param maxThreads  how many loop threads may exist at once (stalled ones included)
     */
    public SelectorLoop(String name, long stallMillis, int maxThreads, Consumer<String> log) throws IOException {
        this.name = name;
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        this.maxThreads = Math.max(1, maxThreads);
        this.log = log;
        this.selector = Selector.open();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-watchdog"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public void start() {
        startThread();
        long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(stallNanos) / 2);
        watchdog.scheduleWithFixedDelay(this::checkStall, period, period, TimeUnit.MILLISECONDS);
    }

    private void startThread() {
        Thread t = daemon(this::run, name + "-" + threads.incrementAndGet());
        owner = t;
        t.start();
    }

    private void checkStall() {
        long since = busySince;
        if (closed || since == 0 || System.nanoTime() - since < stallNanos) {
            return;
        }
        if (threads.get() >= maxThreads) {
            return; // every thread is stalled: the others wait, as with a full worker pool
        }
        busySince = 0;
        log.accept(name + ": a call took longer than " + TimeUnit.NANOSECONDS.toMillis(stallNanos)
                + " ms; another thread serves the other clients meanwhile");
        startThread();
        selector.wakeup();
    }

    private void run() {
        Thread me = Thread.currentThread();
        try {
            while (!closed && owner == me) {
                for (Runnable task; (task = tasks.poll()) != null;) {
                    task.run();
                }
                selector.select(1000);
                if (owner != me) {
                    return;
                }
                List<SelectionKey> ready = new ArrayList<>(selector.selectedKeys());
                selector.selectedKeys().clear();
                for (SelectionKey k : ready) {
                    Connection c = (Connection) k.attachment();
                    if (k.isValid() && k.isWritable()) {
                        c.flush();
                    }
                    if (k.isValid() && k.isReadable()) {
                        busySince = System.nanoTime();
                        try {
                            c.handler.readable(c);
                        } catch (RuntimeException e) {
                            log.accept(name + ": " + e);
                            c.close();
                        } finally {
                            if (owner == me) {
                                busySince = 0; // a replaced thread leaves its successor's clock alone
                            }
                        }
                        if (owner != me) {
                            return; // stalled and replaced: the new thread serves the rest
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.accept(name + ": the selector failed: " + e);
            }
        } finally {
            threads.decrementAndGet();
        }
    }

    /** Adds a connected channel; its handler is called when bytes arrive. */
    public Connection register(SocketChannel channel, Handler handler) throws IOException {
        channel.configureBlocking(false);
        Connection c = new Connection(channel, handler);
        tasks.add(() -> {
            try {
                c.key = channel.register(selector, (c.reading ? SelectionKey.OP_READ : 0) | c.pendingWriteOps(), c);
            } catch (ClosedChannelException e) {
                // closed before it was registered
            }
        });
        selector.wakeup();
        return c;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        selector.wakeup();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One registered channel: reads happen in its handler, writes through its outbox. */
    public final class Connection {
        private final SocketChannel channel;
        private final Handler handler;
        private final Queue<ByteBuffer> outbox = new ArrayDeque<>();
        private long queued;
        private volatile SelectionKey key;
        private volatile boolean reading = true;

        Connection(SocketChannel channel, Handler handler) {
            this.channel = channel;
            this.handler = handler;
        }

        /** Reads what the socket holds into {@code into}: -1 at the end of the stream, 0 when nothing is there. */
        public int read(ByteBuffer into) throws IOException {
            return channel.read(into);
        }

        /** Sends a whole frame from any thread: at once as far as the socket takes it, the rest when writable. */
        public void write(byte[] frame) throws IOException {
            synchronized (outbox) {
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                ByteBuffer b = ByteBuffer.wrap(frame);
                if (outbox.isEmpty()) {
                    channel.write(b);
                    if (!b.hasRemaining()) {
                        return;
                    }
                }
                outbox.add(b);
                queued += b.remaining();
                if (queued > MAX_QUEUED) {
                    throw new IOException("the client reads no replies (" + queued + " bytes waiting)");
                }
                interest();
            }
        }

        /** On the loop thread when the socket is writable: sends what waits. */
        void flush() {
            synchronized (outbox) {
                try {
                    while (!outbox.isEmpty()) {
                        ByteBuffer b = outbox.peek();
                        int before = b.remaining();
                        channel.write(b);
                        queued -= before - b.remaining();
                        if (b.hasRemaining()) {
                            return;
                        }
                        outbox.poll();
                    }
                    interest();
                } catch (IOException e) {
                    close();
                }
            }
        }

        int pendingWriteOps() {
            synchronized (outbox) {
                return outbox.isEmpty() ? 0 : SelectionKey.OP_WRITE;
            }
        }

        /** Stops reading until {@link #resumeReading()}: the client waits while its requests are at the limit. */
        public void pauseReading() {
            reading = false;
            interest();
        }

        public void resumeReading() {
            reading = true;
            interest();
        }

        private void interest() {
            SelectionKey k = key;
            if (k == null || !k.isValid()) {
                return; // applied when the key is made
            }
            int ops = (reading ? SelectionKey.OP_READ : 0) | pendingWriteOps();
            try {
                if (k.interestOps() != ops) {
                    k.interestOps(ops);
                    selector.wakeup();
                }
            } catch (RuntimeException cancelled) {
                // closed meanwhile
            }
        }

        public void close() {
            SelectionKey k = key;
            if (k != null) {
                k.cancel();
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            selector.wakeup();
        }
    }
}
