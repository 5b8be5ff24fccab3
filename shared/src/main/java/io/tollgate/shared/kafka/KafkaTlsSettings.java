package io.tollgate.shared.kafka;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.tls.PemFiles;
import jakarta.validation.constraints.AssertTrue;
import org.apache.kafka.common.config.SslConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TLS to the brokers: the CA bundle their certificates must chain to (PEM; none = the JVM's trust store) and,
 * for brokers that ask for one (mutual TLS), the client's certificate chain and PKCS#8 private key (PEM, encrypted
 * with {@code privateKeyPassword} or not). The
 * broker's certificate must always name the host the client dialled
 * ({@code ssl.endpoint.identification.algorithm=https}): there is no setting to turn that off.
 */
public class KafkaTlsSettings {
    public String caBundle;

    public String certificateChain;

    public String privateKey;

    /** The password of an encrypted private key ({@code ENCRYPTED PRIVATE KEY}); none for a plain PKCS#8 key. */
    public Secret privateKeyPassword;

    @JsonIgnore
    @AssertTrue(message = "certificateChain and privateKey go together (mutual TLS needs both)")
    public boolean isClientCertificateComplete() {
        return blank(certificateChain) == blank(privateKey);
    }

    /** Whether anything is set (a TLS setting on a protocol without TLS is a mistake the factory refuses). */
    public boolean isSet() {
        return !blank(caBundle) || !blank(certificateChain) || !blank(privateKey);
    }

    /**
     * The client's {@code ssl.*} properties. Reads the files now (start-up), so a missing or unreadable file, or one
     * that holds no certificate, stops the service with the setting's name and the path.
     */
    Map<String, String> clientProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
        if (!blank(caBundle)) {
            PemFiles.certificates("kafka.tls.caBundle", caBundle);
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caBundle);
        }
        if (!blank(certificateChain)) {
            PemFiles.certificates("kafka.tls.certificateChain", certificateChain);
            PemFiles.privateKey("kafka.tls.privateKey", privateKey,
                    privateKeyPassword == null || privateKeyPassword.isEmpty() ? null
                            : privateKeyPassword.reveal().toCharArray());
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(certificateChain));
            props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(privateKey));
            if (privateKeyPassword != null && !privateKeyPassword.isEmpty()) {
                props.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, privateKeyPassword.reveal());
            }
        }
        return props;
    }

    private static String read(String path) {
        try {
            return Files.readString(PemFiles.readable("kafka.tls", path), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
