package io.tollgate.shared.kafka;

import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A service's own Kafka principal: a SASL mechanism, a user name and its password. The password is a
 * {@link Secret} (prints {@code [REDACTED]}); the JAAS line that carries it is built only into client properties,
 * which Kafka itself never prints ({@code sasl.jaas.config} is a password-type setting).
 */
public class KafkaSaslSettings {
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    /** SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (PLAIN only over TLS in production: it sends the password). */
    @NotNull
    @Pattern(regexp = "SCRAM-SHA-512|SCRAM-SHA-256|PLAIN", message = "must be SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN")
    public String mechanism = "SCRAM-SHA-512";

    public String username;

    public Secret password;

    /** Both a user name and a password: what a SASL protocol needs. */
    public boolean hasCredentials() {
        return username != null && !username.isBlank() && password != null && !password.isEmpty();
    }

    /**
     * The {@code sasl.jaas.config} value for these credentials. Kafka parses it with a {@link java.io.StreamTokenizer}:
     * a quoted value ends at {@code "} and at a line break, and a backslash escapes, so those are escaped here and
     * any credential round-trips exactly.
     */
    public String jaasConfig() {
        if (!hasCredentials()) {
            throw new IllegalStateException("kafka.sasl.username and kafka.sasl.password are required");
        }
        String module = mechanism.startsWith("SCRAM-") ? SCRAM_MODULE : PLAIN_MODULE;
        return module + " required username=" + quoted(username) + " password=" + quoted(password.reveal()) + ";";
    }

    static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '\b' -> out.append("\\b");
                case 0x07 -> out.append("\\a");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        // StreamTokenizer reads up to three octal digits after a backslash
                        out.append('\\').append(String.format("%03o", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public String toString() {
        return "KafkaSaslSettings[mechanism=" + mechanism + ", username=" + username + ", password="
                + (password == null ? "none" : Secret.REDACTED) + "]";
    }
}
