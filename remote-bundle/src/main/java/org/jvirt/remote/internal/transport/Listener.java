package org.jvirt.remote.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/** A listening socket (unix or tcp) whose accept loop hands each new connection to a consumer. */
public final class Listener implements AutoCloseable {

    /**
     * What a server is told of an accepted connection. {@link #establish} completes it (for tls, the
     * handshake and the client checks, bounded in time) on the session's own thread, never the acceptor's.
     */
    public static final class Accepted {
        private final SocketChannel channel;
        private final String transport;
        private final boolean readOnly;
        private final String peer;
        private final Tls.Server tls;
        private volatile java.io.Closeable closer;

        Accepted(SocketChannel channel, String transport, boolean readOnly, String peer, Tls.Server tls) {
            this.channel = channel;
            this.transport = transport;
            this.readOnly = readOnly;
            this.peer = peer;
            this.tls = tls;
            this.closer = channel;
        }

        public String transport() {
            return transport;
        }

        public boolean readOnly() {
            return readOnly;
        }

        public String peer() {
            return peer;
        }

        /** The connection's streams, after the TLS handshake and checks for a tls listener. */
        /** The channel of a plain (unix or tcp) connection, which a selector can serve; null for tls. */
        public SocketChannel plainChannel() {
            return tls == null ? channel : null;
        }

        public Streams establish() throws IOException {
            if (tls == null) {
                return new Streams(ChannelStreams.in(channel), ChannelStreams.out(channel));
            }
            java.net.Socket plain = channel.socket();
            javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tls.context().getSocketFactory()
                    .createSocket(plain, null, plain.getPort(), true);
            ssl.setUseClientMode(false);
            closer = ssl;
            String ip = plain.getInetAddress().getHostAddress();
            tls.establish(ssl, ip);
            return new Streams(ssl.getInputStream(), ssl.getOutputStream());
        }

        public void close() {
            try {
                closer.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** A connection's byte streams. */
    public record Streams(java.io.InputStream in, java.io.OutputStream out) {
    }

    private final ServerSocketChannel server;
    private final String transport;
    private final boolean readOnly;
    private final Path unixPath;
    private final String description;
    private Tls.Server tls;
    private Thread acceptor;

    private Listener(ServerSocketChannel server, String transport, boolean readOnly, Path unixPath, String description) {
        this.server = server;
        this.transport = transport;
        this.readOnly = readOnly;
        this.unixPath = unixPath;
        this.description = description;
    }

    /**
     * A unix socket at {@code path} with the given octal permissions (e.g. "0700") and, if not null, group.
     * A stale socket file left by a dead daemon is replaced.
     */
    public static Listener unix(Path path, boolean readOnly, String perms, String group) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (Files.exists(path) && accepting(path)) {
            throw new IOException("Failed to bind socket to '" + path + "': another daemon is listening on it");
        }
        Files.deleteIfExists(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path), 128);
        if (perms != null) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(octalToRwx(perms)));
        }
        if (group != null && !group.isEmpty()) {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
        }
        return new Listener(s, "unix", readOnly, path, "unix:" + path);
    }

    /** A tcp socket on {@code address} (null: all addresses) and {@code port} (0: any). */
    public static Listener tcp(String address, int port) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(address == null || address.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(address, port), 128);
        return new Listener(s, "tcp", false, null, "tcp:" + s.getLocalAddress());
    }

    /** Whether a daemon answers on a unix socket (a stale file left by a dead one does not). */
    private static boolean accepting(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A tls socket on {@code address} and {@code port}: tcp with libvirt's TLS on top. */
    public static Listener tls(String address, int port, Tls.Server tls) throws IOException {
        Listener l = tcp(address, port);
        l.tls = tls;
        return new Listener(l.server, "tls", false, null, "tls:" + l.server.getLocalAddress()).withTls(tls);
    }

    private Listener withTls(Tls.Server t) {
        this.tls = t;
        return this;
    }

    /** "0700" → "rwx------". */
    static String octalToRwx(String octal) {
        int v = Integer.parseInt(octal, 8);
        StringBuilder b = new StringBuilder(9);
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) {
            b.append((v & (1 << i)) != 0 ? rwx.charAt((8 - i) % 3) : '-');
        }
        return b.toString();
    }

    /** The tcp port actually bound, or -1 for a unix socket. */
    public int port() {
        try {
            return server.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    public void start(Consumer<Accepted> onAccept) {
        acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    if (unixPath == null) {
                        // small replies go out at once: no Nagle delay behind an unacknowledged segment
                        ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                    }
                    String peer;
                    try {
                        peer = String.valueOf(ch.getRemoteAddress());
                    } catch (IOException e) {
                        peer = "?";
                    }
                    onAccept.accept(new Accepted(ch, transport, readOnly, peer, tls));
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        }, "jvirtd-accept-" + description);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException ignored) {
                // a stale file is replaced at the next start
            }
        }
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
