package io.tollgate.gateway.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 request parser written from RFC 9112 for the differential test, in two modes.
 * <ul>
 * <li>{@link Mode#STRICT} judges what a proxy forwarded: CRLF only, no obs-fold, exactly one {@code Host},
 * never {@code Content-Length} beside {@code Transfer-Encoding}, one {@code Content-Length} line with one value,
 * {@code Transfer-Encoding} exactly {@code chunked}. Anything a recipient could read two ways is refused.</li>
 * <li>{@link Mode#REFERENCE} reads what the client sent the way a conformant server may read it, taking the
 * most lenient reading the RFC allows where it offers a choice (a bare LF ends a line (§2.2), obs-fold is
 * replaced by a space (§5.2), whitespace-preceded lines before the first field are ignored (§2.2), identical
 * repeated {@code Content-Length} values count once (§6.3), {@code Transfer-Encoding} overrides
 * {@code Content-Length} (§6.3)). Whatever it cannot read is {@link Invalid}: a server must refuse it, so a
 * proxy that forwards it forwards a guess. Refusing is always allowed; the reading says what "exactly the
 * client's request" is when a proxy forwards.</li>
 * </ul>
 */
final class Http1Parser {
    enum Mode { STRICT, REFERENCE }

    record Field(String name, String value) {
        String lowerName() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    record Request(String method, String target, String version, List<Field> headers, byte[] body,
                   List<Field> trailers, boolean chunked, int consumed) {
        List<String> values(String name) {
            return headers.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
        }

        String first(String name) {
            List<String> v = values(name);
            return v.isEmpty() ? null : v.get(0);
        }

        /** The Connection options, lower-cased. */
        List<String> connectionOptions() {
            List<String> out = new ArrayList<>();
            for (String v : values("connection")) {
                for (String o : v.split(",")) {
                    if (!o.isBlank()) {
                        out.add(o.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return out;
        }

        /** Whether the connection ends after this request (RFC 9112 §9.3). */
        boolean closes() {
            List<String> options = connectionOptions();
            if (options.contains("close")) {
                return true;
            }
            return version.equals("HTTP/1.0") && !options.contains("keep-alive");
        }

        /** The path and query a proxy forwards (origin-form), whichever form the target had. */
        String originForm() {
            if (target.startsWith("/")) {
                return target;
            }
            int scheme = target.indexOf("://");
            int slash = target.indexOf('/', scheme + 3);
            int query = target.indexOf('?', scheme + 3);
            if (slash < 0 || (query >= 0 && query < slash)) {
                return query < 0 ? "/" : "/" + target.substring(query);
            }
            return target.substring(slash);
        }
    }

    /** The bytes cannot be one request under the mode's rules. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The bytes end before the request does. */
    static final class Incomplete extends Exception {
        Incomplete() {
            super("incomplete", null, false, false);
        }
    }

    private static final int MAX_HEAD = 64 * 1024;
    private static final long MAX_BODY = 64L * 1024 * 1024;

    private final byte[] b;
    private final Mode mode;
    private int pos;

    private Http1Parser(byte[] bytes, int offset, Mode mode) {
        this.b = bytes;
        this.pos = offset;
        this.mode = mode;
    }

    /** One request starting at {@code offset}. */
    static Request parse(byte[] bytes, int offset, Mode mode) throws Invalid, Incomplete {
        return new Http1Parser(bytes, offset, mode).request(offset);
    }

    private Request request(int start) throws Invalid, Incomplete {
        if (mode == Mode.REFERENCE) {
            // §2.2: a server SHOULD ignore at least one empty line received before the request-line
            while (pos < b.length && (b[pos] == '\n' || (b[pos] == '\r' && pos + 1 < b.length && b[pos + 1] == '\n'))) {
                pos += b[pos] == '\r' ? 2 : 1;
            }
        }
        String line = line();
        // §3: a recipient MAY split the request-line on any run of whitespace and ignore it around the line
        String[] parts = mode == Mode.STRICT ? line.split(" ", -1) : line.strip().split("[ \t\u000b\u000c]+", -1);
        if (parts.length != 3) {
            throw new Invalid("request-line is not method SP target SP version: " + show(line));
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (!isToken(method)) {
            throw new Invalid("method is not a token");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Invalid("version " + show(version));
        }
        checkTarget(method, target);
        List<Field> headers = fields();
        int hosts = count(headers, "host");
        if (hosts > 1 || (hosts == 0 && version.equals("HTTP/1.1"))) {
            throw new Invalid(hosts + " Host fields"); // §3.2: MUST respond 400
        }
        for (Field f : headers) {
            if (f.lowerName().equals("host") && !validHost(f.value())) {
                throw new Invalid("invalid Host " + show(f.value()));
            }
        }
        List<String> te = listElements(headers, "transfer-encoding");
        List<String> cl = listElements(headers, "content-length");
        byte[] body;
        List<Field> trailers = List.of();
        boolean chunked = false;
        if (count(headers, "transfer-encoding") > 0) {
            if (version.equals("HTTP/1.0")) {
                throw new Invalid("Transfer-Encoding in an HTTP/1.0 request"); // §6.1: framing is faulty
            }
            if (te.size() != 1 || !te.get(0).equalsIgnoreCase("chunked")) {
                throw new Invalid("Transfer-Encoding " + show(String.join(", ", te)) + " is not exactly chunked");
            }
            if (mode == Mode.STRICT && (count(headers, "transfer-encoding") != 1 || count(headers, "content-length") > 0)) {
                throw new Invalid("Transfer-Encoding repeated or beside Content-Length");
            }
            chunked = true;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            trailers = chunkedBody(out);
            body = out.toByteArray();
        } else if (count(headers, "content-length") > 0) {
            if (mode == Mode.STRICT && (count(headers, "content-length") != 1 || cl.size() != 1)) {
                throw new Invalid("Content-Length repeated");
            }
            if (cl.isEmpty() || cl.stream().distinct().count() != 1) {
                throw new Invalid("Content-Length values differ: " + show(String.join(",", cl)));
            }
            long length = decimal(cl.get(0));
            if (b.length - pos < length || length > MAX_BODY) {
                throw new Incomplete();
            }
            body = java.util.Arrays.copyOfRange(b, pos, pos + (int) length);
            pos += (int) length;
        } else {
            body = new byte[0];
        }
        return new Request(method, target, version, List.copyOf(headers), body, List.copyOf(trailers), chunked,
                pos - start);
    }

    private void checkTarget(String method, String target) throws Invalid {
        if (target.isEmpty()) {
            throw new Invalid("empty target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new Invalid("target has byte 0x" + Integer.toHexString(c));
            }
        }
        if (target.startsWith("/")) {
            return;
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            int at = target.indexOf('@');
            int end = target.indexOf('/', target.indexOf("://") + 3);
            if (at >= 0 && (end < 0 || at < end)) {
                throw new Invalid("userinfo in an absolute target"); // RFC 9110 §4.2.4: reject
            }
            return;
        }
        if (target.equals("*") && method.equals("OPTIONS")) {
            return;
        }
        throw new Invalid("target form " + show(target) + " with method " + method); // authority-form is CONNECT's
    }

    /** Field lines up to the empty line; the head's size is bounded. */
    private List<Field> fields() throws Invalid, Incomplete {
        List<Field> fields = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (pos < b.length && (b[pos] == ' ' || b[pos] == '\t')) {
                String continuation = line();
                if (mode == Mode.STRICT) {
                    throw new Invalid("obs-fold or whitespace-preceded line");
                }
                if (first || fields.isEmpty()) {
                    continue; // §2.2: consume the whitespace-preceded line without processing it
                }
                Field last = fields.remove(fields.size() - 1); // §5.2: replace obs-fold with SP
                String folded = (last.value() + " " + trimOws(continuation)).strip();
                checkValue(folded);
                fields.add(new Field(last.name(), folded));
                continue;
            }
            String line = line();
            first = false;
            if (line.isEmpty()) {
                return fields;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Invalid("field line without a name and colon: " + show(line));
            }
            String name = line.substring(0, colon);
            if (!isToken(name)) {
                throw new Invalid("field name " + show(name) + " is not a token"); // includes space before colon (§5.1)
            }
            String value = trimOws(line.substring(colon + 1));
            checkValue(value);
            fields.add(new Field(name, value));
        }
    }

    private static void checkValue(String value) throws Invalid {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new Invalid("control 0x" + Integer.toHexString(c) + " in a field value");
            }
        }
    }

    /** A line up to its terminator, as ISO-8859-1; bare CR is never a terminator and never allowed. */
    private String line() throws Invalid, Incomplete {
        int start = pos;
        for (int i = pos; i < b.length; i++) {
            if (i - start > MAX_HEAD) {
                throw new Invalid("line longer than " + MAX_HEAD);
            }
            if (b[i] == '\r') {
                if (i + 1 >= b.length) {
                    throw new Incomplete();
                }
                if (b[i + 1] != '\n') {
                    throw new Invalid("bare CR");
                }
                pos = i + 2;
                return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
            }
            if (b[i] == '\n') {
                if (mode == Mode.STRICT) {
                    throw new Invalid("bare LF");
                }
                pos = i + 1;
                return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
            }
        }
        throw new Incomplete();
    }

    /** A chunk-data line end: CRLF and nothing else, in both modes (§7.1; §2.2's bare LF is for the head). */
    private void crlf() throws Invalid, Incomplete {
        if (b.length - pos < 2) {
            throw new Incomplete();
        }
        if (b[pos] != '\r' || b[pos + 1] != '\n') {
            throw new Invalid("chunk data not followed by CRLF");
        }
        pos += 2;
    }

    private String chunkLine() throws Invalid, Incomplete {
        int start = pos;
        for (int i = pos; i < b.length; i++) {
            if (i - start > MAX_HEAD) {
                throw new Invalid("chunk line too long");
            }
            if (b[i] == '\r') {
                if (i + 1 >= b.length) {
                    throw new Incomplete();
                }
                if (b[i + 1] != '\n') {
                    throw new Invalid("bare CR in a chunk line");
                }
                pos = i + 2;
                return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
            }
            if (b[i] == '\n') {
                throw new Invalid("bare LF in a chunk line");
            }
        }
        throw new Incomplete();
    }

    private List<Field> chunkedBody(ByteArrayOutputStream out) throws Invalid, Incomplete {
        while (true) {
            String line = chunkLine();
            long size = chunkSize(line);
            if (size == 0) {
                return fields();
            }
            if (out.size() + size > MAX_BODY) {
                throw new Invalid("body over " + MAX_BODY);
            }
            if (b.length - pos < size) {
                throw new Incomplete();
            }
            out.write(b, pos, (int) size);
            pos += (int) size;
            crlf();
        }
    }

    /** chunk-size [ chunk-ext ]: 1*HEXDIG, then *( BWS ";" BWS name [ BWS "=" BWS token / quoted-string ] ). */
    private static long chunkSize(String line) throws Invalid {
        int i = 0;
        while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0) {
            i++;
        }
        if (i == 0) {
            throw new Invalid("chunk size " + show(line));
        }
        String hex = line.substring(0, i).replaceFirst("^0+(?=.)", "");
        if (hex.length() > 12) {
            throw new Invalid("chunk size overflows: " + show(line.substring(0, i)));
        }
        long size = Long.parseLong(hex, 16);
        String ext = line.substring(i);
        int p = 0;
        while (p < ext.length()) {
            p = skipBws(ext, p);
            if (p >= ext.length() || ext.charAt(p) != ';') {
                throw new Invalid("chunk extension " + show(ext));
            }
            p = skipBws(ext, p + 1);
            int nameStart = p;
            while (p < ext.length() && isTchar(ext.charAt(p))) {
                p++;
            }
            if (p == nameStart) {
                throw new Invalid("chunk extension without a name: " + show(ext));
            }
            int q = skipBws(ext, p);
            if (q < ext.length() && ext.charAt(q) == '=') {
                p = skipBws(ext, q + 1);
                if (p < ext.length() && ext.charAt(p) == '"') {
                    p++;
                    boolean closed = false;
                    while (p < ext.length()) {
                        char c = ext.charAt(p);
                        if (c == '\\') {
                            p += 2;
                            continue;
                        }
                        p++;
                        if (c == '"') {
                            closed = true;
                            break;
                        }
                        if ((c < 0x20 && c != '\t') || c == 0x7f) {
                            throw new Invalid("control in a chunk extension");
                        }
                    }
                    if (!closed) {
                        throw new Invalid("unterminated quoted chunk extension");
                    }
                } else {
                    int valueStart = p;
                    while (p < ext.length() && isTchar(ext.charAt(p))) {
                        p++;
                    }
                    if (p == valueStart) {
                        throw new Invalid("chunk extension without a value: " + show(ext));
                    }
                }
            }
            p = skipBws(ext, p);
        }
        return size;
    }

    private static int skipBws(String s, int p) {
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    private static long decimal(String value) throws Invalid {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Invalid("Content-Length " + show(value) + " is not 1*DIGIT");
        }
        String digits = value.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 18) {
            // RFC 9110 §8.6: a recipient must not let a numeral overflow into another value
            throw new Invalid("Content-Length " + show(value) + " overflows");
        }
        return Long.parseLong(digits);
    }

    /** The list elements (§5.6.1) of every line of a field, empty elements dropped. */
    private static List<String> listElements(List<Field> fields, String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.lowerName().equals(name)) {
                for (String e : f.value().split(",", -1)) {
                    String t = trimOws(e);
                    if (!t.isEmpty()) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    private static int count(List<Field> fields, String name) {
        return (int) fields.stream().filter(f -> f.lowerName().equals(name)).count();
    }

    /** uri-host [ ":" port ] (RFC 3986 reg-name, IPv4 or bracketed IPv6). */
    private static boolean validHost(String host) {
        return host.matches("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9\\-._~!$&'()*+;=%]*)(:[0-9]*)?");
    }

    private static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A short printable rendering for messages. */
    static String show(String s) {
        return show(s, 80);
    }

    static String show(String s, int limit) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(s.length() > limit ? "...\"" : "\"").toString();
    }
}
