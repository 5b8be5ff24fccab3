package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the strict decoder lets through, fed whole and one byte at a time. */
class StrictRequestDecoderTest {
    private static final String HEAD = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    /** Every object decoded from {@code input}, delivered in slices of {@code slice} bytes. */
    private static List<HttpObject> decode(String input, int slice) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()
                .setHeadersFactory(FieldList.FACTORY)));
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += slice) {
            ByteBuf buf = Unpooled.wrappedBuffer(bytes, i, Math.min(slice, bytes.length - i));
            channel.writeInbound(buf);
        }
        List<HttpObject> out = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            out.add((HttpObject) o);
        }
        channel.finishAndReleaseAll();
        return out;
    }

    private static boolean failed(List<HttpObject> objects) {
        boolean failed = objects.stream().anyMatch(o -> o.decoderResult().isFailure());
        objects.forEach(ReferenceCountUtil::release);
        return failed;
    }

    private static void assertBoth(String input, boolean refused) {
        assertThat(failed(decode(input, input.length()))).as("whole: %s", input).isEqualTo(refused);
        assertThat(failed(decode(input, 1))).as("byte by byte: %s", input).isEqualTo(refused);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: 1\r\n Transfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Note: a\r\n\tb\r\n\r\n",
        "GET / HTTP/1.1\r\n X: 1\r\nHost: a\r\n\r\n",
        "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / http/1.1\r\nHost: a\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\n\r\n",
        HEAD + " 5\r\nhello\r\n0\r\n\r\n",
        HEAD + "5 \r\nhello\r\n0\r\n\r\n",
        HEAD + "5\t\r\nhello\r\n0\r\n\r\n",
        HEAD + "5;=b\r\nhello\r\n0\r\n\r\n",
        HEAD + "5;a=\"x\r\nhello\r\n0\r\n\r\n",
        HEAD + "5\r\nhelloX\r\n0\r\n\r\n",
        HEAD + "5\nhello\r\n0\r\n\r\n",
        HEAD + "0\r\nX: 1\r\n y\r\n\r\n",
        HEAD + "0x5\r\nhello\r\n0\r\n\r\n",
        HEAD + "1000000000000005\r\nhello\r\n0\r\n\r\n",
    })
    void refused(String input) {
        assertBoth(input, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: a\r\nX-Note: a b\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a?b=c HTTP/1.0\r\n\r\n",
        HEAD + "5\r\nhello\r\n0\r\n\r\n",
        HEAD + "005\r\nhello\r\n000\r\n\r\n",
        HEAD + "5;a=b;c\r\nhello\r\n0;x=\"q\\\"t\"\r\n\r\n",
        HEAD + "5 ; a = b\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n",
        HEAD + "A\r\n0123456789\r\n0\r\n\r\n",
    })
    void accepted(String input) {
        assertBoth(input, false);
    }

    @Test
    void commonHeaderNamesKeepTheClientsSpellingWhicheverCaseItUses() {
        String input = "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer x\r\nauthorization: Bearer y\r\n"
                + "AUTHORIZATIOn: Bearer z\r\ntraceparent: t\r\nUser-Agentx: u\r\n\r\n";
        List<HttpObject> objects = decode(input, input.length());
        HttpRequest request = (HttpRequest) objects.get(0);
        List<String> names = new ArrayList<>();
        request.headers().iteratorCharSequence().forEachRemaining(h -> names.add(h.getKey().toString()));
        assertThat(names).containsExactly("Host", "Authorization", "authorization", "AUTHORIZATIOn", "traceparent",
                "User-Agentx");
        assertThat(request.headers().getAll("authorization")).containsExactly("Bearer x", "Bearer y", "Bearer z");
        assertThat(failed(objects)).isFalse();
    }

    @Test
    void aWholeCommonHeadIsParsedByTheDecoderItself() {
        String input = "GET /a?b HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer x.y.z\r\nX-Note:  a b \t\r\nX-E:\r\n\r\n";
        List<HttpObject> objects = decode(input, input.length());
        HttpRequest request = (HttpRequest) objects.get(0);
        assertThat(objects.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        List<Object> names = new ArrayList<>();
        List<CharSequence> values = new ArrayList<>();
        request.headers().iteratorCharSequence().forEachRemaining(h -> {
            names.add(h.getKey());
            values.add(h.getValue());
        });
        // Netty's parser gives a request a decoder result with the head's sizes; this one is the shared success
        assertThat(request.decoderResult()).isSameAs(DecoderResult.SUCCESS);
        assertThat(values).allMatch(v -> v instanceof String);
        assertThat(values).map(CharSequence::toString).containsExactly("a", "Bearer x.y.z", "a b", "");
        assertThat(names).map(Object::toString).containsExactly("Host", "Authorization", "X-Note", "X-E");
        // the usual spellings are shared constants, the same in every request; the other names are copies
        List<HttpObject> again = decode(input, input.length());
        List<Object> againNames = new ArrayList<>();
        ((HttpRequest) again.get(0)).headers().iteratorCharSequence().forEachRemaining(h -> againNames.add(h.getKey()));
        assertThat(againNames.get(0)).isSameAs(names.get(0));
        assertThat(againNames.get(1)).isSameAs(names.get(1));
        assertThat(againNames.get(2)).isNotSameAs(names.get(2));
        assertThat(failed(again)).isFalse();
        assertThat(request.uri()).isEqualTo("/a?b");
        assertThat(failed(objects)).isFalse();
        // a head with a body goes through Netty's parser
        String post = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi";
        List<HttpObject> posted = decode(post, post.length());
        assertThat(posted.get(0).decoderResult()).isNotSameAs(DecoderResult.SUCCESS);
        assertThat(failed(posted)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "OPTIONS", "PROPFIND", "get", "GETX"})
    void everyMethodAndVersionIsReadAsSent(String method) {
        for (String version : List.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0")) {
            String input = method + " /x HTTP" + version.substring(4) + "\r\nHost: a\r\n\r\n";
            List<HttpObject> objects = decode(input, 3);
            HttpRequest request = (HttpRequest) objects.get(0);
            assertThat(failed(objects)).as(input).isFalse();
            assertThat(request.method().name()).isEqualTo(method);
            assertThat(request.protocolVersion().text()).isEqualTo(version);
            assertThat(request.uri()).isEqualTo("/x");
        }
    }

    @Test
    void pipelinedRequestsAfterAChunkedBodyAreCheckedToo() {
        String good = HEAD + "5\r\nhello\r\n0\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n";
        String bad = HEAD + "5\r\nhello\r\n0\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n";
        for (int slice : new int[] {good.length(), 1, 7}) {
            List<HttpObject> objects = decode(good, slice);
            assertThat(objects.stream().filter(o -> o instanceof HttpRequest).count()).isEqualTo(2);
            assertThat(failed(objects)).isFalse();
            assertThat(failed(decode(bad, slice))).isTrue();
        }
    }

    @Test
    void longRequestLinesAreCheckedWhole() {
        // the line buffer starts at 256 bytes and grows: a long line (within Netty's default 4,096) is checked in full
        String target = "/" + "a".repeat(4000);
        String longest = "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
        assertBoth(longest, false);
        assertBoth("GET " + target + "  HTTP/1.1\r\nHost: a\r\n\r\n", true);
        assertBoth("GET " + target + " http/1.1\r\nHost: a\r\n\r\n", true);
        assertBoth("GET /" + "b".repeat(1000) + "\u0001 HTTP/1.1\r\nHost: a\r\n\r\n", true);
        for (int slice : new int[] {longest.length(), 1, 300}) {
            List<HttpObject> objects = decode(longest + longest, slice);
            assertThat(objects.stream().filter(o -> o instanceof HttpRequest r && r.uri().equals(target)).count())
                    .isEqualTo(2);
            assertThat(failed(objects)).isFalse();
        }
    }

    @Test
    void aBadChunkEndsTheBodyWithAFailureAndNothingMoreIsDecoded() {
        List<HttpObject> objects = decode(HEAD + "5\r\nhello\r\n5 x\r\nworld\r\n0\r\n\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n", 64);
        HttpObject last = objects.get(objects.size() - 1);
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(last.decoderResult().isFailure()).isTrue();
        assertThat(objects.stream().filter(o -> o instanceof HttpRequest).count()).isEqualTo(1);
        assertThat(objects.stream().filter(o -> o instanceof HttpContent c && c.content().toString(StandardCharsets.US_ASCII)
                .contains("world"))).isEmpty();
        objects.forEach(ReferenceCountUtil::release);
    }
}
