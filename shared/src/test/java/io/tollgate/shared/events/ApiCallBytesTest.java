package io.tollgate.shared.events;

import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The reused arrays hold exactly the bytes of {@code tollgate.calls}'s serdes. */
class ApiCallBytesTest {
    private static final String VERSION_4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final String[] TEXTS = {null, "demo-mobile", "al\"ice", "us\u00e9r", "\u2603|x", "tab\there",
        "\ud83d\ude00", "a/b:c;d", "x".repeat(1500), ""};

    @Test
    void keysAndValuesAreTheTopicSerdesBytes() {
        Random random = new Random(7);
        ApiCallBytes bytes = new ApiCallBytes();
        String previousId = null;
        for (int i = 0; i < 500; i++) {
            ApiCall call = new ApiCall(pick(random, null), pick(random, null), pick(random, "mobile"),
                    random.nextBoolean() ? null : pick(random, "-"), "GET", 100 + random.nextInt(500),
                    random.nextInt(1_000_000), ApiCall.Outcome.values()[random.nextInt(7)],
                    Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000)),
                    random.nextBoolean() ? null : String.format("%016x%016x", random.nextLong(), random.nextLong()));
            java.net.URI source = Event.source("gateway", "gw-" + i);
            Instant time = Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000));

            assertThat(bytes.key(call)).isEqualTo(Topics.CALLS.keySerde().serializer().serialize("t", call.key()));
            byte[] value = bytes.value(source, time, call).clone();
            // the event of that id, source, time and call, as the topic's serializer writes it
            Event<?> decoded = Topics.CALLS.valueSerde().deserializer().deserialize("t", value);
            assertThat(decoded.id()).matches(VERSION_4).isNotEqualTo(previousId);
            previousId = decoded.id();
            assertThat(value).isEqualTo(Topics.CALLS.valueSerde().serializer().serialize("t",
                    new Event<>(decoded.id(), source, time, call)));
        }
    }

    @Test
    void anArrayIsReusedForTheNextKeyOrValueOfItsLength() {
        ApiCallBytes bytes = new ApiCallBytes();
        ApiCall alice = new ApiCall("app-1", "alice", "mobile", "/m/", "GET", 200, 5, ApiCall.Outcome.PROXIED,
                Instant.EPOCH);
        ApiCall carol = new ApiCall("app-2", "carol", "mobile", "/m/", "GET", 200, 5, ApiCall.Outcome.PROXIED,
                Instant.EPOCH);
        byte[] first = bytes.key(alice);
        byte[] second = bytes.key(carol);
        assertThat(second).isSameAs(first).isEqualTo("app-2|carol".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bytes.key(new ApiCall(null, null, "mobile", null, "GET", 200, 5, ApiCall.Outcome.PROXIED,
                Instant.EPOCH))).isNotSameAs(first).containsExactly('-', '|', '-');

        java.net.URI source = Event.source("gateway", "n");
        byte[] value = bytes.value(source, Instant.EPOCH, alice);
        byte[] next = bytes.value(source, Instant.EPOCH, carol);
        assertThat(next).isSameAs(value);
        assertThat(EventCodec.decode(next).data()).isEqualTo(carol);
    }

    private static String pick(Random random, String whenEmpty) {
        String text = TEXTS[random.nextInt(TEXTS.length)];
        return text == null || text.isEmpty() ? whenEmpty : text;
    }
}
