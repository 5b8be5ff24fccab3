package io.tollgate.gateway.proxy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamPoolTest {

    @Test
    void anHttpsUpstreamWithoutPortIsPort443NotThePlainHttpPort() {
        assertThat(UpstreamPool.port(URI.create("https://api.example"))).isEqualTo(443);
        assertThat(UpstreamPool.port(URI.create("https://api.example/base/"))).isEqualTo(443);
        assertThat(UpstreamPool.port(URI.create("http://api.example"))).isEqualTo(80);
        assertThat(UpstreamPool.port(URI.create("https://api.example:8443"))).isEqualTo(8443);
    }

    @Test
    void theSchemeIsPartOfThePoolKeySoHttpAndHttpsNeverShareAConnection() {
        assertThat(UpstreamPool.key(URI.create("http://api.example:8443")))
                .isNotEqualTo(UpstreamPool.key(URI.create("https://api.example:8443")));
        assertThat(UpstreamPool.key(URI.create("https://api.example")))
                .isEqualTo(UpstreamPool.key(URI.create("https://api.example:443/other/base")));
    }

    @Test
    void aPooledConnectionIsALiveIdleOneToThatUpstreamTakenOnce() {
        UpstreamPool pool = new UpstreamPool(NioSocketChannel.class, null);
        URI upstream = URI.create("http://127.0.0.1:8080");
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        pool.release(first, upstream);
        pool.release(second, upstream);
        second.close();

        assertThat(pool.pooled(URI.create("http://127.0.0.1:8081"))).isNull();
        assertThat(pool.pooled(upstream)).isSameAs(first); // the closed one is dropped, not handed out
        assertThat(pool.pooled(upstream)).isNull();
        assertThat(pool.idleCount(upstream)).isZero();
        first.close();
    }
}
