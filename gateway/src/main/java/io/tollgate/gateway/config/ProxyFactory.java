package io.tollgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.validation.ValidationMethod;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.gateway.proxy.ProxyServer;
import io.tollgate.shared.concurrent.DaemonThreads;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The data-plane listener (Netty) and its thread budget; builds the proxy server and its worker pool. */
public class ProxyFactory {

    @NotEmpty
    public String bindHost = "127.0.0.1";

    /** 0 = any free port (tests). */
    @Min(0)
    @Max(65535)
    public int port = 8000;

    /** Netty event-loop threads; 0 = number of cores. */
    @Min(0)
    public int ioThreads = 0;

    /** Threads that run the blocking part of the pipeline: the Redis read of a token-state cache miss. */
    @Min(1)
    public int workerThreads = 64;

    @Min(1)
    public int maxQueuedRequests = 10_000;

    /**
     * A client connection that has waited this long for a request, since it opened or since its last answer, is
     * closed, unless the client is still taking that answer's bytes. Bytes of an unfinished request head do not
     * restart it; a request being answered is never cut by it.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    public Duration clientIdleTimeout = Duration.seconds(60);

    @Min(1024)
    public int maxHeaderSize = 16_384;

    /**
     * CIDR blocks of the proxies in front of the gateway (a load balancer) whose X-Forwarded-* and Forwarded
     * headers it extends; from any other peer those headers are replaced. Empty: nobody is trusted.
     */
    @NotNull
    public List<@NotNull String> trustedProxies = new ArrayList<>();

    /**
     * The TLS implementation of the listener and of the {@code https://} upstream client: {@code openssl} (BoringSSL,
     * the default) or {@code jdk} (the JDK's engine). See {@link TlsEngine}.
     */
    @NotNull
    public TlsEngine tlsEngine = TlsEngine.OPENSSL;

    /** TLS on {@code port}; absent = plain HTTP. */
    @Valid
    public ListenerTlsFactory tls;

    /** Trust for {@code https://} upstreams. */
    @Valid
    @NotNull
    public UpstreamTlsFactory upstreamTls = new UpstreamTlsFactory();

    /**
     * The data-plane server for {@code routes}, its TLS contexts built here on {@code tlsEngine}: an engine that cannot
     * load or a TLS file that cannot be read stops the gateway now, before anything is connected or bound. It binds
     * when started, and releases the contexts when stopped.
     */
    public ProxyServer build(RouteTable routes) {
        SslContext listener = null;
        SslContext upstream = null;
        try {
            listener = buildListenerTls();
            upstream = buildUpstreamTls();
            return new ProxyServer(this, listener, upstream, routes);
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(listener);
            ReferenceCountUtil.release(upstream);
            throw e;
        }
    }

    /** The listener's server context on {@code tlsEngine}, or null when {@code tls} is absent; the caller releases it. */
    SslContext buildListenerTls() {
        return tls == null ? null : tls.build(tlsEngine);
    }

    /**
     * The client context for {@code https://} upstreams on {@code tlsEngine}; the caller releases it. Always built:
     * the registry may add an {@code https://} upstream at any time.
     */
    SslContext buildUpstreamTls() {
        return upstreamTls.build(tlsEngine);
    }

    /** The bounded pool of {@code workerThreads} for the pipeline's blocking reads; a full queue refuses work. */
    public ThreadPoolExecutor buildWorkers() {
        return new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxQueuedRequests), DaemonThreads.numbered("gateway-worker"));
    }

    @ValidationMethod(message = "trustedProxies must be CIDR blocks of IP literals, e.g. 10.0.0.0/8 or fd00::/8")
    @JsonIgnore
    public boolean isTrustedProxiesValid() {
        try {
            new io.tollgate.shared.net.TrustedProxies(trustedProxies);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
