package io.tollgate.gateway.proxy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
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
import java.util.Set;

/**
 * A message's header fields as one array in arrival order, in place of Netty's {@code DefaultHttpHeaders} (a hash
 * table of 16 buckets and a linked entry of 40 bytes per field). A message has a few dozen fields at most, so a
 * lookup is a scan that compares lengths first; a field costs one small object, and iterating (the entrance, the
 * hop-by-hop pass, the encoder) allocates nothing per field.
 * <p>
 * It behaves as {@code DefaultHttpHeaders} with validation does, so what is encoded is byte for byte the same:
 * names compare ASCII case-insensitively and are kept as given; {@code add} appends; {@code set} removes every
 * field of the name and appends the new ones at the end; {@code remove} keeps the others' order; every name must be
 * a token and every value free of control characters other than HTAB ({@link HttpHeaderValidationUtil}, the rules
 * Netty's decoder and the gateway's own fields are held to); objects become values as Netty converts them (dates as
 * HTTP dates, anything else by {@code toString}).
 */
final class FieldList extends HttpHeaders {
    /** Makes the field lists of the gateway's HTTP codecs; empty messages share Netty's empty headers. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new FieldList();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DefaultHttpHeadersFactory.headersFactory().newEmptyHeaders();
        }
    };

    private static final int INITIAL_CAPACITY = 16;

    private Field[] fields = new Field[INITIAL_CAPACITY];
    private int size;

    /** One field: its name as given, its value as converted; the value can be replaced (validated) in place. */
    private static final class Field implements Map.Entry<CharSequence, CharSequence> {
        private final CharSequence name;
        private CharSequence value;

        Field(CharSequence name, CharSequence value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public CharSequence getKey() {
            return name;
        }

        @Override
        public CharSequence getValue() {
            return value;
        }

        @Override
        public CharSequence setValue(CharSequence newValue) {
            CharSequence old = value;
            value = validValue(newValue);
            return old;
        }

        @Override
        public String toString() {
            return name + "=[value not shown]";
        }
    }

    // ---- reading ----

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : fields[i].value.toString();
    }

    @Override
    public Integer getInt(CharSequence name) {
        CharSequence value = first(name);
        if (value == null) {
            return null;
        }
        try {
            return value instanceof AsciiString ascii ? ascii.parseInt() : Integer.parseInt(value.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer value = getInt(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Short getShort(CharSequence name) {
        CharSequence value = first(name);
        if (value == null) {
            return null;
        }
        try {
            return value instanceof AsciiString ascii ? ascii.parseShort() : Short.parseShort(value.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short value = getShort(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        CharSequence value = first(name);
        Date date = value == null ? null : DateFormatter.parseHttpDate(value);
        return date == null ? null : date.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long value = getTimeMillis(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return Collections.emptyList();
        }
        List<String> values = new ArrayList<>(2);
        for (; i >= 0; i = indexOf(name, i + 1)) {
            values.add(fields[i].value.toString());
        }
        return values;
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
            CharSequence v = fields[i].value;
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(v, value) : AsciiString.contentEquals(v, value)) {
                return true;
            }
        }
        return false;
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

    /** The fields themselves in order; {@code remove()} removes the last one returned. */
    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Iterator<>() {
            private int next;
            private int last = -1;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                last = next;
                return fields[next++];
            }

            @Override
            public void remove() {
                if (last < 0) {
                    throw new IllegalStateException();
                }
                removeAt(last);
                next = last;
                last = -1;
            }
        };
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
                CharSequence value = fields[next].value;
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
            names.add(fields[i].name.toString());
        }
        return names;
    }

    // ---- writing ----

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
        validName(name);
        for (Object value : values) {
            append(name, valueOf(value));
        }
        return this;
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
        for (Object value : values) {
            if (value == null) {
                break;
            }
            append(name, valueOf(value));
        }
        return this;
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
        Arrays.fill(fields, 0, size, null);
        size = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        FieldList copy = new FieldList();
        copy.fields = Arrays.copyOf(fields, Math.max(size, INITIAL_CAPACITY));
        for (int i = 0; i < size; i++) {
            copy.fields[i] = new Field(fields[i].name, fields[i].value);
        }
        copy.size = size;
        return copy;
    }

    /** The field names only: values (a bearer token among them) are never printed. */
    @Override
    public String toString() {
        return "FieldList" + names();
    }

    // ---- the array ----

    private CharSequence first(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : fields[i].value;
    }

    /** The index of the first field of {@code name} at or after {@code from}, or -1. */
    private int indexOf(CharSequence name, int from) {
        int length = name.length();
        for (int i = from; i < size; i++) {
            CharSequence candidate = fields[i].name;
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
        if (size == fields.length) {
            fields = Arrays.copyOf(fields, size * 2);
        }
        fields[size++] = new Field(name, value);
    }

    private void removeAll(CharSequence name) {
        int kept = indexOf(name, 0);
        if (kept < 0) {
            return;
        }
        int length = name.length();
        for (int i = kept + 1; i < size; i++) {
            CharSequence candidate = fields[i].name;
            if (!(candidate == name || candidate.length() == length && sameName(candidate, name, length))) {
                fields[kept++] = fields[i];
            }
        }
        Arrays.fill(fields, kept, size, null);
        size = kept;
    }

    private void removeAt(int index) {
        System.arraycopy(fields, index + 1, fields, index, size - index - 1);
        fields[--size] = null;
    }

    /** Netty's rule for a header name: a non-empty token. */
    private static CharSequence validName(CharSequence name) {
        if (name == null || name.length() == 0) {
            throw new IllegalArgumentException("empty headers are not allowed [" + name + ']');
        }
        int index = HttpHeaderValidationUtil.validateToken(name);
        if (index != -1) {
            throw new IllegalArgumentException("a header name can only contain \"token\" characters, but found "
                    + "invalid character 0x" + Integer.toHexString(name.charAt(index)) + " at index " + index
                    + " of header '" + name + "'.");
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
