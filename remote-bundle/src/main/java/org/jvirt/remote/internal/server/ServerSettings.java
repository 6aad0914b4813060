package org.jvirt.remote.internal.server;

import java.nio.file.Path;

import org.jvirt.remote.internal.transport.Pki;
import org.jvirt.remote.internal.transport.Tls;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * What the server needs of libvirtd.conf, with libvirtd's defaults. Authentication other than "none" is
 * refused at start-up, as jvirtd does not offer SASL or polkit yet.
 */
public record ServerSettings(Path unixSockDir, String socketName, String unixSockGroup, String unixSockRoPerms,
        String unixSockRwPerms, boolean listenTcp, String listenAddr, int tcpPort, int maxClients, int maxWorkers,
        int maxClientRequests, int keepaliveInterval, int keepaliveCount, boolean listenTls, int tlsPort,
        Tls.ServerConfig tls) {

    /** Settings from a libvirtd.conf; {@code listen} is libvirtd's --listen. */
    public static ServerSettings from(DaemonConfig c, boolean listen, Path defaultSockDir) {
        for (String key : new String[] {"auth_unix_ro", "auth_unix_rw", "auth_tcp", "auth_tls"}) {
            String auth = c.string(key, key.equals("auth_tcp") && listen && c.flag("listen_tcp", false) ? "sasl" : "none");
            if (!auth.equals("none")) {
                throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, key + " = \"" + auth
                        + "\" is not supported yet by jvirtd (only \"none\"); SASL and polkit authentication will come later");
            }
        }
        String dir = c.string("unix_sock_dir", defaultSockDir.toString());
        return new ServerSettings(Path.of(dir), "libvirt-sock", c.string("unix_sock_group", null),
                c.string("unix_sock_ro_perms", "0777"), c.string("unix_sock_rw_perms", "0700"),
                listen && c.flag("listen_tcp", false), c.string("listen_addr", null),
                port(c.string("tcp_port", "16509")), (int) c.number("max_clients", 5000),
                (int) Math.max(1, c.number("max_workers", 20)), (int) c.number("max_client_requests", 5),
                (int) c.number("keepalive_interval", 5), (int) c.number("keepalive_count", 5),
                listen && c.flag("listen_tls", true), port(c.string("tls_port", "16514")),
                new Tls.ServerConfig(path(c, "ca_file", Pki.CA_CERT), path(c, "cert_file", Pki.SERVER_CERT),
                        path(c, "key_file", Pki.SERVER_KEY), path(c, "crl_file", Pki.CA_CRL),
                        c.flag("tls_no_verify_certificate", false), c.flag("tls_no_sanity_certificate", false),
                        c.list("tls_allowed_dn_list"), c.list("tls_allowed_ip_list")));
    }

    private static Path path(DaemonConfig c, String key, Path dflt) {
        String v = c.string(key, null);
        return v == null ? dflt : Path.of(v);
    }

    private static int port(String service) {
        try {
            return Integer.parseInt(service);
        } catch (NumberFormatException e) {
            throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, "tcp_port: not a port number: " + service);
        }
    }
}
