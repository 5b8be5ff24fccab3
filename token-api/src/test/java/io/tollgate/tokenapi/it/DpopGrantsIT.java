package io.tollgate.tokenapi.it;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jose.jwk.ECKey;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.tokenapi.TokenApiTestStack;
import io.tollgate.tokenapi.core.Pkce;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP (RFC 9449) in the authorization code and client credentials grants, against real Redis, Kafka and LDAP: a
 * proof at the code exchange binds the access token and a public client's family, a proof with client credentials
 * binds the client token, and an application that requires DPoP gets nothing from either grant without a proof.
 * Proofs come from {@link DpopIT}'s helpers (the Nimbus SDK's proof factory, real P-256 keys). A broker of its own.
 */
class DpopGrantsIT {
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final String REDIRECT = "io.tollgate.demo:/oauth2redirect";
    static final String SECRET = "dpop-grants-secret";
    static final Set<String> CODE_GRANTS = Set.of("password", "refresh_token", "authorization_code");
    static final PlanRecord PLAN = new PlanRecord("dpop-grants-plan", DemoRegistry.API, "DPoP grants", Set.of("read"),
            600, 0, 0, 10, false, Set.of("password", "refresh_token", "authorization_code", "client_credentials"));
    static final ApplicationRecord NATIVE = app("dg-native", ApplicationRecord.ClientType.PUBLIC, null, CODE_GRANTS,
            false);
    static final ApplicationRecord NATIVE_REQUIRING = app("dg-native-dpop", ApplicationRecord.ClientType.PUBLIC, null,
            CODE_GRANTS, true);
    static final ApplicationRecord SERVICE_REQUIRING = app("dg-service-dpop", ApplicationRecord.ClientType.CONFIDENTIAL,
            PasswordHashes.hash(SECRET, 10_000), Set.of("client_credentials"), true);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("dpop-grants-it").dedicatedKafka(1)
            .registry(PLAN, NATIVE, NATIVE_REQUIRING, SERVICE_REQUIRING, subscription(NATIVE),
                    subscription(NATIVE_REQUIRING), subscription(SERVICE_REQUIRING))
            .cleanRedisBeforeEach().build();

    static final SecureRandom RANDOM = new SecureRandom();
    static final Pattern REQUEST_ID = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");

    static ApplicationRecord app(String clientId, ApplicationRecord.ClientType type, String secretHash,
                                 Set<String> grants, boolean dpopRequired) {
        return new ApplicationRecord(clientId + "-app", clientId, clientId, type, secretHash, "dev@example.test",
                CREATED, null, grants, List.of(REDIRECT), dpopRequired);
    }

    static SubscriptionRecord subscription(ApplicationRecord app) {
        return new SubscriptionRecord("sub-" + app.applicationId(), app.applicationId(), app.clientId(), PLAN.api(),
                PLAN.planId(), SubscriptionRecord.Status.APPROVED, CREATED);
    }

    @BeforeAll
    static void client() {
        // DpopIT's helpers (token, proof, claims, jkt, assertError) use its http client and token endpoint
        DpopIT.http = new Http(STACK.baseUrl());
        DpopIT.tokenEndpoint = URI.create(STACK.baseUrl() + "/oauth2/token");
    }

    static String verifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Logs {@code user} in on the hosted page for {@code clientId} and returns the code of the redirect. */
    static String code(String clientId, String verifier, String user) {
        Http.Answer page = DpopIT.http.get("/oauth2/authorize?response_type=code&client_id=" + q(clientId)
                + "&redirect_uri=" + q(REDIRECT) + "&code_challenge=" + q(Pkce.challenge(verifier))
                + "&code_challenge_method=S256&state=s1");
        Matcher m = REQUEST_ID.matcher(page.response().body());
        assertThat(m.find()).as(page.response().body()).isTrue();
        Http.Answer back = DpopIT.http.postForm("/oauth2/authorize", params("request", m.group(1), "username", user,
                "password", user + "-secret"));
        assertThat(back.status()).as(back.response().body()).isEqualTo(303);
        String location = back.header("Location");
        assertThat(location).startsWith(REDIRECT + "?");
        for (String pair : location.substring(REDIRECT.length() + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals("code")) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    static Map<String, String> exchange(String clientId, String code, String verifier) {
        return params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier",
                verifier, "client_id", clientId);
    }

    static Map<String, String> refresh(String clientId, String refreshToken) {
        return params("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId);
    }

    static Http.Answer clientCredentials(String client, String secret, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = Http.basic(client, secret);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return DpopIT.http.postForm("/oauth2/token", params("grant_type", "client_credentials"), all);
    }

    @Test
    void aCodeExchangedWithAProofGivesABoundTokenAndABoundFamily() throws Exception {
        ECKey key = DpopIT.key();
        String thumbprint = key.computeThumbprint().toString();
        String verifier = verifier();
        Http.Answer tokens = DpopIT.token(exchange(NATIVE.clientId(), code(NATIVE.clientId(), verifier, "alice"),
                verifier), "DPoP", DpopIT.proof(key));
        JWTClaimsSet claims = DpopIT.claims(tokens);
        assertThat(tokens.text("token_type")).isEqualTo("DPoP");
        assertThat(DpopIT.jkt(claims)).isEqualTo(thumbprint);
        String sid = claims.getStringClaim("sid");
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.hget(RedisKeys.family(sid), "jkt")).isEqualTo(thumbprint);
        }

        // the family is bound: no refresh without a proof by the same key
        String refreshToken = tokens.text("refresh_token");
        DpopIT.assertError(DpopIT.token(refresh(NATIVE.clientId(), refreshToken)), "invalid_grant");
        DpopIT.assertError(DpopIT.token(refresh(NATIVE.clientId(), refreshToken), "DPoP",
                DpopIT.proof(DpopIT.key())), "invalid_grant");
        Http.Answer refreshed = DpopIT.token(refresh(NATIVE.clientId(), refreshToken), "DPoP", DpopIT.proof(key));
        JWTClaimsSet next = DpopIT.claims(refreshed);
        assertThat(refreshed.text("token_type")).isEqualTo("DPoP");
        assertThat(DpopIT.jkt(next)).isEqualTo(thumbprint);
        assertThat(next.getStringClaim("sid")).isEqualTo(sid);
    }

