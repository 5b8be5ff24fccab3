package io.tollgate.shared.events;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.registry.RegistryView;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registry records of the earlier version (fixtures in {@code fixtures/registry-v1/}) still parse: an application
 * without an owner account id, a developer without a verification time. And the new fields round-trip.
 */
class RegistryRecordCompatibilityTest {

    static Event<?> fixture(String name) throws IOException {
        try (InputStream in = RegistryRecordCompatibilityTest.class.getResourceAsStream("/fixtures/registry-v1/" + name)) {
            return EventCodec.decode(in.readAllBytes());
        }
    }

    @Test
    void anApplicationWrittenBeforeAccountsOwnedAppsParsesWithoutAnOwnerAccount() throws IOException {
        ApplicationRecord app = (ApplicationRecord) fixture("application.json").data();
        assertThat(app.clientId()).isEqualTo("legacy-app-abc123");
        assertThat(app.owner()).isEqualTo("legacy.dev@example.test");
        assertThat(app.ownerId()).isNull();
        assertThat(app.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aDeveloperWrittenBeforeVerificationParsesAsUnverified() throws IOException {
        DeveloperRecord dev = (DeveloperRecord) fixture("developer.json").data();
        assertThat(dev.developerId()).isEqualTo("dev-legacy-1");
        assertThat(dev.email()).isEqualTo("legacy.dev@example.test");
        assertThat(dev.verifiedAt()).isNull();
        assertThat(dev.verified()).isFalse();
        RegistryView view = new RegistryView();
        view.apply(dev.subject(), fixture("developer.json"));
        assertThat(view.developer("legacy.dev@example.test")).contains(dev);
    }

    @Test
    void theOwnerAccountAndTheVerificationTimeRoundTrip() {
        ApplicationRecord app = DemoRegistry.APPLICATION;
        Event<?> back = EventCodec.decode(EventCodec.encode(Event.of(Event.source("test", "t"), app)));
        assertThat(back.data()).isEqualTo(app);
        assertThat(((ApplicationRecord) back.data()).ownerId()).isEqualTo(DemoRegistry.OWNER.developerId());
        Event<?> owner = EventCodec.decode(EventCodec.encode(Event.of(Event.source("test", "t"), DemoRegistry.OWNER)));
        assertThat(owner.data()).isEqualTo(DemoRegistry.OWNER);
        assertThat(((DeveloperRecord) owner.data()).verified()).isTrue();
        assertThat(new String(EventCodec.encode(Event.of(Event.source("test", "t"), DemoRegistry.OWNER)),
                java.nio.charset.StandardCharsets.UTF_8)).contains("\"verifiedAt\"").doesNotContain("\"verified\"");
    }
}
