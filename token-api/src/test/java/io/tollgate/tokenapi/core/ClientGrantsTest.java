package io.tollgate.tokenapi.core;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.keys.SigningAlgorithm;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.keys.SigningKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grants per application and plan, and the client token's marks. */
class ClientGrantsTest {
    static RegistryView demo() {
        RegistryView view = new RegistryView();
        for (EventData data : DemoRegistry.records()) {
            view.apply(data.subject(), Event.of(Event.source("test", "t"), data));
        }
        return view;
    }

    @Test
    void aGrantIsUsableOnlyWhereTheApplicationAndThePlanBothAllowIt() {
        ClientGrants grants = new ClientGrants(demo());
        assertThat(grants.usable(DemoRegistry.SERVICE_APPLICATION, "client_credentials"))
                .extracting(u -> u.plan().planId()).containsExactly("premium");
        // premium allows the password grant, the service app does not
        assertThatThrownBy(() -> grants.usable(DemoRegistry.SERVICE_APPLICATION, "password"))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error()).isEqualTo(OAuthError.UNAUTHORIZED_CLIENT));
        // the mobile app allows it, and so does its plan basic
        assertThat(grants.usable(DemoRegistry.APPLICATION, "password")).hasSize(1);
        // an app allowing client_credentials on basic, which does not
        ApplicationRecord onBasic = new ApplicationRecord(DemoRegistry.APPLICATION_ID, DemoRegistry.CLIENT_ID, "x",
                ApplicationRecord.ClientType.PUBLIC, null, "o", Instant.EPOCH, null, Set.of("client_credentials"),
                null, false);
        assertThatThrownBy(() -> grants.usable(onBasic, "client_credentials"))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.error()).isEqualTo(OAuthError.UNAUTHORIZED_CLIENT));
    }

    @Test
    void aClientTokenHasTheMarkNoSidAndTheClientAsSubject(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        AccessTokens tokens = new AccessTokens(SigningKeys.loadOrCreate(dir.resolve("keys.json"),
                SigningAlgorithm.ES256), "https://issuer.test", Duration.ofMinutes(5));
        Instant now = Instant.now();
        AccessTokens.Issued client = tokens.issueForClient("svc", Set.of("mobile"), "read", now);
        JWTClaimsSet claims = SignedJWT.parse(client.token()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("svc");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("svc");
        assertThat(claims.getStringClaim("gty")).isEqualTo("client_credentials");
        assertThat(claims.getClaim("sid")).isNull();
        assertThat(claims.getJWTID()).isEqualTo(client.jti());
        assertThat(AccessTokens.isClientToken(tokens.verify(client.token(), now).orElseThrow())).isTrue();

        AccessTokens.Issued user = tokens.issue("svc", "svc", Set.of("mobile"), "read", "fam-1", now);
        JWTClaimsSet userClaims = tokens.verify(user.token(), now).orElseThrow();
        assertThat(userClaims.getClaim("gty")).isNull();
        assertThat(userClaims.getStringClaim("sid")).isEqualTo("fam-1");
        assertThat(AccessTokens.isClientToken(userClaims)).as("a user called like the client").isFalse();
    }
}
