package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream codec against Netty's {@link HttpClientCodec} (as the gateway configured it), on the same requests and
 * response bytes: well-formed responses of many shapes (lengths, chunks, trailers, HEAD, 1xx, 204, 304, pipelined
 * pairs, names in other spellings), broken ones (framing conflicts, bad lines, obs-fold, bad chunks), and mutations
 * of both; each fed whole and cut at random points. Both must encode every request to the same bytes and emit
 * exactly the same objects for the responses: status, version, reason, fields in order, body bytes, trailers,
 * refusals and their causes.
 */
class UpstreamCodecDifferentialTest {
    private static final long SEED = Long.getLong("differential.seed", 20261207L);

    private static HttpDecoderConfig config() {
        return new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(16_384).setMaxChunkSize(16_384)
                .setHeadersFactory(FieldList.FACTORY).setTrailersFactory(FieldList.TRAILERS_FACTORY);
    }

    private static final String[] HEADS = {
        "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Mon, 07 Dec 2026 20:15:12 GMT\r\n"
            + "Content-Type: application/json\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\n{\"ok\":true}",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2;ext=1\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n",
        "HTTP/1.1 201 Created\r\nLocation: /items/1\r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 5\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close",
        "HTTP/1.1 404 Not Found\r\nCONTENT-LENGTH: 3\r\ncontent-type: text/plain\r\n\r\nno!",
        "HTTP/1.1 200 Okay\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 999 Whatever\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
        "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nVary: Accept\r\nX-Request-Id: r1\r\n"
            + "Cache-Control: no-store\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw bytes",
        "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n",
        "garbage\r\n\r\n",
        "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Mon, 07 Dec 2026 20:15:12 GMT\r\nContent-Length: 2\r\n\r\nok"
            + "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Mon, 07 Dec 2026 20:15:13 GMT\r\nContent-Length: 3\r\n\r\nyes",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes",
        "HTTP/1.1 204 No Content\r\nServer: a\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nServer: a\r\n"
            + "Content-Length: 1\r\n\r\n!",
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 011\r\n\r\n{\"ok\":true}",
        "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n" + "x".repeat(20_000),
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Spaces: \t a b \t\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Obs: caf\u00e9\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Ctl: a\u0001b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nSec-WebSocket-Location: x\r\nContent-Length: 0\r\n\r\n",
        "\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\n\r\nuntil close",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    };

    private static final HttpMethod[][] REQUESTS = {{HttpMethod.GET}, {HttpMethod.HEAD}, {HttpMethod.POST},
        {HttpMethod.GET, HttpMethod.HEAD}, {HttpMethod.HEAD, HttpMethod.GET}, {HttpMethod.OPTIONS, HttpMethod.DELETE}};

    @Test
    void readsEveryResponseAsNettysClientCodec() {
        List<byte[]> inputs = new ArrayList<>();
        for (String head : HEADS) {
            inputs.add(head.getBytes(StandardCharsets.ISO_8859_1));
        }
        Random random = new Random(SEED);
        for (int i = 0; i < 3_000; i++) {
            inputs.add(mutated(random, HEADS[random.nextInt(HEADS.length)].getBytes(StandardCharsets.ISO_8859_1)));
        }
        int refused = 0;
        for (int i = 0; i < inputs.size(); i++) {
            byte[] input = inputs.get(i);
            HttpMethod[] methods = REQUESTS[i % REQUESTS.length];
            int[] whole = {input.length};
            List<String> netty = read(() -> new HttpClientCodec(config(), false, false), methods, input, whole);
            assertThat(read(() -> new UpstreamCodec(config()), methods, input, whole))
                    .as("input %d %s (%s)", i, Arrays.toString(methods), shown(input)).isEqualTo(netty);
            int[] cuts = cuts(random, input.length);
            assertThat(read(() -> new UpstreamCodec(config()), methods, input, cuts))
                    .as("input %d %s cut at %s (%s)", i, Arrays.toString(methods), Arrays.toString(cuts), shown(input))
                    .isEqualTo(read(() -> new HttpClientCodec(config(), false, false), methods, input, cuts));
            refused += netty.stream().anyMatch(line -> line.startsWith("refused")) ? 1 : 0;
        }
        assertThat(refused).as("inputs refused by both").isBetween(inputs.size() / 20, inputs.size() - 100);
    }

    @Test
    void aCommonNameOrStatusLineWordIsSharedAndAnyOtherSpellingKeptAsSent() {
        EmbeddedChannel codec = new EmbeddedChannel(new UpstreamCodec(config()));
        codec.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        codec.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Type: a/b\r\ncontent-type: c/d\r\n"
                + "CONTENT-TYPE: e/f\r\nContent-Length: 0\r\n\r\n", StandardCharsets.ISO_8859_1));
        HttpResponse response = codec.readInbound();
        List<CharSequence> names = new ArrayList<>();
        response.headers().iteratorCharSequence().forEachRemaining(field -> names.add(field.getKey()));
        assertThat(names.get(0)).isSameAs(Arrays.stream(UpstreamCodec.COMMON_NAMES)
                .filter(n -> n.toString().equals("Content-Type")).findFirst().orElseThrow());
        assertThat(names.get(1)).isSameAs(HttpHeaderNames.CONTENT_TYPE);
        assertThat(names.get(2).toString()).isEqualTo("CONTENT-TYPE");
        assertThat(names.get(2)).isNotSameAs(HttpHeaderNames.CONTENT_TYPE);
        assertThat(response.status()).isSameAs(io.netty.handler.codec.http.HttpResponseStatus.OK);
        assertThat(response.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);
        codec.finishAndReleaseAll();
    }

    @Test
    void aCommonResponseIsReadInOnePassAndAFieldsRepeatedValueIsTheSameString() {
        EmbeddedChannel codec = new EmbeddedChannel(new UpstreamCodec(config()));
        String response = "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: application/json\r\n"
                + "X-Other: 1\r\nContent-Length: 2\r\n\r\nok";
        List<HttpResponse> responses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            codec.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"),
                    LastHttpContent.EMPTY_LAST_CONTENT);
            codec.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1));
            responses.add(codec.readInbound());
            LastHttpContent body = codec.readInbound();
            assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
            body.release();
        }
        assertThat(responses.get(1).headers().get("Server")).isEqualTo("nginx/1.24.0")
                .isSameAs(responses.get(0).headers().get("Server"));
        assertThat(responses.get(1).headers().get("Content-Type"))
                .isSameAs(responses.get(0).headers().get("Content-Type"));
        assertThat(responses.get(1).headers().get("X-Other")).isEqualTo("1")
                .isNotSameAs(responses.get(0).headers().get("X-Other"));
        codec.finishAndReleaseAll();
    }

    /** Sends the requests, then the response bytes cut at {@code ends}: the request bytes and every object decoded. */
    private static List<String> read(Supplier<ChannelHandler> codec, HttpMethod[] methods, byte[] input, int[] ends) {
        EmbeddedChannel channel = new EmbeddedChannel(codec.get());
        List<String> transcript = new ArrayList<>();
        for (HttpMethod method : methods) {
            DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/x?y=1",
                    new FieldList());
            request.headers().add(HttpHeaderNames.HOST, "up:80").add(AsciiString.of("X-Request-Id"), "r1");
            channel.writeOutbound(request, LastHttpContent.EMPTY_LAST_CONTENT);
            Object out;
            while ((out = channel.readOutbound()) != null) {
                ByteBuf bytes = (ByteBuf) out;
                transcript.add("sent " + bytes.toString(StandardCharsets.ISO_8859_1));
                bytes.release();
            }
        }
        int from = 0;
        try {
            for (int end : ends) {
                channel.writeInbound(Unpooled.copiedBuffer(input, from, end - from)); // copied: a decoder moves bytes
                from = end;
                drain(channel, transcript);
            }
            channel.finish();
        } catch (RuntimeException e) {
            transcript.add("threw " + e);
        }
        drain(channel, transcript);
        channel.finishAndReleaseAll();
        return transcript;
    }

    private static void drain(EmbeddedChannel channel, List<String> transcript) {
        Object o;
        while ((o = channel.readInbound()) != null) {
            transcript.add(text(o));
            ReferenceCountUtil.release(o);
        }
    }

    private static String text(Object o) {
        StringBuilder line = new StringBuilder();
        if (o instanceof HttpObject object && object.decoderResult().isFailure()) {
            line.append("refused ").append(object.decoderResult().cause()).append(' ');
        }
        if (o instanceof HttpResponse response) {
            line.append("response ").append(response.protocolVersion()).append(' ').append(response.status().code())
                    .append(" [").append(response.status().reasonPhrase()).append("] ");
            fields(response.headers(), line);
        }
        if (o instanceof HttpContent content) {
            line.append(o instanceof LastHttpContent ? "last " : "content ")
                    .append(ByteBufUtil.hexDump(content.content()));
            if (o instanceof LastHttpContent last) {
                fields(last.trailingHeaders(), line.append(' '));
            }
        }
        if (o instanceof ByteBuf bytes) {
            line.append("bytes ").append(ByteBufUtil.hexDump(bytes));
        }
        return line.length() == 0 ? "other " + o.getClass().getName() : line.toString();
    }

    private static void fields(io.netty.handler.codec.http.HttpHeaders headers, StringBuilder line) {
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            line.append(field.getKey()).append(": ").append(field.getValue()).append(" | ");
        }
    }

    /** One to three random edits: a byte changed, inserted or removed, or a stretch repeated. */
    private static byte[] mutated(Random random, byte[] input) {
        byte[] bytes = input;
        int edits = 1 + random.nextInt(3);
        byte[] alphabet = " \r\n\t:;,0123456789aAzZ-\"\0\u007f\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(bytes.length);
            byte b = alphabet[random.nextInt(alphabet.length)];
            switch (random.nextInt(4)) {
                case 0 -> {
                    bytes = bytes.clone();
                    bytes[at] = b;
                }
                case 1 -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = b;
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                case 2 -> {
                    if (bytes.length > 1) {
                        byte[] shorter = new byte[bytes.length - 1];
                        System.arraycopy(bytes, 0, shorter, 0, at);
                        System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                        bytes = shorter;
                    }
                }
                default -> {
                    int length = Math.min(bytes.length - at, 1 + random.nextInt(20));
                    byte[] longer = new byte[bytes.length + length];
                    System.arraycopy(bytes, 0, longer, 0, at + length);
                    System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
                    bytes = longer;
                }
            }
        }
        return bytes;
    }

    /** Increasing cut points ending at {@code length}: one to four pieces. */
    private static int[] cuts(Random random, int length) {
        int pieces = 1 + random.nextInt(4);
        int[] ends = new int[pieces];
        for (int i = 0; i < pieces - 1; i++) {
            ends[i] = random.nextInt(length + 1);
        }
        ends[pieces - 1] = length;
        Arrays.sort(ends);
        return ends;
    }

    private static String shown(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
