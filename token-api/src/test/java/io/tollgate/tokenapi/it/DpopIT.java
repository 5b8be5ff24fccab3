package io.tollgate.tokenapi.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP (RFC 9449) at the token endpoint, with proofs made by the Nimbus OAuth SDK's {@link DefaultDPoPProofFactory}
 * from real P-256 keys: bound access tokens ({@code token_type DPoP}, {@code cnf.jkt}), a public client's refresh
 * tokens bound to the same key, replayed and bad proofs, and an application that requires DPoP. A broker of its own:
 * the DPoP-requiring application must not reach the other ITs' registry.
 */
class DpopIT {
    static final ApplicationRecord REQUIRING = new ApplicationRecord("dpop-app", "dpop-mobile", "DPoP app",
            ApplicationRecord.ClientType.PUBLIC, null, DemoRegistry.OWNER_EMAIL, ResourceIndicatorsIT.CREATED,
            DemoRegistry.OWNER.developerId(), null, null, true);
    static final SubscriptionRecord REQUIRING_SUB = new SubscriptionRecord("sub-dpop-app", REQUIRING.applicationId(),
            REQUIRING.clientId(), DemoRegistry.API, DemoRegistry.BASIC.planId(), SubscriptionRecord.Status.APPROVED,
            ResourceIndicatorsIT.CREATED);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("dpop-it").dedicatedKafka(1)
            .registry(REQUIRING, REQUIRING_SUB).cleanRedisBeforeEach().build();

