package io.tollgate.gateway.config;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.tollgate.shared.tls.PemFiles;

/**
 * How the gateway speaks to {@code https://} upstreams: TLS 1.3 or 1.2, SNI, the certificate verified
 * against the JVM's default trust store or, when {@code caBundle} is set, against the CA certificates of
 * that PEM file only, and the host name verified against the certificate (endpoint identification
 * {@code HTTPS}, RFC 2818 / RFC 6125). With either {@link TlsEngine} the certificate and its names are checked by
 * the JDK's trust manager, in the handshake.
 */
public class UpstreamTlsFactory {

    /** PEM file of the CA certificates to trust instead of the JVM's default trust store. */
    public String caBundle;

    /**
     * The client context on {@code engine}; with {@code openssl} a reference-counted one, which its owner releases.
     * A CA bundle that cannot be read or holds no certificate stops the gateway here.
     */
    public SslContext build(TlsEngine engine) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(engine.provider())
                .protocols(ListenerTlsFactory.PROTOCOLS)
                .endpointIdentificationAlgorithm("HTTPS");
        boolean bundle = caBundle != null && !caBundle.isBlank();
        if (bundle) {
            builder.trustManager(PemFiles.certificates("proxy.upstreamTls.caBundle", caBundle));
        }
        try {
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("proxy.upstreamTls: cannot build the TLS client with "
                    + (bundle ? "the CA bundle " + caBundle : "the JVM's default trust store") + ": "
                    + e.getMessage(), e);
        }
    }
}
