package io.tollgate.shared.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.tollgate.shared.net.ClientAddresses.Header.FORWARDED;
import static io.tollgate.shared.net.ClientAddresses.Header.X_FORWARDED_FOR;
import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTest {
    private static final TrustedProxies PROXIES = new TrustedProxies(List.of("10.0.0.0/8", "fd00::/8", "127.0.0.1"));
    private static final ClientAddresses XFF = new ClientAddresses(PROXIES, X_FORWARDED_FOR);
    private static final ClientAddresses RFC7239 = new ClientAddresses(PROXIES, FORWARDED);

    @Test
    void aClientThatIsNoTrustedProxyIsItsOwnAddressWhateverItClaims() {
        assertThat(XFF.resolve("203.0.113.9", List.of("198.51.100.7"))).isEqualTo("203.0.113.9");
        assertThat(XFF.resolve("203.0.113.9", List.of("198.51.100.7, 10.0.0.5"))).isEqualTo("203.0.113.9");
        assertThat(RFC7239.resolve("203.0.113.9", List.of("for=198.51.100.7"))).isEqualTo("203.0.113.9");
    }

    @Test
    void withNoTrustedProxyConfiguredTheHeaderIsNeverRead() {
        ClientAddresses none = new ClientAddresses(new TrustedProxies(List.of()), X_FORWARDED_FOR);
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.resolve("127.0.0.1", List.of("198.51.100.7"))).isEqualTo("127.0.0.1");
    }

    @Test
    void fromATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        assertThat(XFF.resolve("10.0.0.5", List.of("198.51.100.7"))).isEqualTo("198.51.100.7");
        // the client prepended a spoofed address; the proxies appended what they saw: the spoof is left of it
        assertThat(XFF.resolve("10.0.0.5", List.of("1.2.3.4, 198.51.100.7, 10.1.1.1"))).isEqualTo("198.51.100.7");
        // several fields are one list, in order
        assertThat(XFF.resolve("10.0.0.5", List.of("1.2.3.4", "198.51.100.7", "10.1.1.1"))).isEqualTo("198.51.100.7");
        // every hop trusted: the left-most is the closest to the client that is known
        assertThat(XFF.resolve("10.0.0.5", List.of("10.9.9.9, 10.1.1.1"))).isEqualTo("10.9.9.9");
        // no header from the trusted proxy: the peer
        assertThat(XFF.resolve("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
    }

    @Test
    void ipv6HopsAndPeersWithOrWithoutBracketsAndPorts() {
        assertThat(XFF.resolve("fd00::1", List.of("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(XFF.resolve("[fd00::1]", List.of("[2001:db8::7]:4711, fd12::9"))).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(XFF.resolve("0:0:0:0:0:ffff:a00:5", List.of("198.51.100.7:50123"))).isEqualTo("198.51.100.7");
        assertThat(XFF.resolve("2001:db8::5", List.of("198.51.100.7"))).isEqualTo("2001:db8::5");
    }

    @Test
    void rfc7239ForValuesTokenAndQuoted() {
        assertThat(RFC7239.resolve("10.0.0.5", List.of("for=198.51.100.7;proto=https;by=10.0.0.5")))
                .isEqualTo("198.51.100.7");
        assertThat(RFC7239.resolve("10.0.0.5", List.of("For=\"[2001:db8:cafe::17]:4711\"")))
                .isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(RFC7239.resolve("10.0.0.5", List.of("for=\"198.51.100.7:80\", for=10.1.1.1;host=\"a;b,c\"")))
                .isEqualTo("198.51.100.7");
        assertThat(RFC7239.resolve("10.0.0.5", List.of("for=1.2.3.4, for=198.51.100.7", "for=\"[fd00::2]\"")))
                .isEqualTo("198.51.100.7");
        assertThat(RFC7239.resolve("10.0.0.5", List.of("for=\"\\1\\98.51.100.7\""))).isEqualTo("198.51.100.7");
        // the header not chosen is not read
        assertThat(RFC7239.resolve("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.7, unknown", "198.51.100.7,", "example.com", "198.51.100.7, 1.2.3.256",
        "[198.51.100.7]", "2001:db8::7]:80", "[2001:db8::7]:x", "198.51.100.7 10.1.1.1", ""})
    void aMalformedForwardedForChainIsThePeer(String value) {
        assertThat(XFF.resolve("10.0.0.5", List.of(value))).isEqualTo("10.0.0.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"for=unknown", "for=_hidden", "for=2001:db8::7", "for=\"198.51.100.7", "proto=https",
        "for=198.51.100.7;for=1.2.3.4", "for=1.2.3.4:80", "for==1.2.3.4", "for=198.51.100.7,,for=10.1.1.1",
        "for=198.51.100.7 x", "for=\"[2001:db8::7]:99999999\""})
    void aMalformedForwardedChainIsThePeer(String value) {
        assertThat(RFC7239.resolve("10.0.0.5", List.of(value))).isEqualTo("10.0.0.5");
    }
}
