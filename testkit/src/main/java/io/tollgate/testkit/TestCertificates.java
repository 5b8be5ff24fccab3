package io.tollgate.testkit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
import java.util.Date;
import java.util.regex.Pattern;

/**
 * Certificates a test makes for itself (BouncyCastle, P-256): a certificate authority, and server leaves it
 * issues for chosen host names, so TLS tests can tell a right host name, another host's certificate from the same
 * CA, and an unknown CA apart. Valid from an hour ago for two days.
 */
public final class TestCertificates {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A new self-signed CA called {@code name}. */
    public static Authority authority(String name) {
        try {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = builder(subject, subject, keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Authority(keys, sign(builder, keys));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a test CA", e);
        }
    }

    /** A certificate authority: issues leaves, and is written as the PEM bundle a client trusts. */
    public record Authority(KeyPair keys, X509Certificate certificate) {

        /** A server certificate for these host names (IPv4 literals become IP SANs, others DNS SANs). */
        public Leaf issue(String... hostNames) {
            try {
                KeyPair leafKeys = ecKeys();
                X509v3CertificateBuilder builder = builder(
                        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                        new X500Name("CN=" + hostNames[0]), leafKeys);
                GeneralName[] names = new GeneralName[hostNames.length];
                for (int i = 0; i < hostNames.length; i++) {
                    names[i] = new GeneralName(IPV4.matcher(hostNames[i]).matches() ? GeneralName.iPAddress
                            : GeneralName.dNSName, hostNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                return new Leaf(leafKeys, sign(builder, keys), certificate);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot issue a test certificate", e);
            }
        }

        /** Writes the CA certificate as PEM into {@code file} and returns it. */
        public Path writePem(Path file) {
            try {
                return Files.writeString(file, pem(certificate));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A server's key and certificate chain. */
    public record Leaf(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {

        /**
         * Writes the private key (unencrypted PKCS#8) followed by the certificate chain as PEM into {@code file},
         * readable by its owner only: the layout of a {@code PEM} key store file (Kafka's {@code ssl.keystore.type=PEM}).
         */
        public Path writeKeyStorePem(Path file) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
                writer.writeObject(certificate);
                writer.writeObject(issuer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                Files.writeString(file, out.toString());
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Key material for a TLS server (an in-memory key store; nothing on disk). */
        public KeyManager keyManager() {
            try {
                char[] pin = "test".toCharArray();
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keys.getPrivate(), pin, new Certificate[] {certificate, issuer});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, pin);
                return factory.getKeyManagers()[0];
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build test key material", e);
            }
        }
    }

    public static String pem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
