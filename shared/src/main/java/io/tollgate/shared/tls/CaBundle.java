package io.tollgate.shared.tls;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The JDK's PKIX trust manager over a PEM bundle of CA certificates, or over the JVM's default trust: the trust of
 * every TLS client setting named {@code caBundle} (the directories, Redis).
 */
public final class CaBundle {
    private CaBundle() {
    }

    /** @param pemFile PEM file of CA certificates; null or blank = the JVM's default trust store */
    public static TrustManager trustManager(String pemFile) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (pemFile == null || pemFile.isBlank()) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers()[0];
        }
        List<X509Certificate> certificates;
        try {
            certificates = PemFiles.certificates("caBundle", pemFile);
        } catch (IllegalStateException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        factory.init(store);
        return factory.getTrustManagers()[0];
    }
}
