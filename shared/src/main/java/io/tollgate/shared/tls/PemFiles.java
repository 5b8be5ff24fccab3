package io.tollgate.shared.tls;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of every TLS setting (the gateway's listener and upstreams, the directories' CA bundle) with
 * the JDK alone, so what works in the tests (which have BouncyCastle on
 * the class path) is what works in production (which has not). Every failure names the setting and the path,
 * never the password, and is thrown at start-up.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    public static Path readable(String setting, String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalStateException(setting + " is not set");
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException(setting + ": cannot read " + file.toAbsolutePath()
                    + " (no such file, or not readable by this user)");
        }
        return file;
    }

    /** Every certificate of a PEM file, in file order; none is an error. */
    public static List<X509Certificate> certificates(String setting, String path) {
        Path file = readable(setting, path);
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(setting + ": " + file + " is not a PEM certificate file: " + e.getMessage(),
                    e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(setting + ": " + file + " holds no certificate");
        }
        return out;
    }

    /** A PKCS#8 private key, PEM, encrypted ({@code ENCRYPTED PRIVATE KEY}) when a password is given. */
    public static PrivateKey privateKey(String setting, String path, char[] password) {
        Path file = readable(setting, path);
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalStateException(setting + ": " + file + " holds no PEM block");
        }
        String type = m.group(1);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        PKCS8EncodedKeySpec spec;
        try {
            if (type.equals("PRIVATE KEY")) {
                spec = new PKCS8EncodedKeySpec(der);
            } else if (type.equals("ENCRYPTED PRIVATE KEY")) {
                if (password == null) {
                    throw new IllegalStateException(setting + ": " + file
                            + " is encrypted and " + setting + "Password is not set");
                }
                spec = decrypt(der, password);
            } else {
                throw new IllegalStateException(setting + ": " + file + " holds a '" + type + "' block; a PKCS#8 key"
                        + " is needed ('BEGIN PRIVATE KEY'; convert with: openssl pkcs8 -topk8 -nocrypt)");
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(setting + ": cannot decrypt " + file + " (wrong password?)", e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalStateException(setting + ": " + file + " is not a PKCS#8 key of a supported algorithm ("
                + KEY_ALGORITHMS + ")");
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, char[] password) throws GeneralSecurityException,
            IOException {
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        // For PBES2 (what OpenSSL writes) the JDK names the real scheme only in the parameters, e.g.
        // PBEWithHmacSHA256AndAES_256; the algorithm name alone ("PBES2") has no SecretKeyFactory.
        AlgorithmParameters params = info.getAlgParameters();
        String algorithm = params != null ? params.toString() : info.getAlgName();
        SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), params);
        return info.getKeySpec(cipher);
    }
}
