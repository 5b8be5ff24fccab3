package io.tollgate.shared.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IsoTimesTest {
    private static final byte[] OUT = new byte[3 + IsoTimes.MAX_LENGTH];

    private static void same(Instant time) {
        int end = IsoTimes.offsetUtc(time, OUT, 3); // written where it is asked to be, not at the start
        assertThat(new String(OUT, 3, end - 3, StandardCharsets.US_ASCII)).as("offset %s", time)
                .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.atOffset(ZoneOffset.UTC)));
        end = IsoTimes.instant(time, OUT, 3);
        assertThat(new String(OUT, 3, end - 3, StandardCharsets.US_ASCII)).as("instant %s", time)
                .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(time));
    }

    @Test
    void edgesAreSpelledAsTheFormatterSpellsThem() {
        for (String s : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.9Z", "2000-02-29T12:00:00.1Z", "2100-03-01T00:00:00.000001Z", "1900-02-28T23:59:59Z",
                "2026-11-29T12:43:14.120Z", "2024-12-31T23:59:59.123456789Z", "0001-01-01T00:00:00.010Z",
                "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z"}) {
            same(Instant.parse(s));
        }
    }

    @Test
    void randomInstantsOverTenThousandYearsAndEveryFractionWidth() {
        Random random = new Random(7);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = min + (long) (random.nextDouble() * (max - min));
            int nanos = random.nextInt(5) == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, random.nextInt(10));
            same(Instant.ofEpochSecond(seconds, nanos));
        }
    }
}
