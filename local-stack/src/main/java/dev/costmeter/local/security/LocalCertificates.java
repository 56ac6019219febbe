package dev.costmeter.local.security;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The secure local stack's certificates, made with BouncyCastle: a CA of its own, one certificate
 * per broker signed by it (valid for the stack's host, {@code localhost} and {@code 127.0.0.1}),
 * each in a PKCS12 key store, and the CA certificate as the PEM trust store every client reads. The
 * CA's private key is never written: nothing can sign another certificate the clients would trust.
 */
final class LocalCertificates {

    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final SecureRandom random = new SecureRandom();

    /**
     * Makes a CA, writes its certificate to {@code caPem}, and a key store per broker name to
     * {@code keyStoreFor(name)}, each protected by {@code storePassword}.
     */
    void create(Path caPem, List<String> brokerNames, java.util.function.Function<String, Path> keyStoreFor, String host,
            char[] storePassword) throws IOException, GeneralSecurityException {
        KeyPair caKeys = ecKeyPair();
        X500Name caName = new X500Name("CN=costmeter local stack CA,O=costmeter");
        Instant now = Instant.now();
        X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), caName, caKeys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
        X509Certificate caCert = sign(ca, caKeys);
        OwnerOnlyFiles.write(caPem, pem(caCert));

        for (String broker : brokerNames) {
            KeyPair keys = ecKeyPair();
            X509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), new X500Name("CN=" + broker + ",O=costmeter"), keys.getPublic());
            leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            leaf.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            leaf.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(host));
            leaf.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCert));
            X509Certificate cert = sign(leaf, caKeys);

            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(broker, keys.getPrivate(), storePassword, new Certificate[] {cert, caCert});
            Path file = keyStoreFor.apply(broker);
            OwnerOnlyFiles.write(file, new byte[0]);
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, storePassword);
            }
        }
    }

    private static GeneralNames subjectAlternativeNames(String host) throws IOException {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1"));
        if (host.matches("[0-9.]+") || host.contains(":")) {
            ips.add(host);
        } else {
            dns.add(host);
        }
        List<GeneralName> names = new ArrayList<>();
        dns.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        for (String ip : ips) {
            names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException, CertIOException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("Cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private BigInteger serial() {
        return new BigInteger(64, random).abs().add(BigInteger.ONE);
    }

    static String pem(X509Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
}
