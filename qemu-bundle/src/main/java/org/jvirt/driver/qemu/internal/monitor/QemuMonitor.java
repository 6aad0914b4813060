package org.jvirt.driver.qemu.internal.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * A QMP client over a unix socket (JDK 17's {@link UnixDomainSocketAddress}): the transport under
 * {@link QmpCommands}. One reader thread takes the greeting, replies and events; replies complete the
 * waiting command, events go to the {@link Listener}. Nothing here waits without a bound: the connect
 * retries until a deadline, and the greeting and every reply must come within the command timeout, or
 * the caller gets OPERATION_TIMEOUT.
 */
public final class QemuMonitor implements QmpCommands, AutoCloseable {

    /** Receives what QEMU says on its own. Called on the reader thread: must not block. */
    public interface Listener {
        void event(String name, JsonNode data);

        /** The socket closed: QEMU went away, or {@link #close()} was called ({@code requested}). */
        void eof(boolean requested);
    }

    /** How long a command (and the greeting) may take unless the caller says otherwise. */
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final SocketChannel channel;
    private final Path path;
    private final String domain;
    private final long timeoutMs;
    private final CompletableFuture<String> greeting = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object writeLock = new Object();
    private volatile Listener listener;
    private volatile boolean closing;
    private volatile boolean closed;
    private Thread reader;

    private QemuMonitor(SocketChannel channel, Path path, String domain, long timeoutMs) {
        this.channel = channel;
        this.path = path;
        this.domain = domain;
        this.timeoutMs = timeoutMs;
    }

    /** {@link #open(Path, String, long, long, BooleanSupplier, Listener)} with the default command timeout. */
    public static QemuMonitor open(Path socket, String domain, long deadlineNanos, BooleanSupplier alive,
            Listener listener) throws IOException {
        return open(socket, domain, deadlineNanos, DEFAULT_TIMEOUT_MS, alive, listener);
    }

    /**
     * Connects to a QMP socket, reads the greeting and leaves negotiation mode. Retries the connect until
     * {@code deadlineNanos} while {@code alive} says the process still runs (QEMU creates the socket early);
     * then the greeting, and later every command, must be answered within {@code timeoutMs}.
     * {@code domain} names the domain in error messages.
     *
     * @throws IOException when no connection could be made (QEMU exited, or the deadline passed)
     * @throws VirtException OPERATION_TIMEOUT when QEMU accepted but did not greet or negotiate in time
     */
    public static QemuMonitor open(Path socket, String domain, long deadlineNanos, long timeoutMs,
            BooleanSupplier alive, Listener listener) throws IOException {
        SocketChannel ch = connect(socket, deadlineNanos, alive);
        QemuMonitor m = new QemuMonitor(ch, socket, domain, timeoutMs);
        m.listener = listener;
        try {
            m.start();
            String g = m.awaitGreeting();
            if (g == null || !g.contains("\"QMP\"")) {
                throw new IOException("no QMP greeting on " + socket + (g == null ? "" : ": " + g));
            }
            m.qmpCapabilities();
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Connects without ever blocking: a unix socket whose backlog is full refuses a non-blocking connect
     * (EAGAIN) instead of parking the caller, and the refusal is retried like a missing socket.
     */
    private static SocketChannel connect(Path socket, long deadlineNanos, BooleanSupplier alive)
            throws IOException {
        long sleepMicros = 200;
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.configureBlocking(false);
                boolean done = ch.connect(UnixDomainSocketAddress.of(socket));
                while (!done) {
                    if (System.nanoTime() > deadlineNanos) {
                        throw new IOException("connect did not complete");
                    }
                    pause(1000);
                    done = ch.finishConnect();
                }
                ch.configureBlocking(true);
                return ch;
            } catch (IOException e) {
                ch.close();
                if (!alive.getAsBoolean()) {
                    throw new IOException("QEMU exited before its monitor was ready", e);
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new IOException("timed out connecting to monitor " + socket, e);
                }
                pause(sleepMicros);
                sleepMicros = Math.min(sleepMicros * 2, 20_000);
            }
        }
    }

    private static void pause(long micros) throws IOException {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ie);
        }
    }

    private String awaitGreeting() throws IOException {
        try {
            return greeting.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU,
                    who() + " sent no greeting within " + duration(timeoutMs));
        } catch (ExecutionException e) {
            throw new IOException("cannot read the QMP greeting on " + path + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** "QEMU monitor of domain 'NAME'", or of the socket when no domain was named. */
    private String who() {
        return domain == null ? "QEMU monitor " + path : "QEMU monitor of domain '" + domain + "'";
    }

    /** A timeout as messages give it: "30 s" for whole seconds, else "250 ms". */
    public static String duration(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    public Path path() {
        return path;
    }

    public void setListener(Listener l) {
        this.listener = l;
    }

    public Listener listener() {
        return listener;
    }

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final ByteBuffer buf = ByteBuffer.allocate(65536).flip();

    /** Reads one line; only the reader thread calls this, so its blocking stalls no caller. */
    private String readLine() throws IOException {
        while (true) {
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8).trim();
                    line.reset();
                    if (!s.isEmpty()) {
                        return s;
                    }
                } else {
                    line.write(b);
                }
            }
            buf.clear();
            int n = channel.read(buf);
            buf.flip();
            if (n < 0) {
                return null;
            }
        }
    }

    private void start() {
        reader = new Thread(this::readLoop, "qmp-" + path.getParent().getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        try {
            String s;
            while ((s = readLine()) != null) {
                if (!greeting.isDone()) {
                    greeting.complete(s);
                } else {
                    dispatch(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            // socket closed or broken: treated as EOF
        }
        closed = true;
        greeting.complete(null);
        VirtException gone = new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                "monitor connection closed (QEMU exited)");
        for (CompletableFuture<JsonNode> f : pending.values()) {
            f.completeExceptionally(gone);
        }
        pending.clear();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        Listener l = listener;
        if (l != null) {
            l.eof(closing);
        }
    }

    private void dispatch(String text) {
        JsonNode m;
        try {
            m = QmpJson.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!m.isObject()) {
            return;
        }
        if (m.has("event")) {
            Listener l = listener;
            if (l != null) {
                l.event(m.get("event").asText(), m.path("data"));
            }
            return;
        }
        String id = QmpJson.str(m, "id");
        CompletableFuture<JsonNode> f = id == null ? null : pending.remove(id);
        if (f == null) {
            return;
        }
        if (m.has("error")) {
            JsonNode err = m.get("error");
            f.completeExceptionally(new QmpError(QmpJson.str(err, "class"), QmpJson.str(err, "desc")));
        } else {
            JsonNode r = m.get("return");
            f.complete(r == null ? MissingNode.getInstance() : r);
        }
    }

    /** A command QEMU refused. */
    public static final class QmpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String errorClass;

        QmpError(String errorClass, String desc) {
            super(desc);
            this.errorClass = errorClass;
        }

        public String errorClass() {
            return errorClass;
        }
    }

    /**
     * Runs a request and returns its "return" value (never null: a missing member is a
     * {@link MissingNode}) within the monitor's command timeout; QEMU's refusals become OPERATION_FAILED,
     * silence OPERATION_TIMEOUT.
     */
    @Override
    public JsonNode execute(QmpRequest request) {
        return execute(request, timeoutMs);
    }

    /** {@link #execute(QmpRequest)} with its own timeout. */
    public JsonNode execute(QmpRequest request, long timeoutMs) {
        String command = request.command();
        CompletableFuture<JsonNode> f = send(request);
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof QmpError q) {
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                        command + ": " + q.getMessage(), q);
            }
            if (c instanceof VirtException v) {
                throw new VirtException(v.error(), v);
            }
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, command + ": " + c, c);
        } catch (TimeoutException e) {
            pending.values().remove(f);
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU,
                    who() + " did not answer '" + command + "' within " + duration(timeoutMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.values().remove(f);
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted during " + command);
        }
    }

    /** Sends a request without waiting. */
    @Override
    public CompletableFuture<JsonNode> send(QmpRequest request) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                    "monitor is closed"));
            return f;
        }
        String id = "j" + ids.incrementAndGet();
        pending.put(id, f);
        byte[] bytes = (request.line(id) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (writeLock) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "cannot write to monitor: " + e.getMessage()));
        }
        if (closed) {
            f.completeExceptionally(new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "monitor connection closed (QEMU exited)"));
        }
        return f;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes the connection; QEMU keeps running (used on driver shutdown). */
    @Override
    public void close() {
        closing = true;
        closeQuietly();
        Thread r = reader;
        if (r != null && r != Thread.currentThread()) {
            try {
                r.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
