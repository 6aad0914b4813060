package org.jvirt.remote.internal.interop;

import java.io.IOException;
import java.nio.file.Path;

import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.driver.test.internal.TestDriver;
import org.jvirt.remote.internal.server.DaemonConfig;
import org.jvirt.remote.internal.server.RpcServer;
import org.jvirt.remote.internal.server.ServerSettings;
import org.jvirt.remote.internal.transport.Listener;

/** jvirt's RPC server with libvirt's test driver behind it, on unix sockets in a directory and on tcp. */
final class JvirtdTestNode implements AutoCloseable {
    private final Path dir;
    private final RpcServer server;

    JvirtdTestNode(Path dir) throws IOException {
        this(dir, "listen_tls = 0\n");
    }

    /** With extra libvirtd.conf settings, e.g. TLS ones ({@code tls_port = "0"} for a free port). */
    JvirtdTestNode(Path dir, String extra) throws IOException {
        this.dir = dir;
        DaemonConfig conf = DaemonConfig.parse("unix_sock_dir = \"" + dir + "\"\nlisten_tcp = 1\n" + extra
                + "listen_addr = \"127.0.0.1\"\ntcp_port = \"0\"\nauth_tcp = \"none\"\n", "jvirtd.conf");
        server = new RpcServer(FrontEndImpl.of(new TestDriver()), ServerSettings.from(conf, true, dir), m -> { });
        server.start();
    }

    Path socket() {
        return dir.resolve("libvirt-sock");
    }

    Path readOnlySocket() {
        return dir.resolve("libvirt-sock-ro");
    }

    int tcpPort() {
        return server.listeners().stream().filter(l -> l.toString().startsWith("tcp")).mapToInt(Listener::port)
                .findFirst().orElseThrow();
    }

    int tlsPort() {
        return server.listeners().stream().filter(l -> l.toString().startsWith("tls")).mapToInt(Listener::port)
                .findFirst().orElseThrow();
    }

    @Override
    public void close() {
        server.close();
    }
}
