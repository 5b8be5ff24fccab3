package io.tollgate.gateway.core;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.Iterator;

/**
 * How many fields of one name a message has, counted over Netty's value iterator: a header that must occur once
 * (Host, Authorization, traceparent) is checked per request, and {@code getAll} would build a list for it.
 */
public final class HeaderCount {
    private HeaderCount() {
    }

    /** The number of {@code name} fields in {@code headers} (names compare case-insensitively). */
    public static int of(HttpHeaders headers, CharSequence name) {
        int n = 0;
        for (Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(name); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }
}
