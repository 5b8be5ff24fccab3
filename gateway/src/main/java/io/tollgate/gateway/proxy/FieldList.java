package io.tollgate.gateway.proxy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A message's header fields as one array of names and values in arrival order, in place of Netty's
 * {@code DefaultHttpHeaders} (a hash table of 16 buckets and a linked entry of 40 bytes per field). A message has a
 * few dozen fields at most, so a lookup is a scan that compares lengths first; a field costs two array slots and no
 * object, and the array is made at the first field (empty trailers cost nothing more).
 * <p>
 * {@link #iteratorCharSequence()} returns itself as each entry, as Netty's {@code ReadOnlyHttpHeaders} does: an
 * entry is valid until the iterator moves on, which is how the encoder, the entrance and the hop-by-hop pass read
 * it; iterating allocates one object, not one per field.
 * <p>
 * It behaves as {@code DefaultHttpHeaders} with validation does, so what is encoded is byte for byte the same:
 * names compare ASCII case-insensitively and are kept as given; {@code add} appends; {@code set} removes every
 * field of the name and appends the new ones at the end; {@code remove} keeps the others' order; every name must be
 * a token and every value free of control characters other than HTAB ({@link HttpHeaderValidationUtil}, the rules
 * Netty's decoder and the gateway's own fields are held to); objects become values as Netty converts them (dates as
 * HTTP dates, anything else by {@code toString}).
 */
final class FieldList extends HttpHeaders {
    /** Makes the header field lists of the gateway's HTTP codecs; empty messages share Netty's empty headers. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new FieldList(false);
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DefaultHttpHeadersFactory.headersFactory().newEmptyHeaders();
        }
    };

    /**
     * Makes the trailer field lists (every body's last content has one, nearly always empty): as {@link #FACTORY},
     * and like Netty's trailers they refuse {@code Content-Length}, {@code Transfer-Encoding} and {@code Trailer}.
     */
    static final HttpHeadersFactory TRAILERS_FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new FieldList(true);
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders();
        }
    };

    private static final CharSequence[] NONE = {};
    /** Fields the array is made for at the first one: a request gains a dozen from the entrance and the steps. */
    private static final int INITIAL_FIELDS = 16;

    /** Field {@code i}'s name at {@code 2i} (as given), its value at {@code 2i + 1} (as converted and validated). */
    private CharSequence[] slots = NONE;
    private int size;
    /** Trailer fields: the framing names are refused. */
    private final boolean trailers;

    /** An empty list of header fields. */
    FieldList() {
        this(false);
    }

    private FieldList(boolean trailers) {
        this.trailers = trailers;
    }

    // ---- reading ----

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i).toString();
    }

    @Override
    public Integer getInt(CharSequence name) {
        return parsed(name, v -> v instanceof AsciiString ascii ? ascii.parseInt() : Integer.parseInt(v.toString()));
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        return Objects.requireNonNullElse(getInt(name), defaultValue);
    }

    @Override
    public Short getShort(CharSequence name) {
        return parsed(name, v -> v instanceof AsciiString ascii ? ascii.parseShort() : Short.parseShort(v.toString()));
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        return Objects.requireNonNullElse(getShort(name), defaultValue);
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        return parsed(name, v -> {
            Date date = DateFormatter.parseHttpDate(v);
            return date == null ? null : date.getTime();
        });
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        return Objects.requireNonNullElse(getTimeMillis(name), defaultValue);
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    /** The values of {@code name}'s fields in order, a list that cannot be changed (as Netty's headers give it). */
    @Override
    public List<String> getAll(CharSequence name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return Collections.emptyList();
        }
        int next = indexOf(name, i + 1);
        if (next < 0) {
            return Collections.singletonList(value(i).toString()); // nearly always: one field of the name
        }
        List<String> values = new ArrayList<>(2);
        values.add(value(i).toString());
        for (i = next; i >= 0; i = indexOf(name, i + 1)) {
            values.add(value(i).toString());
        }
        return Collections.unmodifiableList(values);
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        if (size == 0) {
            return Collections.emptyList();
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(size);
        for (Map.Entry<String, String> entry : this) {
            entries.add(entry);
        }
        return entries;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    /** Whether a field of {@code name} has exactly {@code value} (ASCII case-insensitively with {@code ignoreCase}). */
    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            CharSequence v = value(i);
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(v, value) : AsciiString.contentEquals(v, value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a field of {@code name} lists {@code value} among its comma-separated elements, each trimmed of
     * whitespace and controls (as Netty's headers answer it: {@code HttpUtil} asks it of {@code Connection} and
     * {@code Transfer-Encoding} several times per message); read in place, no iterator or substring.
     */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            CharSequence field = value(i);
            int length = field.length();
            int start = 0;
            for (int end = 0; end <= length; end++) {
                // after a trailing comma there is no last element (as Netty reads it)
                boolean element = end < length ? field.charAt(end) == ',' : start == 0 || start < length;
                if (element && elementEquals(field, start, end, value, ignoreCase)) {
                    return true;
                }
                if (end < length && field.charAt(end) == ',') {
                    start = end + 1;
                }
            }
        }
        return false;
    }

    /** Whether {@code field[from, to)}, trimmed of characters up to space, is {@code expected}. */
    private static boolean elementEquals(CharSequence field, int from, int to, CharSequence expected, boolean ignoreCase) {
        while (from < to && field.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && field.charAt(to - 1) <= ' ') {
            to--;
        }
        if (to - from != expected.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            char x = field.charAt(from + i);
            char y = expected.charAt(i);
            if (x != y && !(ignoreCase && AsciiString.toLowerCase(x) == AsciiString.toLowerCase(y))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        Iterator<Map.Entry<CharSequence, CharSequence>> fieldsIterator = iteratorCharSequence();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return fieldsIterator.hasNext();
            }

            @Override
            public Map.Entry<String, String> next() {
                Map.Entry<CharSequence, CharSequence> field = fieldsIterator.next();
                return new AbstractMap.SimpleImmutableEntry<>(field.getKey().toString(), field.getValue().toString());
            }

            @Override
            public void remove() {
                fieldsIterator.remove();
            }
        };
    }

    /**
     * The fields in order, each returned as the iterator itself (valid until the next call); {@code remove()} removes
     * the field returned last, {@code setValue} replaces its value.
     */
    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Cursor();
    }

    /** The iterator of {@link #iteratorCharSequence()} and the entry it returns. */
    private final class Cursor implements Iterator<Map.Entry<CharSequence, CharSequence>>,
            Map.Entry<CharSequence, CharSequence> {
        private int next;
        private int current = -1;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Map.Entry<CharSequence, CharSequence> next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            current = next++;
            return this;
        }

        @Override
        public void remove() {
            if (current < 0) {
                throw new IllegalStateException();
            }
            removeAt(current);
            next = current;
            current = -1;
        }

        @Override
        public CharSequence getKey() {
            return slots[2 * entry()];
        }

        @Override
        public CharSequence getValue() {
            return slots[2 * entry() + 1];
        }

        @Override
        public CharSequence setValue(CharSequence value) {
            int at = 2 * entry() + 1;
            CharSequence old = slots[at];
            slots[at] = validValue(value);
            return old;
        }

        private int entry() {
            if (current < 0) {
                throw new IllegalStateException();
            }
            return current;
        }

        @Override
        public String toString() {
            return getKey() + "=[value not shown]";
        }
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        Iterator<CharSequence> values = valueCharSequenceIterator(name);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return values.hasNext();
            }

            @Override
            public String next() {
                return values.next().toString();
            }
        };
    }

    /** The values of {@code name}'s fields in order, read where they stand (no list). */
    @Override
    public Iterator<CharSequence> valueCharSequenceIterator(CharSequence name) {
        return new Iterator<>() {
            private int next = indexOf(name, 0);

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public CharSequence next() {
                if (next < 0) {
                    throw new NoSuchElementException();
                }
                CharSequence value = value(next);
                next = indexOf(name, next + 1);
                return value;
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>(size * 2);
        for (int i = 0; i < size; i++) {
            names.add(slots[2 * i].toString());
        }
        return names;
    }

    // ---- writing ----

    /**
     * Appends a field its parser has already held to Netty's rules (a token name, a value without controls), so
     * neither is checked again: the request decoder's own head parser adds every field of a head this way.
     */
    void addParsed(CharSequence name, CharSequence value) {
        append(name, value);
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        append(validName(name), valueOf(value));
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        return appendAll(validName(name), values, false);
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, String.valueOf(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, String.valueOf(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        CharSequence converted = valueOf(value);
        removeAll(validName(name));
        append(name, converted);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    /** Replaces {@code name}'s fields by {@code values} up to the first null, as Netty's headers do. */
    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        removeAll(validName(name));
        return appendAll(name, values, true);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, String.valueOf(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, String.valueOf(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        removeAll(name);
        return this;
    }

    @Override
    public HttpHeaders clear() {
        Arrays.fill(slots, 0, 2 * size, null);
        size = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        FieldList copy = new FieldList(trailers);
        copy.slots = size == 0 ? NONE : Arrays.copyOf(slots, 2 * size);
        copy.size = size;
        return copy;
    }

    /** The field names only: values (a bearer token among them) are never printed. */
    @Override
    public String toString() {
        return "FieldList" + names();
    }

    // ---- the array ----

    /** The first {@code name} field's value parsed, or null when there is none or it does not parse (as Netty's). */
    private <T> T parsed(CharSequence name, Function<CharSequence, T> parse) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return null;
        }
        try {
            return parse.apply(value(i));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private CharSequence value(int field) {
        return slots[2 * field + 1];
    }

    /** The index of the first field of {@code name} at or after {@code from}, or -1. */
    private int indexOf(CharSequence name, int from) {
        int length = name.length();
        for (int i = from; i < size; i++) {
            CharSequence candidate = slots[2 * i];
            if (candidate == name || candidate.length() == length && sameName(candidate, name, length)) {
                return i;
            }
        }
        return -1;
    }

    /** ASCII case-insensitive equality of two names of {@code length} characters (names are tokens: ASCII). */
    private static boolean sameName(CharSequence a, CharSequence b, int length) {
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && AsciiString.toLowerCase(x) != AsciiString.toLowerCase(y)) {
                return false;
            }
        }
        return true;
    }

    private void append(CharSequence name, CharSequence value) {
        int at = 2 * size;
        if (at == slots.length) {
            slots = Arrays.copyOf(slots, size == 0 ? 2 * INITIAL_FIELDS : 2 * at);
        }
        slots[at] = name;
        slots[at + 1] = value;
        size++;
    }

    /** Appends each of {@code values}; with {@code untilNull} up to the first null (else a null is refused). */
    private HttpHeaders appendAll(CharSequence name, Iterable<?> values, boolean untilNull) {
        for (Object value : values) {
            if (value == null && untilNull) {
                break;
            }
            append(name, valueOf(value));
        }
        return this;
    }

    private void removeAll(CharSequence name) {
        int kept = indexOf(name, 0);
        if (kept < 0) {
            return;
        }
        int length = name.length();
        for (int i = kept + 1; i < size; i++) {
            CharSequence candidate = slots[2 * i];
            if (!(candidate == name || candidate.length() == length && sameName(candidate, name, length))) {
                slots[2 * kept] = candidate;
                slots[2 * kept + 1] = slots[2 * i + 1];
                kept++;
            }
        }
        Arrays.fill(slots, 2 * kept, 2 * size, null);
        size = kept;
    }

    private void removeAt(int field) {
        System.arraycopy(slots, 2 * field + 2, slots, 2 * field, 2 * (size - field - 1));
        size--;
        slots[2 * size] = null;
        slots[2 * size + 1] = null;
    }

    /** Netty's rule for a header name: a non-empty token; in trailers, none of the framing fields. */
    private CharSequence validName(CharSequence name) {
        if (name == null || name.length() == 0) {
            throw new IllegalArgumentException("empty headers are not allowed [" + name + ']');
        }
        int index = HttpHeaderValidationUtil.validateToken(name);
        if (index != -1) {
            throw new IllegalArgumentException("a header name can only contain \"token\" characters, but found "
                    + "invalid character 0x" + Integer.toHexString(name.charAt(index)) + " at index " + index
                    + " of header '" + name + "'.");
        }
        if (trailers && (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRAILER.contentEqualsIgnoreCase(name))) {
            throw new IllegalArgumentException("prohibited trailing header: " + name);
        }
        return name;
    }

    /** Netty's conversion of an object to a header value (dates as HTTP dates), then its value rule. */
    private static CharSequence valueOf(Object value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        CharSequence converted = value instanceof CharSequence text ? text
                : value instanceof Date date ? DateFormatter.format(date)
                : value instanceof Calendar calendar ? DateFormatter.format(calendar.getTime())
                : value.toString();
        return validValue(converted);
    }

    /** Netty's rule for a header value: no control character but HTAB, none at all first; the value is never shown. */
    private static CharSequence validValue(CharSequence value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int index = HttpHeaderValidationUtil.validateValidHeaderValue(value);
        if (index != -1) {
            throw new IllegalArgumentException("a header value contains prohibited character 0x"
                    + Integer.toHexString(value.charAt(index)) + " at index " + index + '.');
        }
        return value;
    }
}
