package io.tollgate.ops.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The demo upstream as a stack part. */
final class UpstreamPart extends InProcessPart<DemoUpstream> {
    UpstreamPart(StackConfig config) {
        super("upstream", config);
    }

    @Override
    protected DemoUpstream open() throws Exception {
        return DemoUpstream.start(config.host, config.upstreamPort);
    }

    @Override
    public boolean healthy() {
        return Http.status(config.upstreamUrl() + "/mobile/health") == 200;
    }

    @Override
    public String endpoint() {
        return config.upstreamUrl() + "/mobile/";
    }

    /** Tiny HTTP probe shared by the parts. */
    static final class Http {
        private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

        private Http() {
        }

        static int status(String url) {
            try {
                return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
        }
    }
}
