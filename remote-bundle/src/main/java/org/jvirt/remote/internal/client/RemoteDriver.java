package org.jvirt.remote.internal.client;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.remote.internal.rpc.PacketStream;
import org.jvirt.remote.internal.transport.ClientTransport;
import org.jvirt.remote.internal.transport.CommandTransport;
import org.jvirt.remote.internal.transport.Pki;
import org.jvirt.remote.internal.transport.Tls;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.osgi.service.component.annotations.Component;

/**
 * The remote driver: every URI with a host or a {@code +transport} (libvirt's remote driver). Each SPI entry
 * is one RPC to the daemon, through the procedure table.
 */
@Component(service = Driver.class, property = {Driver.SCHEME_PROPERTY + "=" + Driver.REMOTE_SCHEME,
        "service.ranking:Integer=0"})
public class RemoteDriver implements Driver {
    /** URI parameters the remote driver consumes; the rest go to the daemon. */
    static final Set<String> REMOTE_PARAMS = Set.of("name", "command", "socket", "netcat", "keyfile", "no_verify",
            "no_tty", "pkipath", "known_hosts", "known_hosts_verify", "mode", "proxy", "sshauth", "tls_priority",
            "tls");
    static final int DEFAULT_TCP_PORT = 16509;
    static final int DEFAULT_TLS_PORT = 16514;
    static final int CONNECT_TIMEOUT_MS = 10_000;

    @Override
    public String name() {
        return "remote";
    }

    @Override
    public Set<String> schemes() {
        return Set.of(Driver.REMOTE_SCHEME);
    }

    @Override
    public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
        String transport = uri.transport() != null ? uri.transport() : uri.host() != null ? "tls" : "unix";
        if (transport.equals("unix") && uri.param("socket") == null && "/session".equals(uri.path())) {
            SessionDaemon.ensureRunning(socketPath(uri, context.readOnly()));
        }
        ClientTransport t = switch (transport) {
            case "unix" -> ClientTransport.unix(socketPath(uri, context.readOnly()));
            case "tcp" -> ClientTransport.tcp(uri.host() == null ? "localhost" : uri.host(),
                    uri.port() > 0 ? uri.port() : DEFAULT_TCP_PORT, CONNECT_TIMEOUT_MS);
            case "tls" -> tls(uri);
            case "ssh" -> CommandTransport.start(CommandTransport.sshArgv(new CommandTransport.Ssh(
                    uri.host() == null ? "localhost" : uri.host(), uri.port(), uri.user(), uri.param("command"),
                    uri.param("keyfile"), uri.param("known_hosts"), "1".equals(uri.param("no_verify")),
                    "1".equals(uri.param("no_tty")), uri.param("netcat"), uri.param("socket"), nameToSend(uri),
                    context.readOnly())), "ssh");
            case "ext" -> {
                String command = uri.param("command");
                if (command == null || command.isEmpty()) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.REMOTE,
                            "remote_open: for 'ext' transport, command is required");
                }
                yield CommandTransport.start(java.util.List.of(command), "ext");
            }
            default -> throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.REMOTE,
                    "transport '" + transport + "' is not supported by jvirt's remote driver (use unix, tcp, tls, ssh or ext)");
        };
        RemoteConnection conn = new RemoteConnection(new PacketStream(t.in(), t.out()), t, uri.toString(),
                transport, context.events());
        try {
            conn.handshake(nameToSend(uri), context.readOnly());
        } catch (VirtException e) {
            conn.abandon();
            String said = t.diagnostics();
            if (!said.isEmpty() && e.code() == ErrorCode.SYSTEM_ERROR) {
                // as libvirt: what ssh (or the ext program) said is the reason
                throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Cannot recv data: " + said);
            }
            throw e;
        } catch (RuntimeException e) {
            conn.abandon();
            throw e;
        }
        return Optional.of(conn.proxy());
    }

    /** libvirt's default transport for a host: TLS on 16514, with libvirt's x509 files or the pkipath param. */
    private static ClientTransport tls(VirtUri uri) {
        String host = uri.host() == null ? "localhost" : uri.host();
        Pki.ClientFiles files = Pki.ClientFiles.of(uri.param("pkipath"));
        if (!java.nio.file.Files.exists(files.caCert())) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Cannot read CA certificate '"
                    + files.caCert() + "': No such file or directory\nTo use TLS (the default for a URI with a host), "
                    + "create " + files.caCert() + ", " + files.cert() + " and " + files.key()
                    + " (or give ?pkipath=DIR); or choose another transport, e.g. " + uri.driver() + "+ssh://" + host
                    + uri.path() + " or " + uri.driver() + "+tcp://" + host + uri.path());
        }
        boolean noVerify = "1".equals(uri.param("no_verify"));
        return ClientTransport.of(Tls.connect(host, uri.port() > 0 ? uri.port() : DEFAULT_TLS_PORT,
                new Tls.ClientConfig(files, noVerify), CONNECT_TIMEOUT_MS), "tls");
    }

    /** The socket of a unix URI: the {@code socket} param, else libvirt's default for the caller. */
    static Path socketPath(VirtUri uri, boolean readOnly) {
        String s = uri.param("socket");
        if (s != null) {
            return Path.of(s);
        }
        boolean session = "/session".equals(uri.path()) || !"root".equals(System.getProperty("user.name"));
        if (session && !"/system".equals(uri.path())) {
            String runtime = System.getenv("XDG_RUNTIME_DIR");
            Path base = runtime != null ? Path.of(runtime) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("libvirt/libvirt-sock");
        }
        return Path.of("/var/run/libvirt", readOnly ? "libvirt-sock-ro" : "libvirt-sock");
    }

    /** The URI the daemon is asked to open: the {@code name} param, else the URI less transport, host and remote params. */
    static String nameToSend(VirtUri uri) {
        String name = uri.param("name");
        if (name != null) {
            return name;
        }
        StringBuilder b = new StringBuilder(uri.driver()).append("://").append(uri.path());
        char sep = '?';
        for (Map.Entry<String, String> e : uri.params().entrySet()) {
            if (!REMOTE_PARAMS.contains(e.getKey())) {
                b.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = '&';
            }
        }
        return b.toString();
    }
}
