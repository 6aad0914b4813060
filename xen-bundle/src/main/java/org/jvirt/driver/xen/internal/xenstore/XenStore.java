package org.jvirt.driver.xen.internal.xenstore;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * A pure-Java xenstore client over xenstored's unix socket. Requests are pipelined and matched to
 * replies by req_id on a reader thread; watch events ({@code XS_WATCH_EVENT}) are told apart by their
 * type, so an event that arrives before the reply to the write that caused it is fine, and are handed
 * to their callbacks on one dispatch thread (a callback may call the store). Errors become
 * {@link XenStoreException}; {@link #transaction} retries on EAGAIN.
 */
public final class XenStore implements AutoCloseable {
    /** xenstored's default socket, and the variable that overrides it (as libxenstore reads it). */
    public static final String DEFAULT_SOCKET = "/var/run/xenstored/socket";
    public static final String SOCKET_ENV = "XENSTORED_PATH";

    private static final long TIMEOUT_SECONDS = 30;
    private static final int TRANSACTION_ATTEMPTS = 100;

    /** A change of a watched path. */
    @FunctionalInterface
    public interface WatchListener {
        void changed(String path, String token);
    }

    /** One permission: the domain and its access, {@code n} none, {@code r}, {@code w}, {@code b} both. */
    public record Perm(int domid, char access) {
        @Override
        public String toString() {
            return access + Integer.toString(domid);
        }

        static Perm parse(String s) {
            return new Perm(Integer.parseInt(s.substring(1)), s.charAt(0));
        }
    }

    /** The operations of a store or of one transaction. */
    public interface Ops {
        String read(String path);

        void write(String path, String value);

        List<String> directory(String path);

        void mkdir(String path);

        void rm(String path);

        List<Perm> getPerms(String path);

        void setPerms(String path, List<Perm> perms);

        /** The value, or null when the path does not exist. */
        default String readOrNull(String path) {
            try {
                return read(path);
            } catch (XenStoreException e) {
                if ("ENOENT".equals(e.errno())) {
                    return null;
                }
                throw e;
            }
        }

        default boolean exists(String path) {
            return readOrNull(path) != null;
        }
    }

    private final SocketChannel channel;
    private final Object sendLock = new Object();
    private final AtomicInteger nextReq = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<XsMessage>> pending = new ConcurrentHashMap<>();
    private final Map<String, WatchListener> watches = new ConcurrentHashMap<>();
    private final ExecutorService dispatch;
    private final Thread reader;
    private final String where;
    private volatile Throwable dead;
    private final Ops root = new View(0);

    private XenStore(SocketChannel channel, String where) {
        this.channel = channel;
        this.where = where;
        this.dispatch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "xenstore-watch " + where);
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::readLoop, "xenstore-reader " + where);
        reader.setDaemon(true);
        reader.start();
    }

    /** The socket {@code XENSTORED_PATH} names, or xenstored's default. */
    public static Path defaultSocket() {
        String env = System.getenv(SOCKET_ENV);
        return Path.of(env == null || env.isEmpty() ? DEFAULT_SOCKET : env);
    }

    public static XenStore open(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new XenStore(ch, socket.toString());
        } catch (IOException e) {
            throw new VirtException(ErrorCode.NO_XENSTORE, ErrorDomain.XENSTORE,
                    "cannot connect to xenstored at " + socket + ": " + e.getMessage(), e);
        }
    }

    // ---- operations outside a transaction ----------------------------------------------------------

    public String read(String path) {
        return root.read(path);
    }

    public String readOrNull(String path) {
        return root.readOrNull(path);
    }

    public void write(String path, String value) {
        root.write(path, value);
    }

    public List<String> directory(String path) {
        return root.directory(path);
    }

    public void mkdir(String path) {
        root.mkdir(path);
    }

    public void rm(String path) {
        root.rm(path);
    }

    public List<Perm> getPerms(String path) {
        return root.getPerms(path);
    }

    public void setPerms(String path, List<Perm> perms) {
        root.setPerms(path, perms);
    }

    /**
     * Introduces a domain to xenstored (what the toolstack does once it built the domain): its store ring's
     * machine frame and event channel. xenstored then fires {@code @introduceDomain}.
     */
    public void introduce(int domid, long mfn, int port) {
        call(XsMessage.XS_INTRODUCE, 0, XsMessage.strings(Integer.toString(domid), Long.toString(mfn),
                Integer.toString(port)), "introduce", null);
    }

    /** Releases a domain's connection (what the toolstack does when it died); fires {@code @releaseDomain}. */
    public void release(int domid) {
        call(XsMessage.XS_RELEASE, 0, XsMessage.strings(Integer.toString(domid)), "release", null);
    }

    /** The home path of a domain, e.g. {@code /local/domain/3}. */
    public String getDomainPath(int domid) {
        return call(XsMessage.XS_GET_DOMAIN_PATH, 0, XsMessage.strings(Integer.toString(domid)), "get-domain-path",
                null).text();
    }

    /**
     * Watches a path and everything under it. xenstored fires once at once, then on every change; the
     * listener runs on the dispatch thread. Tokens are unique per client.
     */
    public void watch(String path, String token, WatchListener listener) {
        if (watches.putIfAbsent(token, listener) != null) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.XENSTORE, "watch token " + token + " in use");
        }
        try {
            call(XsMessage.XS_WATCH, 0, XsMessage.strings(path, token), "watch", path);
        } catch (RuntimeException e) {
            watches.remove(token);
            throw e;
        }
    }

    public void unwatch(String path, String token) {
        try {
            call(XsMessage.XS_UNWATCH, 0, XsMessage.strings(path, token), "unwatch", path);
        } finally {
            watches.remove(token);
        }
    }

    /**
     * Runs a body in a transaction and commits it; when the commit fails with EAGAIN (another writer
     * changed what the body read), the body runs again in a new transaction. An exception of the body
     * aborts the transaction.
     */
    public <T> T transaction(Function<Ops, T> body) {
        for (int attempt = 0; attempt < TRANSACTION_ATTEMPTS; attempt++) {
            int tx = Integer.parseInt(call(XsMessage.XS_TRANSACTION_START, 0, XsMessage.strings(""),
                    "transaction-start", null).text().trim());
            T result;
            try {
                result = body.apply(new View(tx));
            } catch (RuntimeException | Error e) {
                try {
                    call(XsMessage.XS_TRANSACTION_END, tx, XsMessage.strings("F"), "transaction-end", null);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            try {
                call(XsMessage.XS_TRANSACTION_END, tx, XsMessage.strings("T"), "transaction-end", null);
                return result;
            } catch (XenStoreException e) {
                if (!"EAGAIN".equals(e.errno())) {
                    throw e;
                }
            }
        }
        throw new XenStoreException("transaction", null, "EAGAIN");
    }

    /** False once the connection broke or was closed. */
    public boolean isOpen() {
        return dead == null && channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        dispatch.shutdown();
        fail(new IOException("xenstore connection closed"));
    }

    // ---- the wire --------------------------------------------------------------------------------------

    private final class View implements Ops {
        private final int tx;

        View(int tx) {
            this.tx = tx;
        }

        @Override
        public String read(String path) {
            return call(XsMessage.XS_READ, tx, XsMessage.strings(path), "read", path).text();
        }

        @Override
        public void write(String path, String value) {
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[p.length + 1 + v.length];
            System.arraycopy(p, 0, payload, 0, p.length);
            System.arraycopy(v, 0, payload, p.length + 1, v.length);
            call(XsMessage.XS_WRITE, tx, payload, "write", path);
        }

        @Override
        public List<String> directory(String path) {
            return call(XsMessage.XS_DIRECTORY, tx, XsMessage.strings(path), "directory", path).splitStrings();
        }

        @Override
        public void mkdir(String path) {
            call(XsMessage.XS_MKDIR, tx, XsMessage.strings(path), "mkdir", path);
        }

        @Override
        public void rm(String path) {
            call(XsMessage.XS_RM, tx, XsMessage.strings(path), "rm", path);
        }

        @Override
        public List<Perm> getPerms(String path) {
            List<Perm> perms = new ArrayList<>();
            for (String s : call(XsMessage.XS_GET_PERMS, tx, XsMessage.strings(path), "get-perms", path)
                    .splitStrings()) {
                perms.add(Perm.parse(s));
            }
            return perms;
        }

        @Override
        public void setPerms(String path, List<Perm> perms) {
            String[] parts = new String[perms.size() + 1];
            parts[0] = path;
            for (int i = 0; i < perms.size(); i++) {
                parts[i + 1] = perms.get(i).toString();
            }
            call(XsMessage.XS_SET_PERMS, tx, XsMessage.strings(parts), "set-perms", path);
        }
    }

    private XsMessage call(int type, int tx, byte[] payload, String op, String path) {
        int req = nextReq.getAndIncrement();
        CompletableFuture<XsMessage> reply = new CompletableFuture<>();
        pending.put(req, reply);
        try {
            Throwable d = dead;
            if (d != null) {
                throw closed(d);
            }
            ByteBuffer b = new XsMessage(type, req, tx, payload).encode();
            synchronized (sendLock) {
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
            XsMessage m = reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (m.type() == XsMessage.XS_ERROR) {
                throw new XenStoreException(op, path, m.text());
            }
            if (m.type() != type) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENSTORE,
                        "xenstore " + op + ": reply of type " + m.type() + " to a request of type " + type);
            }
            return m;
        } catch (IOException e) {
            throw closed(e);
        } catch (ExecutionException e) {
            throw closed(e.getCause());
        } catch (TimeoutException e) {
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.XENSTORE,
                    "xenstore " + op + ": no reply from " + where + " in " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException(ErrorCode.OPERATION_ABORTED, ErrorDomain.XENSTORE, "xenstore " + op + " interrupted");
        } finally {
            pending.remove(req);
        }
    }

    private VirtException closed(Throwable cause) {
        return new VirtException(ErrorCode.NO_XENSTORE, ErrorDomain.XENSTORE,
                "xenstore connection to " + where + " lost: " + cause.getMessage(), cause);
    }

    private void readLoop() {
        ByteBuffer header = ByteBuffer.allocate(XsMessage.HEADER);
        try {
            while (true) {
                header.clear();
                readFully(header);
                int[] h = XsMessage.decodeHeader(header.flip());
                ByteBuffer body = ByteBuffer.allocate(h[3]);
                readFully(body);
                XsMessage m = new XsMessage(h[0], h[1], h[2], body.array());
                if (m.type() == XsMessage.XS_WATCH_EVENT) {
                    List<String> parts = m.splitStrings();
                    if (parts.size() >= 2) {
                        WatchListener l = watches.get(parts.get(1));
                        if (l != null) {
                            dispatch.execute(() -> l.changed(parts.get(0), parts.get(1)));
                        }
                    }
                    continue;
                }
                CompletableFuture<XsMessage> f = pending.get(m.reqId());
                if (f != null) {
                    f.complete(m);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("end of stream from xenstored");
            }
        }
    }

    private void fail(Throwable cause) {
        if (dead == null) {
            dead = cause;
        }
        for (CompletableFuture<XsMessage> f : pending.values()) {
            f.completeExceptionally(cause);
        }
    }
}
