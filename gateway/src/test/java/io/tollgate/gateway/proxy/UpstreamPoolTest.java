package io.tollgate.gateway.proxy;

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
}
