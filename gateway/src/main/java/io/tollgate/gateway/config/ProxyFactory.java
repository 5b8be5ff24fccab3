package io.tollgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.validation.ValidationMethod;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
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

    /** TLS on {@code port}; absent = plain HTTP. */
    @Valid
    public ListenerTlsFactory tls;

    /** Trust for {@code https://} upstreams. */
    @Valid
    @NotNull
    public UpstreamTlsFactory upstreamTls = new UpstreamTlsFactory();

    /**
     * The data-plane server for {@code routes}, its TLS contexts built here: a TLS file that cannot be read stops
     * the gateway now, before anything is connected or bound. It binds when started.
     */
    public ProxyServer build(RouteTable routes) {
        // Always built: the registry may add an https:// upstream at any time.
        return new ProxyServer(this, tls == null ? null : tls.build(), upstreamTls.build(), routes);
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
