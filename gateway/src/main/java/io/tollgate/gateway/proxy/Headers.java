package io.tollgate.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Header rules of a proxy: hop-by-hop removal (RFC 9110 §7.6.1), correlation id. */
final class Headers {
    static final String REQUEST_ID = "X-Request-Id";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private Headers() {
    }

    /** Copies every end-to-end header: drops the hop-by-hop set and whatever {@code Connection} names. */
    static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
        Set<String> named = null;
        for (String connection : from.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                if (named == null) {
                    named = new HashSet<>();
                }
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || (named != null && named.contains(name))) {
                continue;
            }
            to.add(header.getKey(), header.getValue());
        }
    }

    /** The client's correlation id when it is a short token of safe characters, else a fresh one. */
    static String requestId(String offered) {
        if (offered != null && !offered.isEmpty() && offered.length() <= 128) {
            boolean safe = true;
            for (int i = 0; i < offered.length() && safe; i++) {
                char c = offered.charAt(i);
                safe = c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';';
            }
            if (safe) {
                return offered;
            }
        }
        return UUID.randomUUID().toString();
    }
}