    @Test
    void aCodeExchangedWithoutAProofGivesBearerTokens() throws Exception {
        String verifier = verifier();
        Http.Answer tokens = DpopIT.token(exchange(NATIVE.clientId(), code(NATIVE.clientId(), verifier, "bob"),
                verifier));
        assertThat(tokens.text("token_type")).isEqualTo("Bearer");
        assertThat(DpopIT.jkt(DpopIT.claims(tokens))).isNull();
        assertThat(DpopIT.token(refresh(NATIVE.clientId(), tokens.text("refresh_token"))).status()).isEqualTo(200);
    }

    @Test
    void anApplicationThatRequiresDpopMustSendAProofWithItsCode() throws Exception {
        String verifier = verifier();
        String code = code(NATIVE_REQUIRING.clientId(), verifier, "alice");
        Http.Answer without = DpopIT.token(exchange(NATIVE_REQUIRING.clientId(), code, verifier));
        DpopIT.assertError(without, "invalid_dpop_proof");
        assertThat(without.text("error_description")).contains("required");
        // the refused request did not use up the code
        Http.Answer with = DpopIT.token(exchange(NATIVE_REQUIRING.clientId(), code, verifier), "DPoP",
                DpopIT.proof(DpopIT.key()));
        assertThat(DpopIT.claims(with)).isNotNull();
        assertThat(with.text("token_type")).isEqualTo("DPoP");
    }

    @Test
    void clientCredentialsWithAProofGiveABoundClientToken() throws Exception {
        ECKey key = DpopIT.key();
        Http.Answer answer = clientCredentials(DemoRegistry.SERVICE_CLIENT_ID, DemoRegistry.SERVICE_CLIENT_SECRET,
                "DPoP", DpopIT.proof(key));
        JWTClaimsSet claims = DpopIT.claims(answer);
        assertThat(answer.text("token_type")).isEqualTo("DPoP");
        assertThat(DpopIT.jkt(claims)).isEqualTo(key.computeThumbprint().toString());
        assertThat(claims.getSubject()).isEqualTo(DemoRegistry.SERVICE_CLIENT_ID);
        assertThat(answer.response().body()).doesNotContain("refresh_token");

        Http.Answer plain = clientCredentials(DemoRegistry.SERVICE_CLIENT_ID, DemoRegistry.SERVICE_CLIENT_SECRET);
        assertThat(plain.text("token_type")).isEqualTo("Bearer");
        assertThat(DpopIT.jkt(DpopIT.claims(plain))).isNull();

        DpopIT.assertError(clientCredentials(DemoRegistry.SERVICE_CLIENT_ID, DemoRegistry.SERVICE_CLIENT_SECRET,
                "DPoP", "not-a-jwt"), "invalid_dpop_proof");
    }

    @Test
    void aClientThatRequiresDpopMustSendAProofForClientCredentials() throws Exception {
        Http.Answer without = clientCredentials(SERVICE_REQUIRING.clientId(), SECRET);
        DpopIT.assertError(without, "invalid_dpop_proof");
        assertThat(without.text("error_description")).contains("required");
        ECKey key = DpopIT.key();
        Http.Answer with = clientCredentials(SERVICE_REQUIRING.clientId(), SECRET, "DPoP", DpopIT.proof(key));
        assertThat(DpopIT.jkt(DpopIT.claims(with))).isEqualTo(key.computeThumbprint().toString());
        assertThat(with.text("token_type")).isEqualTo("DPoP");
    }
}
