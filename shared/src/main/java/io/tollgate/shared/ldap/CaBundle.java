package io.tollgate.shared.ldap;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** The JDK's PKIX trust manager over a PEM bundle of CA certificates, or over the JVM's default trust. */
final class CaBundle {
    private CaBundle() {
    }

    /** @param pemFile PEM file of CA certificates; null or blank = the JVM's default trust store */
    static TrustManager trustManager(String pemFile) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (pemFile == null || pemFile.isBlank()) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers()[0];
        }
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new GeneralSecurityException("cannot read caBundle " + pemFile + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            // an empty bundle would trust nothing and fail every connection later, far from the cause
            throw new GeneralSecurityException("caBundle " + pemFile + " holds no certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        factory.init(store);
        return factory.getTrustManagers()[0];
    }
}
