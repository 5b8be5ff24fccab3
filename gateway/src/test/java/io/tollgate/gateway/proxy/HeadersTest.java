package io.tollgate.gateway.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HeadersTest {

    @Test
    void hopByHopHeadersAndWhatConnectionNamesAreRemovedInPlaceInAnyCase() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Connection", "X-Private, keep-alive");
        headers.add("connection", "x-other");
        headers.add("X-PRIVATE", "secret");
        headers.add("X-Other", "1");
        headers.add("KEEP-ALIVE", "timeout=5");
        headers.add("Proxy-Connection", "keep-alive");
        headers.add("proxy-authenticate", "Basic");
        headers.add("Proxy-Authorization", "Basic Zm9vOmJhcg==");
        headers.add("TE", "trailers");
        headers.add("Trailer", "X-Checksum");
        headers.add("Transfer-Encoding", "chunked");
        headers.add("Upgrade", "h2c");
        headers.add("Content-Length", "12");
        headers.add("X-Request-Id", "abc");
        headers.add("Authorization", "Bearer x");
        headers.add("Tea", "kept: only the exact name te is hop-by-hop");

        Headers.removeHopByHop(headers);

        assertThat(headers.names()).containsExactlyInAnyOrder("Content-Length", "X-Request-Id", "Authorization",
                "Tea");
    }

    @Test
    void aFieldListLosesTheSameFieldsAndKeepsTheOthersInOrder() {
        String[][] fields = {{"Server", "nginx"}, {"Connection", "close, X-Private"},
            {"close", "named by Connection"}, {"Content-Length", "2"}, {"keep-alive", "timeout=5"},
            {"x-private", "secret"}, {"Transfer-Encoding", "chunked"}, {"X-Kept", "1"}};
        FieldList headers = new FieldList();
        for (String[] field : fields) {
            headers.add(field[0], field[1]);
        }

        Headers.removeHopByHop(headers);

        List<String> left = new ArrayList<>();
        headers.forEach(field -> left.add(field.getKey() + ": " + field.getValue()));
        assertThat(left).containsExactly("Server: nginx", "Content-Length: 2", "X-Kept: 1");
    }

    @Test
    void generatedRequestIdsAreVersion4UuidsAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Headers.randomId();
            assertThat(java.util.UUID.fromString(id).version()).isEqualTo(4);
            assertThat(java.util.UUID.fromString(id).variant()).isEqualTo(2);
            assertThat(java.util.UUID.fromString(id).toString()).isEqualTo(id); // spelled as UUID spells it
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
        assertThat(Headers.requestId("corr-123")).isEqualTo("corr-123");
        assertThat(Headers.requestId("bad value")).isNotEqualTo("bad value");
    }
}
