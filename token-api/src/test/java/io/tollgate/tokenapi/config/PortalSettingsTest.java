package io.tollgate.tokenapi.config;

import io.dropwizard.util.Duration;
import io.tollgate.shared.auth.LockoutPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PortalSettingsTest {
    @Test
    void mailLinksUseThePublicUrlOrElseTheIssuer() {
        PortalSettings portal = new PortalSettings();
        assertThat(portal.publicUrl("https://login.example.com")).isEqualTo("https://login.example.com");
        portal.publicUrl = " ";
        assertThat(portal.publicUrl("https://login.example.com")).isEqualTo("https://login.example.com");
        portal.publicUrl = "https://developers.example.com";
        assertThat(portal.publicUrl("https://login.example.com")).isEqualTo("https://developers.example.com");
    }

    @Test
    void failedLoginsLockForTheWindowFromTheirThreshold() {
        PortalSettings portal = new PortalSettings();
        portal.loginFailuresPerEmail = 3;
        portal.loginFailuresPerClientAddress = 7;
        portal.loginFailureWindow = Duration.minutes(10);
        assertThat(portal.loginPolicyPerEmail())
                .isEqualTo(new LockoutPolicy(3, java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(10)));
        assertThat(portal.loginPolicyPerClientAddress())
                .isEqualTo(new LockoutPolicy(7, java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(10)));
    }
}
