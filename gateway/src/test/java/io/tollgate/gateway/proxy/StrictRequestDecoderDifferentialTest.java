package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tollgate.gateway.conformance.SmugglingCorpus;
import io.tollgate.gateway.fuzz.GatewayFuzzIT;
import io.tollgate.testkit.hostile.Hostile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request decoder's own head parser against two readings of the same bytes: the decoder with every head
 * through Netty's parser and the strict scan (the reading the gateway had before the head parser), and Netty's
 * validating {@link HttpRequestDecoder} alone. Inputs: the smuggling corpus of the nginx differential test, the
 * hostile requests of the fuzz test, and heads generated here by mutating valid ones; each fed whole and cut at
 * random points. For every input and cutting the decoder must emit exactly what the reference reading emits
 * (accepted or refused, method, target, version, fields in order, body, trailers), and wherever the reference
 * reading accepted, Netty's decoder must read the same request.
 */
class StrictRequestDecoderDifferentialTest {
    private static final long SEED = Long.getLong("differential.seed", 20261207L);
    private static final String TOKEN = token();

    private static HttpDecoderConfig gatewayConfig() {
        return new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(16_384)
                .setMaxChunkSize(16_384).setHeadersFactory(FieldList.FACTORY)
                .setTrailersFactory(FieldList.TRAILERS_FACTORY);
    }

    private static HttpDecoderConfig nettyConfig() {
        return new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(16_384)
                .setMaxChunkSize(16_384);
    }

    @Test
    void readsEveryInputAsTheReferenceReadingAndNetty() {
        List<byte[]> inputs = new ArrayList<>();
        SmugglingCorpus.build((user, scope) -> TOKEN).forEach(c -> inputs.add(c.raw()));
        int corpus = inputs.size();
        for (int id = 0; id < 2_000; id++) {
            inputs.add(GatewayFuzzIT.generate(SEED, id, (user, scope) -> TOKEN, 8080).raw());
        }
        Random random = new Random(SEED);
        for (int i = 0; i < 6_000; i++) {
            inputs.add(mutated(random));
        }
        inputs.addAll(limits());

        int parsedHere = 0;
        int accepted = 0;
        for (int i = 0; i < inputs.size(); i++) {
            byte[] input = inputs.get(i);
            int[] whole = {input.length};
            Reading reference = read(() -> new StrictRequestDecoder(gatewayConfig(), false), input, whole);
            Reading decoded = read(() -> new StrictRequestDecoder(gatewayConfig()), input, whole);
            assertThat(decoded.transcript()).as("input %d (%s)", i, shown(input)).isEqualTo(reference.transcript());
            if (input.length < 70_000) {
                int[] cuts = cuts(random, input.length, i % 10 == 0 && input.length < 3_000);
                assertThat(read(() -> new StrictRequestDecoder(gatewayConfig()), input, cuts).transcript())
                        .as("input %d cut at %s (%s)", i, Arrays.toString(cuts), shown(input))
                        .isEqualTo(read(() -> new StrictRequestDecoder(gatewayConfig(), false), input, cuts)
                                .transcript());
            }
            if (!reference.refused()) {
                accepted++;
            }
            if (!reference.refused() && !repeatsTransferEncoding(reference)) {
                assertThat(read(() -> new HttpRequestDecoder(nettyConfig()), input, whole).transcript())
                        .as("Netty on input %d (%s)", i, shown(input)).isEqualTo(reference.transcript());
            }
            parsedHere += decoded.parsedHere();
        }
        // the comparison means something only if both readings were reached often
        assertThat(accepted).isGreaterThan(inputs.size() / 5);
        assertThat(inputs.size() - accepted).isGreaterThan(inputs.size() / 5);
        assertThat(parsedHere).isGreaterThan(accepted / 3);
        assertThat(corpus).isGreaterThan(100);
    }

