package io.tollgate.gateway.config;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.tollgate.shared.startup.StartupRefusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code proxy.tlsEngine}: which Netty provider each value means, and the refusal where OpenSSL cannot load. */
class TlsEngineTest {

    /** The gateway's own dependency carries BoringSSL for this platform: nothing of the machine's OpenSSL is used. */
    @Test
    void openSslIsTheBoringSslTheGatewayShipsAndIsReferenceCounted() {
        assertThat(OpenSsl.isAvailable()).as(String.valueOf(OpenSsl.unavailabilityCause())).isTrue();
        assertThat(OpenSsl.versionString()).startsWith("BoringSSL");
        assertThat(TlsEngine.OPENSSL.provider()).isEqualTo(SslProvider.OPENSSL_REFCNT);
        assertThat(TlsEngine.JDK.provider()).isEqualTo(SslProvider.JDK);
    }

    @Test
    void openSslThatCannotLoadStopsTheStartNamingTheSettingTheCauseAndTheAlternative() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("failed to load the required native library");
        cause.initCause(new IllegalArgumentException("cannot find\n  META-INF/native/libnetty_tcnative_linux_s390x.so"));

        assertThatThrownBy(() -> TlsEngine.openSsl(false, cause))
                .isInstanceOf(StartupRefusal.class)
                .hasCause(cause)
                .hasMessageStartingWith("proxy.tlsEngine is openssl, but OpenSSL (netty-tcnative BoringSSL) cannot "
                        + "be loaded on this platform")
                .hasMessageContaining("java.lang.UnsatisfiedLinkError: failed to load the required native library "
                        + "(caused by java.lang.IllegalArgumentException: cannot find "
                        + "META-INF/native/libnetty_tcnative_linux_s390x.so)")
                .hasMessageEndingWith("Set proxy.tlsEngine: jdk to use the JDK's TLS engine instead.")
                .hasMessageNotContaining("\n"); // the start-up refusal is one line
        assertThat(TlsEngine.openSsl(true, null)).isEqualTo(SslProvider.OPENSSL_REFCNT);
    }
}
