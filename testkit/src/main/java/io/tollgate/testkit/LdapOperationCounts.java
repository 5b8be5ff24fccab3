package io.tollgate.testkit;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * The operations clients sent to an {@link LdapDirectory} over its listeners, counted by type ({@code bind},
 * {@code search}, {@code extended}, ...) from the directory's access log ({@code ... SEARCH REQUEST conn=1 ...}),
 * so that a test can assert what a request costs the directory.
 */
final class LdapOperationCounts extends Handler {
    private static final String REQUEST = " REQUEST ";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** A copy of the counts so far, by operation type. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((type, count) -> out.put(type, count.sum()));
        return out;
    }

    @Override
    public void publish(LogRecord entry) {
        String line = entry.getMessage();
        int request = line == null ? -1 : line.indexOf(REQUEST);
        if (request > 0) {
            String type = line.substring(line.lastIndexOf(' ', request - 1) + 1, request).toLowerCase(Locale.ROOT);
            counts.computeIfAbsent(type, t -> new LongAdder()).increment();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
