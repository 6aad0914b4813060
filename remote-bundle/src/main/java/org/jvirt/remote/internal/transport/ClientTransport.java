package org.jvirt.remote.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/** A client's connected byte stream to a daemon: unix or tcp. */
public final class ClientTransport implements AutoCloseable {
    private final InputStream in;
    private final OutputStream out;
    private final AutoCloseable closer;
    private final String kind;

    private ClientTransport(InputStream in, OutputStream out, AutoCloseable closer, String kind) {
        this.in = in;
        this.out = out;
        this.closer = closer;
        this.kind = kind;
    }

    public static ClientTransport unix(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new ClientTransport(ChannelStreams.in(ch), ChannelStreams.out(ch), ch, "unix");
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Failed to connect socket to '" + socket + "': " + reason(e));
        }
    }

    public static ClientTransport tcp(String host, int port, int connectTimeoutMs) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            return new ClientTransport(s.getInputStream(), s.getOutputStream(), s, "tcp");
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // failed anyway
            }
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "unable to connect to server at '" + host + ":" + port + "': " + reason(e));
        }
    }

    /** A connected socket (e.g. TLS) as a transport. */
    public static ClientTransport of(Socket s, String kind) {
        try {
            return new ClientTransport(s.getInputStream(), s.getOutputStream(), s, kind);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Cannot use the connection: " + e.getMessage());
        }
    }

    /** A program whose standard input and output carry the protocol (the ext and ssh transports). */
    public static ClientTransport of(Process p, String kind, java.util.function.Supplier<String> diagnostics) {
        ClientTransport t = new ClientTransport(p.getInputStream(), p.getOutputStream(), () -> {
            // end of input first, so that a program still saying why it failed is not killed mid-sentence
            try {
                p.getOutputStream().close();
            } catch (java.io.IOException ignored) {
                // already closed
            }
            if (!p.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }, kind);
        t.diagnostics = diagnostics;
        return t;
    }

    private java.util.function.Supplier<String> diagnostics = () -> "";

    /** What the transport's program said on its standard error, for error messages. */
    public String diagnostics() {
        return diagnostics.get();
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException || (m != null && m.contains("Connection refused"))) {
            return "Connection refused";
        }
        if (e instanceof java.nio.file.NoSuchFileException || (m != null && m.contains("No such file"))) {
            return "No such file or directory";
        }
        return m == null ? e.toString() : m;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public String kind() {
        return kind;
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
