package org.jvirt.remote.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;

/**
 * libvirt's TLS: x509 certificates from libvirt's files, checked after the handshake with libvirt's rules and
 * words (CA and CRL, then {@code tls_allowed_dn_list}, on the client the host name), then the server's one
 * confirmation byte ({@code \1}) that the client waits for. The JDK's TLS does the handshake; both ends trust
 * any peer during it and make their own check after, so that every refusal says why.
 */
public final class Tls {
    /** A handshake that does not finish within this is abandoned: a stalled peer never holds a thread. */
    public static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    private Tls() {
    }

    /** The server's files and checks, from libvirtd.conf. */
    public record ServerConfig(Path caFile, Path certFile, Path keyFile, Path crlFile, boolean noVerifyCertificate,
            boolean noSanityCertificate, List<String> allowedDn, List<String> allowedIp) {
    }

    /** The client's files and checks. */
    public record ClientConfig(Pki.ClientFiles files, boolean noVerify) {
    }

    /** The trust material loaded once: CA certificates and CRLs. */
    private record Trust(List<X509Certificate> ca, List<X509CRL> crls) {
        static Trust load(Path caFile, Path crlFile) {
            List<X509Certificate> ca = Pki.certificates(caFile, "CA certificate");
            List<X509CRL> crls = crlFile != null && Files.exists(crlFile) ? Pki.crls(crlFile) : List.of();
            return new Trust(ca, crls);
        }
    }

