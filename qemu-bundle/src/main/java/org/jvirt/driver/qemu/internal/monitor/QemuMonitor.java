package org.jvirt.driver.qemu.internal.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * A QMP client over a unix socket (JDK 17's {@link UnixDomainSocketAddress}). One reader thread takes
 * replies and events; replies complete the waiting command, events go to the {@link Listener}.
 */
public final class QemuMonitor implements AutoCloseable {

    /** Receives what QEMU says on its own. Called on the reader thread: must not block. */
    public interface Listener {
        void event(String name, JsonNode data);

        /** The socket closed: QEMU went away, or {@link #close()} was called ({@code requested}). */
        void eof(boolean requested);
    }

    private static final long DEFAULT_TIMEOUT_MS = 60_000;

    private final SocketChannel channel;
    private final Path path;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object writeLock = new Object();
    private volatile Listener listener;
    private volatile boolean closing;
    private volatile boolean closed;
    private Thread reader;

    private QemuMonitor(SocketChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /**
     * Connects to a QMP socket, reads the greeting and leaves negotiation mode. Retries the connect until
     * {@code deadlineNanos} while {@code alive} says the process still runs (QEMU creates the socket early).
     */
    public static QemuMonitor open(Path socket, long deadlineNanos, java.util.function.BooleanSupplier alive,
            Listener listener) throws IOException {
        SocketChannel ch = null;
        long sleepMicros = 200;
        while (ch == null) {
            try {
                ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                if (!alive.getAsBoolean()) {
                    throw new IOException("QEMU exited before its monitor was ready", e);
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new IOException("timed out connecting to monitor " + socket, e);
                }
                try {
                    TimeUnit.MICROSECONDS.sleep(sleepMicros);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
                sleepMicros = Math.min(sleepMicros * 2, 20_000);
            }
        }
        QemuMonitor m = new QemuMonitor(ch, socket);
        m.listener = listener;
        try {
            String greeting = m.readLineBlocking();
            if (greeting == null || !greeting.contains("\"QMP\"")) {
                throw new IOException("no QMP greeting on " + socket + (greeting == null ? "" : ": " + greeting));
            }
            m.start();
            m.execute("qmp_capabilities", null);
            return m;
        } catch (IOException | RuntimeException e) {
            m.closeQuietly();
            throw e;
        }
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

    /** Reads one line; used for the greeting (before the reader thread) and by the reader. */
    private String readLineBlocking() throws IOException {
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
            while ((s = readLineBlocking()) != null) {
                dispatch(s);
            }
        } catch (IOException | RuntimeException e) {
            // socket closed or broken: treated as EOF
        }
        closed = true;
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
     * Runs a command and returns its "return" value (never null: a missing member is a
     * {@link MissingNode}); QEMU's refusals become OPERATION_FAILED.
     */
    public JsonNode execute(String command, ObjectNode arguments) {
        return execute(command, arguments, DEFAULT_TIMEOUT_MS);
    }

    public JsonNode execute(String command, ObjectNode arguments, long timeoutMs) {
        try {
            return send(command, arguments).get(timeoutMs, TimeUnit.MILLISECONDS);
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
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU,
                    "QEMU did not answer '" + command + "' within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted during " + command);
        }
    }

    /** Sends a command without waiting. */
    public CompletableFuture<JsonNode> send(String command, ObjectNode arguments) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                    "monitor is closed"));
            return f;
        }
        String id = "j" + ids.incrementAndGet();
        ObjectNode msg = QmpJson.obj("execute", command, "arguments", arguments, "id", id);
        pending.put(id, f);
        byte[] bytes = (QmpJson.write(msg) + "\n").getBytes(StandardCharsets.UTF_8);
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
