package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The field list behaves as Netty's validating {@code DefaultHttpHeaders}, and encodes to the same bytes. */
class FieldListTest {

    private static List<String> fields(HttpHeaders headers) {
        List<String> fields = new ArrayList<>();
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            fields.add(field.getKey() + ": " + field.getValue());
        }
        return fields;
    }

    @Test
    void lookupIgnoresAsciiCaseAndKeepsTheNameAsGiven() {
        HttpHeaders headers = new FieldList();
        headers.add("X-Custom", "1");
        headers.add(AsciiString.cached("authorization"), "Bearer t");

        assertThat(headers.get("x-CUSTOM")).isEqualTo("1");
        assertThat(headers.get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer t");
        assertThat(headers.contains("AUTHORIZATION")).isTrue();
        assertThat(headers.contains("X-Custo")).isFalse();
        assertThat(headers.get("X-Customs")).isNull();
        assertThat(fields(headers)).containsExactly("X-Custom: 1", "authorization: Bearer t");
    }

    @Test
    void duplicatesKeepTheirOrderAndAreCountedAndListed() {
        HttpHeaders headers = new FieldList().add("Accept", "a").add("Host", "h").add("accept", "b").add("ACCEPT", "c");

        assertThat(headers.get("Accept")).isEqualTo("a");
        assertThat(headers.getAll("accept")).containsExactly("a", "b", "c");
        assertThat(headers.getAll("Missing")).isEmpty();
        assertThat(io.tollgate.gateway.core.HeaderCount.of(headers, "Accept")).isEqualTo(3);
        assertThat(headers.size()).isEqualTo(4);
        assertThat(headers.names()).containsExactly("Accept", "Host", "accept", "ACCEPT");
    }

    @Test
    void setReplacesEveryFieldOfTheNameAtTheEndAndRemoveKeepsTheOthersInOrder() {
        HttpHeaders headers = new FieldList();
        headers.add("A", "1").add("Host", "h").add("a", "2").add("B", "3");

        headers.set("HOST", "upstream");
        assertThat(fields(headers)).containsExactly("A: 1", "a: 2", "B: 3", "HOST: upstream");

        headers.remove("a");
        assertThat(fields(headers)).containsExactly("B: 3", "HOST: upstream");
        headers.remove("absent");
        assertThat(fields(headers)).containsExactly("B: 3", "HOST: upstream");
    }

    @Test
    void theIteratorRemovesTheFieldItReturnedLast() {
        HttpHeaders headers = new FieldList();
        headers.add("A", "1").add("B", "2").add("C", "3").add("D", "4");
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            String name = it.next().getKey().toString();
            if (name.equals("B") || name.equals("C")) {
                it.remove();
            }
        }
        assertThat(fields(headers)).containsExactly("A: 1", "D: 4");
    }

    @Test
    void theIteratorIsTheEntryOfTheFieldItReturnedLastAndCanReplaceItsValue() {
        HttpHeaders headers = new FieldList();
        headers.add("A", "1").add("B", "2");
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        Map.Entry<CharSequence, CharSequence> entry = it.next();
        assertThat(entry.getKey()).hasToString("A");
        assertThat(entry.setValue("one")).hasToString("1");
        it.next();
        assertThat(entry.getKey()).hasToString("B");
        assertThat(it.hasNext()).isFalse();
        assertThat(fields(headers)).containsExactly("A: one", "B: 2");
        assertThatThrownBy(() -> headers.getAll("A").add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void obsTextBytesInValuesAreKeptAsReceived() {
        String latin1 = new String(new byte[] {'c', (byte) 0xe9, (byte) 0xff, ' ', '\t', 'x'}, StandardCharsets.ISO_8859_1);
        HttpHeaders headers = new FieldList();
        headers.add("X-Name", latin1);
        assertThat(headers.get("x-name")).isEqualTo(latin1);
    }

    @Test
    void namesMustBeTokensAndValuesFreeOfControlCharactersAndValuesAreNeverShown() {
        HttpHeaders headers = new FieldList();
        assertThatThrownBy(() -> headers.add("Bad Name", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.set("", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.set("X-User", "alice\r\nX-Admin: true"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("alice");
        assertThatThrownBy(() -> headers.add("X-User", " leading space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add("X-User", (Object) null)).isInstanceOf(NullPointerException.class);
        headers.add("Authorization", "Bearer secret-token");
        var field = headers.iteratorCharSequence().next();
        assertThatThrownBy(() -> field.setValue("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThat(headers.get("Authorization")).isEqualTo("Bearer secret-token");
        assertThat(headers.toString()).contains("Authorization").doesNotContain("secret-token");
        assertThat(headers.size()).isEqualTo(1);
    }

    @Test
    void numbersAndDatesBecomeValuesAsNettyConvertsThem() {
        HttpHeaders ours = new FieldList();
        HttpHeaders netty = new DefaultHttpHeaders();
        for (HttpHeaders h : List.of(ours, netty)) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, 42L).addInt("X-Int", 7).addShort("X-Short", (short) 3)
                    .set("Date", new Date(1_700_000_000_000L)).add("X-List", List.of("a", "b"));
        }
        assertThat(fields(ours)).isEqualTo(fields(netty));
        assertThat(ours.getInt("x-int")).isEqualTo(7);
        assertThat(ours.getInt("date")).isNull();
        assertThat(ours.getShort("X-Short", (short) 0)).isEqualTo((short) 3);
        assertThat(ours.getTimeMillis("Date")).isEqualTo(1_700_000_000_000L);
        assertThat(HttpUtil.getContentLength(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", ours)))
                .isEqualTo(42L);
    }

    @Test
    void getAllListsTheValuesInOrderInAListThatCannotChange() {
        HttpHeaders ours = new FieldList().add("X-A", "1").add("x-b", "2").add("x-a", "3");
        assertThat(ours.getAll("x-a")).containsExactly("1", "3");
        assertThat(ours.getAll("X-B")).containsExactly("2");
        assertThat(ours.getAll("X-C")).isEmpty();
        assertThatThrownBy(() -> ours.getAll("X-B").add("4")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ours.getAll("X-A").add("4")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void commaSeparatedAndWholeValueMatchesAreNettys() {
        HttpHeaders ours = new FieldList();
        HttpHeaders netty = new DefaultHttpHeaders();
        for (HttpHeaders h : List.of(ours, netty)) {
            h.add("Connection", "Keep-Alive, Upgrade").add("Transfer-Encoding", "gzip").add("transfer-encoding", "CHUNKED");
        }
        for (HttpHeaders h : List.of(ours, netty)) {
            assertThat(h.containsValue("connection", "upgrade", true)).isTrue();
            assertThat(h.containsValue("connection", "upgrade", false)).isFalse();
            assertThat(h.contains("Transfer-Encoding", "chunked", true)).isTrue();
            assertThat(h.contains("Transfer-Encoding", "chunked", false)).isFalse();
            assertThat(h.contains("connection", "keep-alive", true)).isFalse();
        }
    }

    @Test
    void listedValuesAreFoundAsNettysHeadersFindThem() {
        List<String> values = List.of("chunked", "chunked ,gzip", "gzip, chunked", "gzip,chunked,", ",chunked", "CHUNKED",
                "chunkedx", "x-chunked", "", ",", "a , ,b", "gzip", "chunked\t", "Keep-Alive, Upgrade", "close", "a,,close");
        for (String v : values) {
            HttpHeaders ours = new FieldList().add("X-Other", "chunked").add("Transfer-Encoding", v);
            HttpHeaders netty = new DefaultHttpHeaders().add("X-Other", "chunked").add("Transfer-Encoding", v);
            for (String expected : List.of("chunked", "Chunked", "close", "keep-alive", "upgrade", "gzip", "")) {
                for (boolean ignoreCase : new boolean[] {true, false}) {
                    assertThat(ours.containsValue("transfer-encoding", expected, ignoreCase))
                            .as("%s in [%s] ignoring case %s", expected, v, ignoreCase)
                            .isEqualTo(netty.containsValue("transfer-encoding", expected, ignoreCase));
                }
            }
        }
    }

    /**
     * Random sequences of the operations the gateway uses, on a field list and on Netty's headers side by side:
     * after each one both hold the same fields in the same order.
     */
    @RepeatedTest(20)
    void randomEditsLeaveTheSameFieldsInTheSameOrderAsNettysHeaders() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        String[] names = {"Host", "host", "X-A", "x-a", "X-B", "Authorization", "X-Forwarded-For", "Via"};
        HttpHeaders ours = new FieldList();
        HttpHeaders netty = new DefaultHttpHeaders();
        for (int step = 0; step < 200; step++) {
            String name = names[random.nextInt(names.length)];
            CharSequence key = random.nextBoolean() ? name : AsciiString.of(name);
            String value = "v" + random.nextInt(5);
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    ours.add(key, value);
                    netty.add(key, value);
                }
                case 2 -> {
                    ours.set(key, value);
                    netty.set(key, value);
                }
                case 3 -> {
                    ours.remove(key);
                    netty.remove(key);
                }
                case 4 -> {
                    ours.set(key, List.of(value, value + "'"));
                    netty.set(key, List.of(value, value + "'"));
                }
                default -> {
                    assertThat(ours.get(key)).as("seed %s", seed).isEqualTo(netty.get(key));
                    assertThat(ours.getAll(key)).as("seed %s", seed).isEqualTo(netty.getAll(key));
                    assertThat(ours.contains(key)).as("seed %s", seed).isEqualTo(netty.contains(key));
                }
            }
            assertThat(fields(ours)).as("seed %s", seed).isEqualTo(fields(netty));
            assertThat(ours.size()).isEqualTo(netty.size());
        }
        assertThat(fields(ours.copy())).isEqualTo(fields(netty));
        ours.clear();
        assertThat(ours.isEmpty()).isTrue();
    }

    private static final String HEAD = "POST /v1/items?q=1 HTTP/1.1\r\n"
            + "Host: api.example\r\n"
            + "authorization: Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln\r\n"
            + "X-Dup: one\r\n"
            + "Accept: */*\r\n"
            + "x-dup: two\r\n"
            + "X-Latin: caf\u00e9 \u00ff\r\n"
            + "Content-Length: 3\r\n"
            + "\r\n"
            + "abc";

    /** Decodes {@code HEAD} with {@code config}, edits it as the entrance and outbound side do, encodes it. */
    private static String proxied(HttpDecoderConfig config) {
        EmbeddedChannel decoder = new EmbeddedChannel(new StrictRequestDecoder(config));
        decoder.writeInbound(Unpooled.copiedBuffer(HEAD, StandardCharsets.ISO_8859_1));
        List<Object> decoded = new ArrayList<>();
        Object o;
        while ((o = decoder.readInbound()) != null) {
            decoded.add(o);
        }
        HttpRequest request = (HttpRequest) decoded.get(0);
        assertThat(request.decoderResult().isSuccess()).isTrue();
        HttpHeaders headers = request.headers();
        headers.remove("X-DUP");
        headers.set(HttpHeaderNames.HOST, "upstream:8080");
        headers.set(AsciiString.cached("X-Forwarded-For"), "10.0.0.1");
        headers.set(HttpHeaderNames.CONTENT_LENGTH, 3L);
        headers.add("X-Dup", "three");
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        for (Object part : decoded) {
            encoder.writeOutbound(part);
        }
        StringBuilder wire = new StringBuilder();
        ByteBuf buf;
        while ((buf = encoder.readOutbound()) != null) {
            wire.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
        return wire.toString();
    }

    @Test
    void aDecodedAndEditedRequestIsEncodedToTheSameBytesAsWithNettysHeaders() {
        String ours = proxied(new HttpDecoderConfig().setHeadersFactory(FieldList.FACTORY));
        String netty = proxied(new HttpDecoderConfig());

        assertThat(ours).isEqualTo(netty);
        assertThat(ours).isEqualTo("POST /v1/items?q=1 HTTP/1.1\r\n"
                + "authorization: Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln\r\n"
                + "Accept: */*\r\n"
                + "X-Latin: caf\u00e9 \u00ff\r\n"
                + "host: upstream:8080\r\n"
                + "X-Forwarded-For: 10.0.0.1\r\n"
                + "content-length: 3\r\n"
                + "X-Dup: three\r\n"
                + "\r\n"
                + "abc");
    }

    @Test
    void theDecoderRefusesWhatNettysValidatingHeadersRefuse() {
        for (String bad : List.of("GET / HTTP/1.1\r\nHost: a\r\nX-Bad: a\u0001b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX-B\u007fad: 1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX-Bad: a\u007fb\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX(Bad): 1\r\n\r\n")) {
            for (HttpDecoderConfig config : List.of(new HttpDecoderConfig().setHeadersFactory(FieldList.FACTORY),
                    new HttpDecoderConfig())) {
                EmbeddedChannel decoder = new EmbeddedChannel(new StrictRequestDecoder(config));
                decoder.writeInbound(Unpooled.copiedBuffer(bad, StandardCharsets.ISO_8859_1));
                HttpObject first = decoder.readInbound();
                assertThat(first.decoderResult().isFailure()).as(bad).isTrue();
                ReferenceCountUtil.release(first);
                decoder.finishAndReleaseAll();
            }
        }
    }

    @Test
    void trailersRefuseTheFramingFieldsAsNettysTrailersDo() {
        HttpHeaders ours = FieldList.TRAILERS_FACTORY.newHeaders();
        HttpHeaders netty = io.netty.handler.codec.http.DefaultHttpHeadersFactory.trailersFactory().newHeaders();
        for (HttpHeaders trailers : List.of(ours, netty)) {
            for (String framing : List.of("content-length", "Transfer-Encoding", "TRAILER")) {
                assertThatThrownBy(() -> trailers.add(framing, "1")).isInstanceOf(IllegalArgumentException.class);
            }
            trailers.add("X-Checksum", "abc");
        }
        assertThat(fields(ours)).isEqualTo(fields(netty));
        assertThat(fields(ours.copy())).isEqualTo(fields(netty));
        assertThatThrownBy(() -> ours.copy().set("Trailer", "x")).isInstanceOf(IllegalArgumentException.class);
        new FieldList().add("Content-Length", "1");
    }

    @Test
    void aChunkedResponsesTrailersAreDecodedIntoAFieldList() {
        EmbeddedChannel codec = new EmbeddedChannel(new UpstreamCodec(
                new HttpDecoderConfig().setHeadersFactory(FieldList.FACTORY)
                        .setTrailersFactory(FieldList.TRAILERS_FACTORY)));
        codec.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        codec.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\nX-Checksum: abc\r\nContent-Length: 9\r\n\r\n", StandardCharsets.ISO_8859_1));
        List<Object> decoded = new ArrayList<>();
        Object o;
        while ((o = codec.readInbound()) != null) {
            decoded.add(o);
        }
        LastHttpContent last = (LastHttpContent) decoded.get(decoded.size() - 1);
        assertThat(last.trailingHeaders()).isInstanceOf(FieldList.class);
        assertThat(fields(last.trailingHeaders())).containsExactly("X-Checksum: abc");
        decoded.forEach(ReferenceCountUtil::release);
        codec.finishAndReleaseAll();
    }

    @Test
    void aResponseDecodedByTheUpstreamCodecKeepsItsFieldsInAFieldList() {
        EmbeddedChannel codec = new EmbeddedChannel(new UpstreamCodec(
                new HttpDecoderConfig().setHeadersFactory(FieldList.FACTORY)));
        codec.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        codec.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n"
                + "X-Upstream: 1\r\n\r\nok", StandardCharsets.ISO_8859_1));
        DefaultHttpResponse response = codec.readInbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.headers()).isInstanceOf(FieldList.class);
        Headers.removeHopByHop(response.headers());
        assertThat(fields(response.headers())).containsExactly("Content-Length: 2", "X-Upstream: 1");
        LastHttpContent body = codec.readInbound();
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
        body.release();
        codec.finishAndReleaseAll();
    }
}
