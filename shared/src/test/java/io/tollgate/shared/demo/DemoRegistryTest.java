package io.tollgate.shared.demo;

import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.events.ApplicationRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRegistryTest {
    @Test
    void theServiceClientIsConfidentialWithTheDocumentedSecretAndOnlyClientCredentials() {
        ApplicationRecord service = DemoRegistry.SERVICE_APPLICATION;
        assertThat(service.clientId()).isEqualTo("demo-service");
        assertThat(service.clientType()).isEqualTo(ApplicationRecord.ClientType.CONFIDENTIAL);
        assertThat(PasswordHashes.verify("demo-service-secret", service.secretHash())).isTrue();
        assertThat(PasswordHashes.verify("demo-service-secreT", service.secretHash())).isFalse();
        assertThat(service.grantTypes()).containsExactly("client_credentials");
        assertThat(service.ownerId()).isEqualTo(DemoRegistry.OWNER.developerId());
        assertThat(DemoRegistry.SERVICE_SUBSCRIPTION.planId()).isEqualTo("premium");
        assertThat(DemoRegistry.SERVICE_SUBSCRIPTION.clientId()).isEqualTo("demo-service");
    }

    @Test
    void eachAppsGrantsAreAllowedByItsPlan() {
        assertThat(DemoRegistry.APPLICATION.grantTypes())
                .containsExactlyInAnyOrder("password", "refresh_token", "authorization_code");
        assertThat(DemoRegistry.APPLICATION.redirectUris())
                .containsExactly("io.tollgate.demo:/oauth2redirect", "http://127.0.0.1/callback");
        assertThat(DemoRegistry.BASIC.grantTypes()).containsAll(DemoRegistry.APPLICATION.grantTypes())
                .doesNotContain("client_credentials");
        assertThat(DemoRegistry.PREMIUM.grantTypes()).containsAll(DemoRegistry.SERVICE_APPLICATION.grantTypes())
                .containsAll(DemoRegistry.BASIC.grantTypes());
        assertThat(DemoRegistry.records()).hasSize(8);
    }

    @Test
    void planPartnerNeedsApprovalAndNoApplicationIsOnIt() {
        assertThat(DemoRegistry.PARTNER.requiresApproval()).isTrue();
        assertThat(DemoRegistry.PARTNER.api()).isEqualTo(DemoRegistry.API);
        assertThat(DemoRegistry.PARTNER.scopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(DemoRegistry.PARTNER.grantTypes()).containsExactlyInAnyOrderElementsOf(DemoRegistry.GRANT_TYPES);
        assertThat(DemoRegistry.PARTNER.callsPerMinute()).isPositive();
        assertThat(DemoRegistry.BASIC.requiresApproval()).isFalse();
        assertThat(DemoRegistry.PREMIUM.requiresApproval()).isFalse();
        assertThat(DemoRegistry.records()).filteredOn(r -> r instanceof io.tollgate.shared.events.SubscriptionRecord s
                && s.planId().equals("partner")).isEmpty();
    }

    @Test
    void theMobileApiIsBuiltForTheDeploymentsUpstream() {
        var api = DemoRegistry.api("http://127.0.0.1:9000");
        assertThat(api.name()).isEqualTo(DemoRegistry.API);
        assertThat(api.subject()).isEqualTo("api:mobile");
        assertThat(api.pathPrefix()).isEqualTo("/mobile/");
        assertThat(api.upstreams()).containsExactly("http://127.0.0.1:9000");
        assertThat(api.scopes()).containsEntry("GET", "read").containsEntry("HEAD", "read").containsEntry("*", "write")
                .hasSize(3);
        assertThat(api.requiredGroup()).isEqualTo("mobile-users");
        assertThat(api.stripPrefix()).isFalse();
        assertThat(api.forwardAuthorization()).isFalse();
        assertThat(DemoRegistry.records()).doesNotContain(api);
    }
}