    static Http http;
    static URI tokenEndpoint;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
        tokenEndpoint = URI.create(STACK.baseUrl() + "/oauth2/token");
    }

    static ECKey key() throws Exception {
        return new ECKeyGenerator(Curve.P_256).generate();
    }

    static String proof(ECKey key) throws Exception {
        return new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256).createDPoPJWT("POST", tokenEndpoint).serialize();
    }

    static Http.Answer token(Map<String, String> params, String... headers) {
        return http.postForm("/oauth2/token", params, headers);
    }

    static Map<String, String> login(String client, String user) {
        return Http.params("grant_type", "password", "username", user, "password", user + "-secret",
                "client_id", client);
    }

    static Map<String, String> refresh(String refreshToken) {
        return Http.params("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", DemoRegistry.CLIENT_ID);
    }

    static JWTClaimsSet claims(Http.Answer answer) throws Exception {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return SignedJWT.parse(answer.text("access_token")).getJWTClaimsSet();
    }

    static String jkt(JWTClaimsSet claims) throws Exception {
        Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
        return cnf == null ? null : (String) cnf.get("jkt");
    }

    static void assertError(Http.Answer answer, String error) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo(error);
        assertThat(answer.text("error_description")).isNotBlank();
    }

    @Test
    void aProofBindsTheAccessTokenAndAPublicClientsRefreshTokenToItsKey() throws Exception {
        ECKey key = key();
        String thumbprint = key.computeThumbprint().toString();
        Http.Answer login = token(login(DemoRegistry.CLIENT_ID, "alice"), "DPoP", proof(key));
        JWTClaimsSet claims = claims(login);
        assertThat(login.text("token_type")).isEqualTo("DPoP");
        assertThat(jkt(claims)).isEqualTo(thumbprint);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.hget(RedisKeys.family(claims.getStringClaim("sid")), "jkt")).isEqualTo(thumbprint);
        }
        // the binding is in the event too, so a projection rebuilt from Kafka keeps it
        assertThat(ResourceIndicatorsIT.awaitLogin(STACK, claims.getStringClaim("sid")).jkt()).isEqualTo(thumbprint);

        // without a proof, or with another key's, the bound refresh token is refused and the family left alone
        String refreshToken = login.text("refresh_token");
        assertError(token(refresh(refreshToken)), "invalid_grant");
        assertError(token(refresh(refreshToken), "DPoP", proof(key())), "invalid_grant");

        Http.Answer refreshed = token(refresh(refreshToken), "DPoP", proof(key));
        JWTClaimsSet next = claims(refreshed);
        assertThat(refreshed.text("token_type")).isEqualTo("DPoP");
        assertThat(jkt(next)).isEqualTo(thumbprint);
        assertThat(next.getStringClaim("sid")).isEqualTo(claims.getStringClaim("sid"));
        // the rotated token stays bound
        assertError(token(refresh(refreshed.text("refresh_token"))), "invalid_grant");
        assertThat(token(refresh(refreshed.text("refresh_token")), "DPoP", proof(key)).status()).isEqualTo(200);
    }

    @Test
    void withoutAProofTokensAreBearerAndARefreshWithAProofBindsOnlyItsAccessToken() throws Exception {
        Http.Answer login = token(login(DemoRegistry.CLIENT_ID, "bob"));
        JWTClaimsSet claims = claims(login);
        assertThat(login.text("token_type")).isEqualTo("Bearer");
        assertThat(jkt(claims)).isNull();

        ECKey key = key();
        Http.Answer refreshed = token(refresh(login.text("refresh_token")), "DPoP", proof(key));
        assertThat(refreshed.text("token_type")).isEqualTo("DPoP");
        assertThat(jkt(claims(refreshed))).isEqualTo(key.computeThumbprint().toString());
        // the family was not bound at login, so it stays usable without a proof
        Http.Answer plain = token(refresh(refreshed.text("refresh_token")));
        assertThat(plain.text("token_type")).isEqualTo("Bearer");
        assertThat(jkt(claims(plain))).isNull();
    }

    @Test
    void aReplayedProofIsRefused() throws Exception {
        ECKey key = key();
        String proof = proof(key);
        assertThat(token(login(DemoRegistry.CLIENT_ID, "erin"), "DPoP", proof).status()).isEqualTo(200);
        Http.Answer replay = token(login(DemoRegistry.CLIENT_ID, "erin"), "DPoP", proof);
        assertError(replay, "invalid_dpop_proof");
        assertThat(replay.text("error_description")).contains("already used");
        try (Jedis jedis = STACK.redis().jedis()) {
            long ttl = jedis.pttl(RedisKeys.dpopJti("as", io.tollgate.shared.crypto.Hashes.sha256(
                    SignedJWT.parse(proof).getJWTClaimsSet().getJWTID())));
            assertThat(ttl).isPositive().isLessThanOrEqualTo(65_000);
        }
    }

    @Test
    void aBadProofIsInvalidDpopProofAndIssuesNothing() throws Exception {
        ECKey key = key();
        DPoPProofFactory factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        String wrongUri = factory.createDPoPJWT("POST", URI.create("https://elsewhere.example/oauth2/token"))
                .serialize();
        assertError(token(login(DemoRegistry.CLIENT_ID, "dave"), "DPoP", wrongUri), "invalid_dpop_proof");
        String wrongMethod = factory.createDPoPJWT("GET", tokenEndpoint).serialize();
        assertError(token(login(DemoRegistry.CLIENT_ID, "dave"), "DPoP", wrongMethod), "invalid_dpop_proof");
        String old = factory.createDPoPJWT(new JWTID(), "POST", tokenEndpoint,
                new Date(System.currentTimeMillis() - 120_000), null, null).serialize();
        Http.Answer tooOld = token(login(DemoRegistry.CLIENT_ID, "dave"), "DPoP", old);
        assertError(tooOld, "invalid_dpop_proof");
        assertThat(tooOld.text("error_description")).contains("too old");
        Http.Answer two = token(login(DemoRegistry.CLIENT_ID, "dave"), "DPoP", proof(key), "DPoP", proof(key));
        assertError(two, "invalid_dpop_proof");
        assertError(token(login(DemoRegistry.CLIENT_ID, "dave"), "DPoP", "not-a-jwt"), "invalid_dpop_proof");
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.keys("tg:family:*")).isEmpty();
        }
    }

    @Test
    void anApplicationThatRequiresDpopMustSendAProof() throws Exception {
        Http.Answer without = token(login(REQUIRING.clientId(), "alice"));
        assertError(without, "invalid_dpop_proof");
        assertThat(without.text("error_description")).contains("required");
        Http.Answer with = token(login(REQUIRING.clientId(), "alice"), "DPoP", proof(key()));
        assertThat(with.status()).as(with.response().body()).isEqualTo(200);
        assertThat(with.text("token_type")).isEqualTo("DPoP");
    }

    @Test
    void metadataAdvertisesTheDpopAlgorithms() {
        Http.Answer metadata = http.get("/.well-known/oauth-authorization-server");
        assertThat(metadata.status()).isEqualTo(200);
        List<String> algs = Http.JSON.convertValue(metadata.json().get("dpop_signing_alg_values_supported"),
                Http.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(algs).containsExactly("ES256", "EdDSA");
    }
}
