package io.tollgate.gateway.config;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.NotEmpty;
import io.tollgate.shared.tls.PemFiles;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;

/**
 * TLS on the data-plane listener: when {@code proxy.tls} is set, {@code proxy.port} speaks only TLS 1.3 and
 * 1.2 (1.1 and older are refused in the handshake). The certificate chain is PEM, leaf first; the key is
 * PEM PKCS#8 (what {@code openssl genpkey} writes), encrypted when {@code privateKeyPassword} is set. The key is
 * read and decrypted by the JDK ({@link PemFiles}) whichever {@link TlsEngine} serves the connections; Netty hands the
 * decrypted key to OpenSSL itself.
 */
public class ListenerTlsFactory {
    /** The only protocol versions either side of the gateway speaks, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    @NotEmpty
    public String certificateChain;

    @NotEmpty
    public String privateKey;

    public Secret privateKeyPassword;

    /**
     * The server context on {@code engine}; with {@code openssl} a reference-counted one, which its owner releases.
     * A file that cannot be read or parsed, or a key that is not the chain's first certificate's (neither engine
     * checks that before the first handshake), stops the gateway here, at start-up, with a message naming the
     * setting and the path (never the password).
     */
    public SslContext build(TlsEngine engine) {
        SslProvider provider = engine.provider(); // an engine that cannot load is refused before any file is read
        List<X509Certificate> chain = PemFiles.certificates("proxy.tls.certificateChain", certificateChain);
        PrivateKey key = PemFiles.privateKey("proxy.tls.privateKey", privateKey,
                privateKeyPassword == null ? null : privateKeyPassword.reveal().toCharArray());
        if (!belongsTo(key, chain.get(0))) {
            throw new IllegalStateException("proxy.tls: the private key " + privateKey + " is not the key of the first "
                    + "certificate of " + certificateChain + " (" + chain.get(0).getSubjectX500Principal().getName()
                    + "): the chain must start with the certificate of that key");
        }
        try {
            return SslContextBuilder.forServer(key, chain)
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .clientAuth(ClientAuth.NONE)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException("proxy.tls: cannot build the listener from the certificate chain "
                    + certificateChain + " and the private key " + privateKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code key} is the private half of {@code certificate}'s public key (what OpenSSL's
     * {@code SSL_CTX_check_private_key} establishes), for every key type {@link PemFiles} reads: an RSA key (RSA or
     * RSASSA-PSS) by its modulus; an EC or EdDSA (Ed25519, Ed448) key by a signature over random bytes that the
     * certificate's key verifies.
     */
    static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        if (key instanceof RSAKey rsa) {
            return publicKey instanceof RSAKey certified && rsa.getModulus().equals(certified.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a certificate of another key type, or a key the provider refuses
        }
    }
}
