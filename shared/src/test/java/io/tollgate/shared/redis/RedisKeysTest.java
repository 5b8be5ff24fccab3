package io.tollgate.shared.redis;

import io.tollgate.shared.events.Revocation;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RedisKeysTest {

    @Test
    void windowsStartOnTheirBoundary() {
        long t = Instant.parse("2026-11-29T10:15:30Z").getEpochSecond();
        assertThat(RedisKeys.Window.MINUTE.start(t)).isEqualTo(Instant.parse("2026-11-29T10:15:00Z").getEpochSecond());
        assertThat(RedisKeys.Window.HOUR.start(t)).isEqualTo(Instant.parse("2026-11-29T10:00:00Z").getEpochSecond());
        assertThat(RedisKeys.Window.DAY.start(t)).isEqualTo(Instant.parse("2026-11-29T00:00:00Z").getEpochSecond());
    }

    @Test
    void everyRevocationKindHasItsOwnKey() {
        Instant t = Instant.EPOCH;
        assertThat(RedisKeys.revocation(new Revocation(Revocation.Kind.USER, "bob", null, null, null, t, t, "ops", null)))
                .isEqualTo("tg:rev:user:bob");
        assertThat(RedisKeys.revocation(new Revocation(Revocation.Kind.USER_CLIENT, "bob", "c", null, null, t, t, "ops",
                null))).isEqualTo("tg:rev:uc:bob:c");
        assertThat(RedisKeys.revocation(new Revocation(Revocation.Kind.CLIENT, null, "c", null, null, t, t, "ops", null)))
                .isEqualTo("tg:rev:client:c");
        assertThat(RedisKeys.revocation(new Revocation(Revocation.Kind.FAMILY, null, null, "f", null, t, t, "ops", null)))
                .isEqualTo("tg:rev:family:f");
        assertThat(RedisKeys.revocation(new Revocation(Revocation.Kind.TOKEN, null, null, null, "j", t, t, "ops", null)))
                .isEqualTo("tg:rev:jti:j");
        assertThat(RedisKeys.rateLimit("c", "u", RedisKeys.Window.MINUTE, 60)).isEqualTo("tg:rl:c|u:m:60");
        assertThat(RedisKeys.appRateLimit("c", "mo", 1_800_000_000L)).isEqualTo("tg:rl-app:c:mo:1800000000");
        assertThat(RedisKeys.appRateLimitHolders("c")).isEqualTo("tg:rl-app-holders:c");
    }

    @Test
    void usageIsKeptPerAppAndUserAndPerAppAndApiUnderPrefixesThatCannotOverlap() {
        assertThat(RedisKeys.usage("c", "u", RedisKeys.Window.HOUR, 3600)).isEqualTo("tg:usage:c|u:h:3600")
                .isEqualTo(RedisKeys.usageOfPair(RedisKeys.pair("c", "u"), RedisKeys.Window.HOUR, 3600));
        assertThat(RedisKeys.apiUsage("c", "mobile", RedisKeys.Window.DAY, 86400))
                .isEqualTo("tg:usage-api:c|mobile:d:86400")
                .isEqualTo(RedisKeys.apiUsageOfPair(RedisKeys.pair("c", "mobile"), RedisKeys.Window.DAY, 86400));
        // The portal finds an app's per-user counts with SCAN tg:usage:{client}|*: the per-API keys never match it.
        assertThat(RedisKeys.apiUsage("c", "u", RedisKeys.Window.MINUTE, 60)).doesNotStartWith("tg:usage:c|");
    }
}
