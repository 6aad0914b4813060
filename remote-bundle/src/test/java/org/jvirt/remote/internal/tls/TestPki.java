package org.jvirt.remote.internal.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time, laid out as libvirt expects them: a CA, server and client certificates
 * (with the key usages libvirt's sanity checks ask for), revocation lists, and pkipath folders for clients.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public record Issued(X509Certificate cert, PrivateKey key) {
    }

    private final Issued ca;
    private final List<BigInteger> revoked = new ArrayList<>();

    public TestPki(String caName) throws Exception {
        KeyPair kp = keys();
        X500Name name = new X500Name("C=GB,O=jvirt tests,CN=" + caName);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(), name,
                kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca = new Issued(sign(b, kp.getPrivate()), kp.getPrivate());
    }

    public X509Certificate caCert() {
        return ca.cert();
    }

    public Issued server(String cn, String... dnsOrIp) throws Exception {
        KeyPair kp = keys();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), serial(), notBefore(), notAfter(),
                new X500Name("C=GB,O=jvirt tests,CN=" + cn), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        List<ASN1Encodable> names = new ArrayList<>();
        for (String n : dnsOrIp) {
            names.add(new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new DERSequence(names.toArray(new ASN1Encodable[0])));
        }
        return new Issued(sign(b, ca.key()), kp.getPrivate());
    }

    public Issued client(String dn) throws Exception {
        KeyPair kp = keys();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), serial(), notBefore(), notAfter(),
                new X500Name(dn), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new Issued(sign(b, ca.key()), kp.getPrivate());
    }

    public void revoke(X509Certificate c) {
        revoked.add(c.getSerialNumber());
    }

    public X509CRL crl() throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X509CertificateHolder(ca.cert().getEncoded()).getSubject(),
                new Date());
        b.setNextUpdate(notAfter());
        for (BigInteger s : revoked) {
            b.addCRLEntry(s, new Date(), CRLReason.keyCompromise);
        }
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(ca.key());
        return new JcaX509CRLConverter().getCRL(b.build(signer));
    }

    /** A client's pkipath folder: cacert.pem, clientcert.pem, clientkey.pem (PKCS#1, as certtool writes). */
    public Path clientDir(Path dir, Issued client, X509Certificate trustedCa) throws Exception {
        Files.createDirectories(dir);
        writeCert(dir.resolve("cacert.pem"), trustedCa);
        writeCert(dir.resolve("clientcert.pem"), client.cert());
        writeKey(dir.resolve("clientkey.pem"), client.key());
        return dir;
    }

    public static void writeCert(Path file, X509Certificate c) throws Exception {
        Files.writeString(file, pem("CERTIFICATE", c.getEncoded()), StandardCharsets.US_ASCII);
    }

    public static void writeCrl(Path file, X509CRL crl) throws Exception {
        Files.writeString(file, pem("X509 CRL", crl.getEncoded()), StandardCharsets.US_ASCII);
    }

    /** A PKCS#8 key ("PRIVATE KEY"). */
    public static void writeKey(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return new Date(System.currentTimeMillis() - 3_600_000L);
    }

    private static Date notAfter() {
        return new Date(System.currentTimeMillis() + 365L * 86_400_000L);
    }
}
