package io.tollgate.tokenapi;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.testing.KafkaExtension;
import io.tollgate.shared.testing.LdapExtension;
import io.tollgate.shared.testing.RedisExtension;

import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * token-api booted from its shipped {@code config/local.yml} against the real-infrastructure fixtures, on
 * {@code port} with issuer {@code http://127.0.0.1:<port>}: the one place the ITs' common overrides live.
 */
public final class TestApps {
    private TestApps() {
    }

    /**
     * Marks revocation-stream's projection {@code ready} in {@code redis}, as the rebuild does once Redis holds every
     * fact: token-api answers 503 for token state it cannot confirm until then, and these tests run no
     * revocation-stream. Call it after every flush.
     */
    public static void projectionReady(RedisExtension redis) {
        try (Jedis jedis = redis.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
    }

    public static DropwizardAppExtension<TokenApiConfiguration> tokenApi(int port, KafkaExtension kafka,
                                                                         RedisExtension redis, LdapExtension ldap,
                                                                         Supplier<String> keysFile,
                                                                         ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(port)),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("issuer", "http://127.0.0.1:" + port),
                ConfigOverride.config("kafka.bootstrapServers", kafka::bootstrapServers),
                ConfigOverride.config("redis.host", redis::host),
                ConfigOverride.config("redis.port", () -> Integer.toString(redis.port())),
                ConfigOverride.config("identityProvider.urls[0]", ldap::url),
                ConfigOverride.config("keys.file", keysFile)));
        overrides.addAll(List.of(extra));
        return new DropwizardAppExtension<>(TokenApiApplication.class, "config/local.yml",
                new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)),
                overrides.toArray(new ConfigOverride[0]));
    }

    /** A key file (created on first start) in a fresh temporary directory named after {@code prefix}. */
    public static Supplier<String> tempKeysFile(String prefix) {
        return () -> {
            try {
                return java.nio.file.Files.createTempDirectory(prefix).resolve("jwks.json").toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }
}