    /**
     * Whether a request of the reading has more than one {@code Transfer-Encoding} field. Netty's own headers give
     * a name's values newest first, so its decoder checks that {@code chunked} is the last coding on the fields in
     * reverse ({@code identity} then {@code chunked}: refused; {@code chunked} then {@code identity}: accepted), where
     * the gateway's {@link FieldList} gives them in order; the entrance ({@link Inbound}) refuses every such request.
     */
    private static boolean repeatsTransferEncoding(Reading reading) {
        return reading.transcript().stream().anyMatch(text -> text.lines()
                .filter(line -> line.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)).count() > 1);
    }

    /**
     * What a decoder emitted, as text; and how many of its heads the head parser made (Netty's parser gives each
     * request a decoder result of its own, with the head's sizes).
     */
    private record Reading(List<String> transcript, boolean refused, int parsedHere) {
    }

    /** Feeds {@code input} in the slices that end at {@code ends} (ascending, the last its length). */
    private static Reading read(Supplier<io.netty.channel.ChannelHandler> decoder, byte[] input, int[] ends) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        List<String> transcript = new ArrayList<>();
        boolean refused = false;
        int parsedHere = 0;
        int from = 0;
        for (int end : ends) {
            // a copy: a decoder may move the bytes of the buffers it holds (discarding read ones), and the input is read again
            channel.writeInbound(Unpooled.copiedBuffer(input, from, end - from));
            from = end;
        }
        channel.finish();
        Object o;
        while ((o = channel.readInbound()) != null) {
            HttpObject object = (HttpObject) o;
            try {
                refused |= object.decoderResult().isFailure();
                transcript.add(text(object));
                if (object instanceof HttpRequest && object.decoderResult() == DecoderResult.SUCCESS) {
                    parsedHere++;
                }
            } finally {
                ReferenceCountUtil.release(object);
            }
        }
        return new Reading(transcript, refused, parsedHere);
    }

    private static String text(HttpObject object) {
        if (object.decoderResult().isFailure()) {
            return (object instanceof HttpRequest ? "refused request" : "refused content") + " "
                    + (object instanceof LastHttpContent);
        }
        StringBuilder s = new StringBuilder();
        if (object instanceof HttpRequest request) {
            s.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion());
            for (Map.Entry<CharSequence, CharSequence> field : (Iterable<Map.Entry<CharSequence, CharSequence>>)
                    () -> request.headers().iteratorCharSequence()) {
                s.append('\n').append(field.getKey()).append(": ").append(field.getValue());
            }
        }
        if (object instanceof HttpContent content) {
            ByteBuf data = content.content();
            s.append("content ").append(ByteBufUtil.hexDump(data));
        }
        if (object instanceof LastHttpContent last) {
            s.append(" last");
            for (Map.Entry<CharSequence, CharSequence> field : (Iterable<Map.Entry<CharSequence, CharSequence>>)
                    () -> last.trailingHeaders().iteratorCharSequence()) {
                s.append('\n').append(field.getKey()).append(": ").append(field.getValue());
            }
        }
        return s.toString();
    }

    /** Ascending cut points ending at {@code length}: one byte each, or up to four random cuts. */
    private static int[] cuts(Random random, int length, boolean byteByByte) {
        if (length == 0) {
            return new int[] {0};
        }
        if (byteByByte) {
            int[] ends = new int[length];
            for (int i = 0; i < length; i++) {
                ends[i] = i + 1;
            }
            return ends;
        }
        int[] ends = new int[1 + random.nextInt(4)];
        for (int i = 0; i < ends.length - 1; i++) {
            ends[i] = random.nextInt(length + 1);
        }
        ends[ends.length - 1] = length;
        Arrays.sort(ends);
        return ends;
    }

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "PROPFIND",
        "get", "G_T", "M!#$%&'*+-.^_`|~9", "G\u00e9T", "", "GET\u0000"};
    private static final String[] TARGETS = {"/mobile/items/1", "/", "/a?b=c&d=e", "*", "http://api.example/x?y",
        "/%2e%2e/admin", "/a b", "/\u00e9", "/x\"y", "/{}|\\^`", ""};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "http/1.1",
        "HTTP/1.1 ", "HTTP/1.10", "HTTP/1", "HTTP/11.1"};
    private static final String[] FIELDS = {"Host: api.example", "Host: a:8080", "HOST: b", "host:c",
        "Authorization: Bearer " + TOKEN, "authorization: bearer " + TOKEN, "Accept: */*", "accept: text/html",
        "User-Agent: wrk", "X-Request-Id: r-1", "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "Connection: keep-alive", "Connection: close, X-Foo", "Content-Type: application/json", "Cookie: a=b; c=d",
        "Content-Length: 5", "Content-Length: 0", "Content-Length: 05", "Content-Length: 5, 5", "Content-Length: -1",
        "Content-Length: 5 ", "content-length: 5", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
        "transfer-encoding: Chunked", "Transfer-Encoding: chunked, gzip", "Sec-WebSocket-Key1: 1", "Sec-WebSocket-Key2: 2",
        "Expect: 100-continue", "X:", "X: ", "X:   \t ", ":x", "X : y", "X\t: y", " X: y", "\tX: y", "X: y  \t",
        "X: \ty\t z", "X-\u00e9: 1", "X: caf\u00e9", "X: a\u0000b", "X: a\u007fb", "X: a\u000bb", "X:\u000by",
        "X: a\u001fb", "X: a\rb", "X-Empty;: 1", "X: \"quoted, value\"", "DPoP: x.y.z", "x_authenticated_userid: r",
        "X-Forwarded-For: 1.2.3.4", "Upgrade: websocket", "TE: trailers", "Trailer: X"};
    private static final byte[] HOSTILE_BYTES = {'\r', '\n', ' ', '\t', 0, 0x0b, 0x0c, 0x7f, (byte) 0x80, (byte) 0xe9,
        (byte) 0xff, ':', ',', '"', '\\', ';', 0x1c};

    /** A request built from the pieces above, then changed at up to three random bytes, sometimes followed by more. */
    private static byte[] mutated(Random random) {
        StringBuilder head = new StringBuilder();
        if (random.nextInt(20) == 0) {
            head.append(Hostile.pick(random, List.of("\r\n", "\n", " ", "\r\n\r\n", "\u0000")));
        }
        boolean common = random.nextInt(3) != 0;
        head.append(common ? "GET" : METHODS[random.nextInt(METHODS.length)]).append(' ')
                .append(common ? TARGETS[0] : TARGETS[random.nextInt(TARGETS.length)]).append(' ')
                .append(common ? VERSIONS[random.nextInt(2)] : VERSIONS[random.nextInt(VERSIONS.length)])
                .append("\r\n");
        int fields = random.nextInt(8);
        for (int f = 0; f < fields; f++) {
            String field = FIELDS[random.nextInt(random.nextBoolean() ? 12 : FIELDS.length)];
            head.append(field).append(random.nextInt(40) == 0 ? "\n" : "\r\n");
        }
        head.append("\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        int mutations = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0;
        for (int m = 0; m < mutations; m++) {
            int at = random.nextInt(bytes.length);
            byte b = HOSTILE_BYTES[random.nextInt(HOSTILE_BYTES.length)];
            bytes = switch (random.nextInt(3)) {
                case 0 -> splice(bytes, at, 0, b);
                case 1 -> splice(bytes, at, 1, b);
                default -> splice(bytes, at, 1);
            };
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes);
        switch (random.nextInt(6)) {
            case 0 -> out.writeBytes("hello".getBytes(StandardCharsets.ISO_8859_1));
            case 1 -> out.writeBytes("5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            case 2 -> out.writeBytes(mutated(random)); // pipelined
            default -> {
            }
        }
        return out.toByteArray();
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte... insert) {
        byte[] to = new byte[bytes.length - remove + insert.length];
        System.arraycopy(bytes, 0, to, 0, at);
        System.arraycopy(insert, 0, to, at, insert.length);
        System.arraycopy(bytes, at + remove, to, at + insert.length, bytes.length - at - remove);
        return to;
    }

    /** Heads at and around the limits: a request line of 8,192 bytes, header lines of 16,384 bytes in all. */
    private static List<byte[]> limits() {
        List<byte[]> heads = new ArrayList<>();
        for (int delta = -2; delta <= 2; delta++) {
            String line = "GET /" + "a".repeat(8192 - "GET / HTTP/1.1".length() + delta) + " HTTP/1.1";
            heads.add((line + "\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String host = "Host: a"; // 7 bytes of the 16,384
            for (int fields = 1; fields <= 3; fields++) {
                int room = 16_384 - host.length() - fields * "X-F: ".length() + delta;
                StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n" + host + "\r\n");
                for (int f = 0; f < fields; f++) {
                    int length = f < fields - 1 ? room / fields : room - (fields - 1) * (room / fields);
                    head.append("X-F: ").append("v".repeat(length)).append("\r\n");
                }
                heads.add(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return heads;
    }

    private static String token() {
        Random random = new Random(7);
        StringBuilder s = new StringBuilder("eyJhbGciOiJFUzI1NiJ9.");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        while (s.length() < 470) {
            s.append(s.length() == 300 ? '.' : alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The input's first bytes, every byte outside printable ASCII escaped, for a failure message. */
    private static String shown(byte[] input) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(input.length, 600); i++) {
            int b = input[i] & 0xff;
            s.append(b >= 0x20 && b < 0x7f && b != '\\' ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return s.toString();
    }
}