    /** Accepts any peer during the handshake; {@link #verify} decides after. */
    private static final X509TrustManager DEFER = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private static SSLContext context(Path certFile, Path keyFile, String role) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<X509Certificate> chain = Pki.certificates(certFile, role + " certificate");
            PrivateKey key = Pki.privateKey(keyFile);
            ks.setKeyEntry("libvirt", key, new char[0], chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {DEFER}, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Unable to set x509 key and certificate: " + keyFile + ", " + certFile + ": " + e.getMessage());
        }
    }

    // ---- the server -------------------------------------------------------------------------------

    /** What a TLS listener needs, loaded once at start-up so that a missing file stops the daemon. */
    public static final class Server {
        private final ServerConfig config;
        private final SSLContext context;
        private final Trust trust;

        public Server(ServerConfig config) {
            this.config = config;
            this.trust = Trust.load(config.caFile(), config.crlFile());
            this.context = Tls.context(config.certFile(), config.keyFile(), "server");
        }

        SSLContext context() {
            return context;
        }

        /**
         * The server's side of a new connection: the handshake (bounded), the client's certificate, DN and IP,
         * then the confirmation byte. Throws with libvirt's reason on refusal; the caller closes.
         */
        public void establish(SSLSocket s, String peerIp) throws IOException {
            // TLS 1.2: a TLS 1.3 server sends session tickets after the handshake, which GnuTLS clients
            // (libvirt's) read as "no confirmation byte yet" and give up ("Unable to read TLS confirmation")
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.setNeedClientAuth(!config.noVerifyCertificate());
            s.setWantClientAuth(true);
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            s.startHandshake();
            if (!config.noVerifyCertificate()) {
                X509Certificate[] chain;
                try {
                    chain = (X509Certificate[]) s.getSession().getPeerCertificates();
                } catch (SSLPeerUnverifiedException e) {
                    throw refusal("The certificate has no peers");
                }
                verify(chain, trust, "client");
                String dn = chain[0].getSubjectX500Principal().getName(X500Principal.RFC2253);
                if (config.allowedDn() != null && config.allowedDn().stream().noneMatch(p -> Pki.globMatch(p, dn))) {
                    throw refusal("Client's Distinguished Name is not on the list of allowed clients "
                            + "(tls_allowed_dn_list).  Use 'virt-pki-query-dn clientcert.pem' to view the "
                            + "Distinguished Name field in the client certificate, or run this daemon with "
                            + "--verbose option. (" + dn + ")");
                }
            }
            if (config.allowedIp() != null && config.allowedIp().stream().noneMatch(p -> Pki.globMatch(p, peerIp))) {
                throw refusal("Client's IP address " + peerIp
                        + " is not on the list of allowed clients (tls_allowed_ip_list)");
            }
            s.getOutputStream().write(1);
            s.getOutputStream().flush();
            s.setSoTimeout(0);
        }
    }

    // ---- the client -------------------------------------------------------------------------------

    /** A verified TLS connection to a daemon: handshake, server certificate and host name, confirmation byte. */
    public static SSLSocket connect(String host, int port, ClientConfig config, int connectTimeoutMs) {
        Pki.ClientFiles f = config.files();
        Trust trust = Trust.load(f.caCert(), f.crl());
        SSLContext ctx = context(f.cert(), f.key(), "client");
        SSLSocket s = null;
        try {
            Socket plain = new Socket();
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            s.startHandshake();
            if (!config.noVerify()) {
                X509Certificate[] chain = (X509Certificate[]) s.getSession().getPeerCertificates();
                verify(chain, trust, "server");
                if (!hostMatches(chain[0], host)) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                            "Certificate [session] owner does not match the hostname " + host);
                }
            }
            InputStream in = s.getInputStream();
            int confirm = in.read();
            if (confirm != 1) {
                throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                        "server verification (of our certificate or IP address) failed");
            }
            s.setSoTimeout(0);
            return s;
        } catch (java.net.SocketTimeoutException e) {
            close(s);
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "TLS handshake with " + host + ":" + port + " did not finish within " + HANDSHAKE_TIMEOUT_MS / 1000 + " s");
        } catch (SSLException e) {
            close(s);
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "TLS handshake failed: " + e.getMessage()
                    + " (the server may have refused our certificate or IP address)");
        } catch (IOException e) {
            close(s);
            String m = e.getMessage();
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "unable to connect to server at '" + host
                    + ":" + port + "': " + (m != null && m.contains("refused") ? "Connection refused" : m));
        } catch (RuntimeException e) {
            close(s);
            throw e;
        }
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // failed anyway
            }
        }
    }

    // ---- checks -----------------------------------------------------------------------------------

    private static VirtException refusal(String why) {
        return new VirtException(new VirtError(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, why));
    }

    /** The peer's chain against the CA (and CRLs): libvirt's "Certificate failed validation: ..." reasons. */
    private static void verify(X509Certificate[] chain, Trust trust, String role) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : trust.ca()) {
                anchors.add(new TrustAnchor(ca, null));
            }
            List<X509Certificate> path = new ArrayList<>();
            for (X509Certificate c : chain) {
                if (!trust.ca().contains(c)) {
                    path.add(c);
                }
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(!trust.crls().isEmpty());
            if (!trust.crls().isEmpty()) {
                Collection<Object> store = new ArrayList<>(trust.crls());
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            }
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                    params);
        } catch (CertPathValidatorException e) {
            String reason;
            if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                reason = "The certificate has been revoked.";
            } else if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                reason = "The certificate is not trusted.";
            } else {
                reason = "The certificate hasn't got a known issuer.";
            }
            throw refusal("Certificate failed validation: " + reason + " (" + role + " certificate "
                    + chain[0].getSubjectX500Principal().getName(X500Principal.RFC2253) + ")");
        } catch (GeneralSecurityException e) {
            throw refusal("Unable to verify TLS peer: " + e.getMessage());
        }
    }

    /** GnuTLS's check: the subjectAltName DNS names and IP addresses, else the CN. */
    static boolean hostMatches(X509Certificate cert, String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        h = h.toLowerCase(Locale.ROOT);
        boolean hadDns = false;
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> e : alt) {
                    int type = (Integer) e.get(0);
                    String v = String.valueOf(e.get(1)).toLowerCase(Locale.ROOT);
                    if (type == 2) {
                        hadDns = true;
                        if (Pki.globMatch(v, h)) {
                            return true;
                        }
                    } else if (type == 7 && v.equals(h)) {
                        return true;
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
        if (hadDns) {
            return false;
        }
        String dn = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
        for (String rdn : dn.split(",")) {
            if (rdn.startsWith("CN=") && rdn.substring(3).toLowerCase(Locale.ROOT).equals(h)) {
                return true;
            }
        }
        return false;
    }
}
