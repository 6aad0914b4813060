package org.jvirt.remote.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * libvirt's x509 files: the default paths of server and client certificates, and PEM reading of
 * certificates, CRLs and private keys (PKCS#8, and PKCS#1 RSA as GnuTLS's certtool writes it).
 */
public final class Pki {
    public static final Path CA_CERT = Path.of("/etc/pki/CA/cacert.pem");
    public static final Path CA_CRL = Path.of("/etc/pki/CA/cacrl.pem");
    public static final Path SERVER_CERT = Path.of("/etc/pki/libvirt/servercert.pem");
    public static final Path SERVER_KEY = Path.of("/etc/pki/libvirt/private/serverkey.pem");
    public static final Path CLIENT_CERT = Path.of("/etc/pki/libvirt/clientcert.pem");
    public static final Path CLIENT_KEY = Path.of("/etc/pki/libvirt/private/clientkey.pem");

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private Pki() {
    }

    /** A client's files: {@code pkipath}, else ~/.pki/libvirt for a non-root user, else the system's. */
    public record ClientFiles(Path caCert, Path cert, Path key, Path crl) {
        public static ClientFiles of(String pkipath) {
            if (pkipath != null && !pkipath.isEmpty()) {
                Path p = Path.of(pkipath);
                return new ClientFiles(p.resolve("cacert.pem"), p.resolve("clientcert.pem"), p.resolve("clientkey.pem"),
                        p.resolve("cacrl.pem"));
            }
            if (!"root".equals(System.getProperty("user.name"))) {
                Path user = Path.of(System.getProperty("user.home"), ".pki/libvirt");
                if (Files.exists(user.resolve("cacert.pem"))) {
                    return new ClientFiles(user.resolve("cacert.pem"), user.resolve("clientcert.pem"),
                            user.resolve("clientkey.pem"), user.resolve("cacrl.pem"));
                }
            }
            return new ClientFiles(CA_CERT, CLIENT_CERT, CLIENT_KEY, CA_CRL);
        }
    }

    /** The certificates of a PEM file, failing with libvirt's words ("Cannot read CA certificate ..."). */
    public static List<X509Certificate> certificates(Path file, String what) {
        byte[] data = read(file, what);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(data))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new GeneralSecurityException("no certificate in the file");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Unable to import " + what + " " + file + ": " + e.getMessage());
        }
    }

    public static List<X509CRL> crls(Path file) {
        byte[] data = read(file, "certificate revocation list");
        try {
            List<X509CRL> out = new ArrayList<>();
            for (java.security.cert.CRL c : CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(data))) {
                out.add((X509CRL) c);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Unable to import certificate revocation list " + file + ": " + e.getMessage());
        }
    }

    public static PrivateKey privateKey(Path file) {
        String text = new String(read(file, "private key"), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            try {
                switch (m.group(1)) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(der);
                    }
                    case "RSA PRIVATE KEY" -> {
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(der)));
                    }
                    default -> {
                        // e.g. parameters before the key: look further
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                        "Unable to import private key " + file + ": " + e.getMessage());
            }
        }
        throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Unable to import private key " + file
                + ": no PKCS#8 or RSA private key in it (convert it with 'openssl pkcs8 -topk8 -nocrypt')");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "DSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algId.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algId, 0, body, version.length, algId.length);
        System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int len = content.length;
        byte[] lenBytes;
        if (len < 0x80) {
            lenBytes = new byte[] {(byte) len};
        } else if (len < 0x100) {
            lenBytes = new byte[] {(byte) 0x81, (byte) len};
        } else if (len < 0x10000) {
            lenBytes = new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        } else {
            lenBytes = new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
        }
        byte[] out = new byte[1 + lenBytes.length + len];
        out[0] = (byte) tag;
        System.arraycopy(lenBytes, 0, out, 1, lenBytes.length);
        System.arraycopy(content, 0, out, 1 + lenBytes.length, len);
        return out;
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Cannot read " + what + " '" + file + "': No such file or directory");
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC,
                    "Cannot read " + what + " '" + file + "': " + e.getMessage());
        }
    }

    /** libvirt's g_pattern_match_simple: '*' any run, '?' any one character. */
    public static boolean globMatch(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
