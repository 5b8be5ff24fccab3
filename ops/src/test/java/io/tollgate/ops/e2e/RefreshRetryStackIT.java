package io.tollgate.ops.e2e;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventSerde;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plan's refresh reuse interval on the whole stack, with the Nimbus OAuth 2.0 SDK as the mobile app: an operator
 * publishes a plan with a 5 s interval to the registry topic, a developer subscribes a new public app to it in the
 * portal; a refresh retried inside the interval gets the same pair and the gateway accepts the successor's access
 * token; retried after the interval it revokes the family, which the gateway then refuses. Runs after the operator
 * CLI's suite (its own plan and app, user alice, whom no earlier suite revokes outright).
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.REFRESH_RETRY)
class RefreshRetryStackIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long INTERVAL = 5;

    private static StackConfig config;
    private static String client;

    @BeforeAll
    static void planAndApp() throws Exception {
        config = SharedStack.config();
        PlanRecord plan = new PlanRecord("e2e-retry", DemoRegistry.API, "Mobile with refresh retries",
                Set.of("read"), 600, 0, 0, 10, false, DemoRegistry.GRANT_TYPES, INTERVAL, 0);
        KafkaFactory kafka = new KafkaFactory();
        kafka.bootstrapServers = config.kafkaBootstrap();
        try (Producer<String, Event<?>> producer = new KafkaProducer<>(kafka.producerProperties("retry-e2e"),
                new StringSerializer(), EventSerde.INSTANCE.serializer())) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), plan.subject(),
                    Event.of(Event.source("ops", "retry-e2e"), plan))).get();
        }
        PortalDeveloper developer = PortalDeveloper.signUp(config);
        client = developer.registerPublicApp("Retrying phone app");
        eventually(() -> {
            try {
                return developer.subscribe(client, DemoRegistry.API, plan.planId()).path("status").asText()
                        .equals("APPROVED");
            } catch (AssertionError notYetInTheView) {
                return false;
            }
        }, "a subscription to the new plan (once token-api's registry view has it)");
    }

    @Test
    void aRetryInsideTheIntervalGetsTheSamePairAndTheGatewayAcceptsIt() throws Exception {
        Tokens login = login();
        Tokens first = refresh(login.getRefreshToken());

        Tokens retried = refresh(login.getRefreshToken());

        assertThat(retried.getAccessToken().getValue()).isEqualTo(first.getAccessToken().getValue());
        assertThat(retried.getRefreshToken().getValue()).isEqualTo(first.getRefreshToken().getValue());
        eventually(() -> gateway(first) == 200, "the gateway accepts the successor's access token");
        // the family lives on: the successor rotates, and the gateway takes the next access token too
        Tokens next = refresh(first.getRefreshToken());
        assertThat(gateway(next)).isEqualTo(200);
        assertThat(gateway(first)).as("the retried pair's access token is not revoked").isEqualTo(200);
    }

    @Test
    void aRetryAfterTheIntervalRevokesTheFamilyEverywhere() throws Exception {
        Tokens login = login();
        Tokens first = refresh(login.getRefreshToken());
        eventually(() -> gateway(first) == 200, "the gateway accepts the successor's access token");
        String kept = RedisKeys.refreshRetry(Hashes.sha256(login.getRefreshToken().getValue()));
        try (Jedis jedis = new Jedis(config.redisHost, config.redisPort)) {
            eventually(() -> !jedis.exists(kept), "the end of the " + INTERVAL + " s interval");
        }

        assertThat(refreshError(login.getRefreshToken())).isEqualTo("invalid_grant");

        assertThat(refreshError(first.getRefreshToken())).as("the family is revoked").isEqualTo("invalid_grant");
        eventually(() -> gateway(first) == 401, "every gateway refuses the revoked family's access token");
    }

    private static Tokens login() throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                new ClientID(client), new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-secret")))
                .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("alice logs in").isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private static TokenResponse refreshResponse(RefreshToken token) throws Exception {
        return TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"), new ClientID(client),
                new RefreshTokenGrant(token)).toHTTPRequest().send());
    }

    private static Tokens refresh(RefreshToken token) throws Exception {
        TokenResponse response = refreshResponse(token);
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString())
                .isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private static String refreshError(RefreshToken token) throws Exception {
        TokenResponse response = refreshResponse(token);
        return response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
    }

    private static int gateway(Tokens tokens) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + config.port("gateway")
                        + "/mobile/retry")).header("Authorization", "Bearer " + tokens.getAccessToken().getValue())
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void eventually(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not happen within 20 s");
    }
}
