package io.tollgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.tollgate.shared.startup.StartupRefusal;

import java.util.Locale;

/**
 * The TLS implementation of the data plane ({@code proxy.tlsEngine}): the listener's server engines and the
 * {@code https://} upstream client's engines. Both engines speak the same protocols with the same settings; they
 * differ in the CPU a TLS record costs.
 *
 * <ul>
 *   <li>{@code openssl} (the default): BoringSSL through {@code netty-tcnative-boringssl-static}, the native library
 *   the gateway's jar carries, as nginx, Envoy and Kong terminate TLS in OpenSSL or BoringSSL. Netty's
 *   {@link SslProvider#OPENSSL_REFCNT}, not {@link SslProvider#OPENSSL}: the plain one's engine has a
 *   {@code finalize()} that releases its native {@code SSL} object, so every connection's engine is registered with
 *   the JVM's finalizer and reclaimed only after a second collection, on the finalizer thread. That is a safety net
 *   the gateway does not need: the {@code SslHandler} releases its reference-counted engine when the connection's
 *   pipeline is torn down, and the contexts are released when the proxy stops. Netty's leak detector reports an
 *   engine or context that is never released instead.</li>
 *   <li>{@code jdk}: the JDK's {@code SSLEngine} (SunJSSE), for a platform the native library does not load on.</li>
 * </ul>
 *
 * <p>The choice is the operator's: where {@code openssl} cannot load, the gateway refuses to start and says so; it
 * never falls back to the JDK's engine on its own.
 */
public enum TlsEngine {
    OPENSSL,
    JDK;

    /**
     * The configuration's spelling, {@code openssl} or {@code jdk} (any case); any other value is refused with the two
     * it may be (Dropwizard's lenient enum reading would name only the type).
     */
    @JsonCreator
    public static TlsEngine of(String value) {
        for (TlsEngine engine : values()) {
            if (engine.name().equalsIgnoreCase(value)) {
                return engine;
            }
        }
        throw new IllegalArgumentException("must be openssl or jdk, not '" + value + "'");
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Netty's provider for this engine; {@code openssl} where OpenSSL cannot load stops the start here. */
    public SslProvider provider() {
        // jdk never touches OpenSsl: loading the native library is openssl's business only
        return this == JDK ? SslProvider.JDK : openSsl(OpenSsl.isAvailable(), OpenSsl.unavailabilityCause());
    }

    /** The {@code openssl} engine's provider, given whether OpenSSL loaded and, if not, why. */
    static SslProvider openSsl(boolean available, Throwable unavailable) {
        if (!available) {
            throw new StartupRefusal("proxy.tlsEngine is openssl, but OpenSSL (netty-tcnative BoringSSL) cannot "
                    + "be loaded on this platform (" + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + "): " + describe(unavailable)
                    + ". Set proxy.tlsEngine: jdk to use the JDK's TLS engine instead.", unavailable);
        }
        return SslProvider.OPENSSL_REFCNT;
    }

    /** The cause on one line: its class and message, and those of its own cause (which names the library tried). */
    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no cause given";
        }
        Throwable first = cause.getCause();
        String text = first == null || first == cause ? cause.toString()
                : cause + " (caused by " + first + ")";
        return text.replaceAll("\\s+", " ").strip();
    }
}
