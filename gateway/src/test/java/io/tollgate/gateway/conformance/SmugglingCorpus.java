package io.tollgate.gateway.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The differential corpus: raw request byte-strings for request smuggling and header abuse, generated class by
 * class. Every input carries a valid token (a user of its own, {@code alice-<id>}, so the plan's 60 calls per
 * minute never turn the run into 429s) and a path {@code /mobile/c<id>/...} that says which input an upstream
 * request came from; requests smuggled inside an input carry the same id. The two reported attack requests (class
 * {@code "reported"}) are included verbatim (with alice's own token) and run one at a time, since they carry no id.
 *
 * <p>What each input means is not written here: {@link Http1Parser} in reference mode reads the bytes the way
 * RFC 9112 lets a server read them, and the oracle compares what a proxy forwarded with that reading.
 */
public final class SmugglingCorpus {
    /** One input; {@code serial}: run alone (its requests carry no id). */
    public record Case(int id, String kind, String label, byte[] raw, boolean serial) {
    }

    /** Signs a token for a user and scope, and remembers it for the oracle. */
    public interface Tokens {
        String token(String user, String scope);
    }

    /** What a case's bytes are built from. */
    final class Ctx {
        final int id;

        Ctx(int id) {
            this.id = id;
        }

        String path(String slug) {
            return "/mobile/c" + id + "/" + slug;
        }

        String token() {
            return tokens.token("alice-" + id, "read");
        }

        String token(String scope) {
            return tokens.token("alice-" + id, scope);
        }

        String auth() {
            return "Authorization: Bearer " + token();
        }

        /** Request line, Host, Authorization, X-Request-Id, then {@code lines}, then the empty line. */
        String head(String method, String slug, String... lines) {
            return head(method, path(slug), "HTTP/1.1", true, lines);
        }

        String head(String method, String target, String version, boolean host, String... lines) {
            StringBuilder s = new StringBuilder(method + " " + target + " " + version + "\r\n");
            if (host) {
                s.append("Host: 127.0.0.1\r\n");
            }
            s.append(auth()).append("\r\n");
            s.append("X-Request-Id: nd-").append(id).append("\r\n");
            for (String line : lines) {
                s.append(line);
                // a line given with its own LF or CR keeps it (bare LF / bare CR inputs)
                if (!line.endsWith("\n") && !line.endsWith("\r")) {
                    s.append("\r\n");
                }
            }
            return s.append("\r\n").toString();
        }

        /** A complete request without a token, forging identity: what a smuggler wants the backend to see. */
        String smuggled() {
            return "GET " + path("smuggled") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Authenticated-UserId: bob\r\n"
                    + "X-Authenticated-Scope: read write\r\nX-ApiPlan: premium\r\nContent-Length: 0\r\n\r\n";
        }
    }

    private final Tokens tokens;
    private final List<Case> cases = new ArrayList<>();

    private SmugglingCorpus(Tokens tokens) {
        this.tokens = tokens;
    }

    public static List<Case> build(Tokens tokens) {
        SmugglingCorpus corpus = new SmugglingCorpus(tokens);
        corpus.controls();
        corpus.framing();
        corpus.contentLength();
        corpus.fieldSyntax();
        corpus.chunked();
        corpus.trailers();
        corpus.connectionOptions();
        corpus.versionsAndExpect();
        corpus.targetsAndHost();
        corpus.pipelined();
        corpus.identityHeaders();
        corpus.forwardedHeaders();
        corpus.issueAttacks();
        return List.copyOf(corpus.cases);
    }

    private void add(String kind, String label, java.util.function.Function<Ctx, String> raw) {
        int id = cases.size() + 1;
        cases.add(new Case(id, kind, label, bytes(raw.apply(new Ctx(id))), false));
    }

    private void addSerial(String kind, String label, java.util.function.Function<Ctx, String> raw) {
        int id = cases.size() + 1;
        cases.add(new Case(id, kind, label, bytes(raw.apply(new Ctx(id))), true));
    }

    /** Characters below 256 as one byte each (every control and obs-text byte can be sent). */
    static byte[] bytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * Clean requests both proxies must forward: without them a gateway refusing everything would pass. Bodies
     * ride on GET: the route's plan ({@code basic}) grants {@code read} only, so a POST is refused for its scope
     * (403) whatever its framing, and a refusal teaches nothing about framing.
     */
    private void controls() {
        add(CONTROL, "get", c -> c.head("GET", "ok"));
        add(CONTROL, "get-query", c -> c.head("GET", "ok?a=1&b=2"));
        add(CONTROL, "get-content-length", c -> c.head("GET", "ok", "Content-Length: 5") + "hello");
        add(CONTROL, "get-chunked", c -> c.head("GET", "ok", "Transfer-Encoding: chunked") + "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n");
        add(CONTROL, "get-json-body", c -> c.head("GET", "ok", "Content-Type: application/json", "Content-Length: 11")
                + "{\"hello\":1}");
        add(CONTROL, "keep-alive-two", c -> c.head("GET", "ok1", "Connection: keep-alive") + c.head("GET", "ok2"));
    }

    static final String CONTROL = "control (clean requests)";

    // ---- Transfer-Encoding spellings: each is one or more raw field lines ----

    private static final List<String[]> TE = List.of(
            te("chunked", "Transfer-Encoding: chunked"),
            te("Chunked", "Transfer-Encoding: Chunked"),
            te("CHUNKED", "Transfer-Encoding: CHUNKED"),
            te("lower-name", "transfer-encoding: chunked"),
            te("upper-name", "TRANSFER-ENCODING: chunked"),
            te("no-space", "Transfer-Encoding:chunked"),
            te("spaces", "Transfer-Encoding:   chunked   "),
            te("tab", "Transfer-Encoding:\tchunked"),
            te("trailing-tab", "Transfer-Encoding: chunked\t"),
            te("vt-before", "Transfer-Encoding: \u000bchunked"),
            te("vt-after", "Transfer-Encoding: chunked\u000b"),
            te("ff-before", "Transfer-Encoding: \u000cchunked"),
            te("nul-after", "Transfer-Encoding: chunked\u0000"),
            te("nbsp-after", "Transfer-Encoding: chunked\u00a0"),
            te("chunked-identity", "Transfer-Encoding: chunked, identity"),
            te("identity-chunked", "Transfer-Encoding: identity, chunked"),
            te("gzip-chunked", "Transfer-Encoding: gzip, chunked"),
            te("chunked-chunked", "Transfer-Encoding: chunked, chunked"),
            te("comma-first", "Transfer-Encoding: , chunked"),
            te("two-lines", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"),
            te("then-identity", "Transfer-Encoding: chunked", "Transfer-Encoding: identity"),
            te("identity-then", "Transfer-Encoding: identity", "Transfer-Encoding: chunked"),
            te("then-x", "Transfer-Encoding: chunked", "Transfer-Encoding: x"),
            te("then-empty", "Transfer-Encoding: chunked", "Transfer-Encoding: "),
            te("identity", "Transfer-Encoding: identity"),
            te("xchunked", "Transfer-Encoding: xchunked"),
            te("chunkedx", "Transfer-Encoding: chunkedx"),
            te("chunk", "Transfer-Encoding: chunk"),
            te("quoted", "Transfer-Encoding: \"chunked\""),
            te("param", "Transfer-Encoding: chunked;q=1"),
            te("space-before-colon", "Transfer-Encoding : chunked"),
            te("tab-before-colon", "Transfer-Encoding\t: chunked"),
            te("obs-fold-name", "X-Pad: 1", " Transfer-Encoding: chunked"),
            te("obs-fold-value", "Transfer-Encoding:", " chunked"),
            te("underscore", "Transfer_Encoding: chunked"),
            te("bare-lf", "Transfer-Encoding: chunked\n"),
            te("bare-cr", "Transfer-Encoding: chunked\r", "X-Pad: 1"),
            te("cr-inside", "Transfer-Encoding: \rchunked"));

    private static String[] te(String label, String... lines) {
        String[] out = new String[lines.length + 1];
        out[0] = label;
        System.arraycopy(lines, 0, out, 1, lines.length);
        return out;
    }

    private static String[] opt(String option, String field) {
        return new String[] {option, field};
    }

    private static String[] lines(String[] te, String... more) {
        List<String> out = new ArrayList<>(List.of(te).subList(1, te.length));
        out.addAll(List.of(more));
        return out.toArray(String[]::new);
    }

    /** CL.TE, TE.CL and TE.TE, each Transfer-Encoding spelling in each shape. */
    private void framing() {
        for (String[] te : TE) {
            // CL.TE: a front end reading Content-Length passes the smuggled request on as body; a back end
            // reading chunked ends the body at "0" and takes the rest as a second request
            add("CL.TE", te[0] + "/smuggle", c -> {
                String body = "0\r\n\r\n" + c.smuggled();
                return c.head("GET", "clte", lines(te, "Content-Length: " + body.length())) + body;
            });
            add("CL.TE", te[0] + "/short-cl", c -> c.head("GET", "clte-short", lines(te, "Content-Length: 4"))
                    + "5\r\nhello\r\n0\r\n\r\n");
            // TE.CL: the smuggled request is chunk data; Content-Length covers only the chunk-size line
            add("TE.CL", te[0] + "/smuggle", c -> {
                String inner = c.smuggled();
                String size = Integer.toHexString(inner.length());
                return c.head("GET", "tecl", lines(te, "Content-Length: " + (size.length() + 2)))
                        + size + "\r\n" + inner + "\r\n0\r\n\r\n";
            });
            add("TE.CL", te[0] + "/long-cl", c -> c.head("GET", "tecl-long", lines(te, "Content-Length: 40"))
                    + "5\r\nhello\r\n0\r\n\r\n");
            // TE.TE: a valid chunked beside the obfuscated one, and the obfuscated one alone (no Content-Length)
            add("TE.TE", te[0] + "/beside-chunked", c -> {
                String inner = c.smuggled();
                String size = Integer.toHexString(inner.length());
                return c.head("GET", "tete", lines(te("", "Transfer-Encoding: chunked"),
                        lines(te, "Content-Length: " + (size.length() + 2)))) + size + "\r\n" + inner + "\r\n0\r\n\r\n";
            });
            add("TE.TE", te[0] + "/alone", c -> c.head("GET", "tete-alone", lines(te))
                    + "5\r\nhello\r\n0\r\n\r\n" + c.smuggled());
        }
    }

    private void contentLength() {
        List<String[]> variants = List.of(
                te("5", "Content-Length: 5"),
                te("5-twice", "Content-Length: 5", "Content-Length: 5"),
                te("5-thrice", "Content-Length: 5", "Content-Length: 5", "Content-Length: 5"),
                te("5,5", "Content-Length: 5,5"),
                te("5, 5", "Content-Length: 5, 5"),
                te("5,,5", "Content-Length: 5,,5"),
                te("5,", "Content-Length: 5,"),
                te(",5", "Content-Length: ,5"),
                te("5, 6", "Content-Length: 5, 6"),
                te("6, 5", "Content-Length: 6, 5"),
                te("5-then-6", "Content-Length: 5", "Content-Length: 6"),
                te("6-then-5", "Content-Length: 6", "Content-Length: 5"),
                te("5-then-0", "Content-Length: 5", "Content-Length: 0"),
                te("5 5", "Content-Length: 5 5"),
                te("05", "Content-Length: 05"),
                te("zeros", "Content-Length: 00000000000000000000005"),
                te("+5", "Content-Length: +5"),
                te("-5", "Content-Length: -5"),
                te("0x5", "Content-Length: 0x5"),
                te("5a", "Content-Length: 5a"),
                te("5.0", "Content-Length: 5.0"),
                te("5e0", "Content-Length: 5e0"),
                te("empty", "Content-Length: "),
                te("2^64+5", "Content-Length: 18446744073709551621"),
                te("2^32+5", "Content-Length: 4294967301"),
                te("20-digits", "Content-Length: 99999999999999999999"),
                te("tab-value", "Content-Length:\t5\t"),
                te("vt-value", "Content-Length: \u000b5"),
                te("nul-value", "Content-Length: 5\u0000"),
                te("space-before-colon", "Content-Length : 5"),
                te("lower-name", "content-length: 5"),
                te("upper-name", "CONTENT-LENGTH: 5"),
                te("underscore", "Content_Length: 5"),
                te("obs-fold", "Content-Length:", " 5"),
                te("fold-second", "Content-Length: 5", " 6"));
        for (String[] v : variants) {
            add("Content-Length", v[0] + "/then-smuggle", c -> c.head("GET", "cl", lines(v)) + "hello" + c.smuggled());
            add("Content-Length", v[0] + "/exact", c -> c.head("GET", "cl-exact", lines(v)) + "hello");
        }
    }

    /** Space before the colon, obs-fold, bare CR, bare LF, NUL and other controls, request-line anomalies. */
    private void fieldSyntax() {
        List<String[]> lines = List.of(
                te("space-before-colon/host", "Host : 127.0.0.1"),
                te("space-before-colon/x", "X-Note : 1"),
                te("space-before-colon/identity", "X-Authenticated-UserId : bob"),
                te("tab-before-colon/identity", "X-ApiPlan\t: premium"),
                te("space-before-colon/authorization", "Authorization : Bearer forged"),
                te("obs-fold/x", "X-Note: a", " b"),
                te("obs-fold/tab", "X-Note: a", "\tb"),
                te("obs-fold/identity", "X-Note: a", " X-Authenticated-UserId: bob"),
                te("obs-fold/identity-value", "X-Authenticated-UserId: bob", " eve"),
                te("obs-fold/empty-first", "X-Note:", " a"),
                te("bare-cr/value", "X-Note: a\rX-Authenticated-UserId: bob"),
                te("bare-cr/end", "X-Note: a\r", "X-Pad: 1"),
                te("bare-cr/name", "X-\rNote: a"),
                te("bare-lf/one-line", "X-Note: a\n"),
                te("bare-lf/identity", "X-Note: a\nX-Authenticated-UserId: bob"),
                te("bare-lf/cl", "Content-Length: 5\n"),
                te("nul/value", "X-Note: a\u0000b"),
                te("nul/name", "X-No\u0000te: a"),
                te("nul/identity", "X-Authenticated-UserId: \u0000bob"),
                te("ctl/vt", "X-Note: a\u000bb"),
                te("ctl/ff", "X-Note: a\u000cb"),
                te("ctl/del", "X-Note: a\u007fb"),
                te("ctl/esc", "X-Note: a\u001bb"),
                te("obs-text/value", "X-Note: caf\u00e9"),
                te("name/space", "X Note: a"),
                te("name/paren", "X(Note): a"),
                te("name/empty", ": a"),
                te("name/no-colon", "X-Note a"),
                te("name/non-ascii", "X-N\u00f6te: a"),
                te("name/slash", "X/Note: a"),
                te("name/at", "X@Note: a"),
                te("value/long", "X-Note: " + "a".repeat(6000)));
        for (String[] l : lines) {
            add("field syntax", l[0], c -> c.head("GET", "fs", lines(l)));
        }
        // whitespace-preceded line right after the request line (RFC 9112 §2.2)
        add("field syntax", "ws-line/first", c -> "GET " + c.path("ws") + " HTTP/1.1\r\n X-Authenticated-UserId: bob\r\n"
                + "Host: 127.0.0.1\r\n" + c.auth() + "\r\n\r\n");
        add("field syntax", "ws-line/first-host", c -> "GET " + c.path("ws") + " HTTP/1.1\r\n Host: evil\r\n"
                + "Host: 127.0.0.1\r\n" + c.auth() + "\r\n\r\n");
        // all lines ended by a bare LF
        add("field syntax", "bare-lf/all", c -> c.head("GET", "lf").replace("\r\n", "\n"));
        add("field syntax", "bare-lf/all-with-body", c -> c.head("GET", "lf-body", "Content-Length: 5").replace("\r\n", "\n")
                + "hello");
        add("field syntax", "bare-cr/all", c -> c.head("GET", "cr").replace("\r\n", "\r"));
        // request-line anomalies
        List<BiFunction<Ctx, String, String>> requestLines = List.of(
                (c, p) -> "GET  " + p + " HTTP/1.1",
                (c, p) -> "GET\t" + p + " HTTP/1.1",
                (c, p) -> "GET " + p + " HTTP/1.1 ",
                (c, p) -> " GET " + p + " HTTP/1.1",
                (c, p) -> "GET " + p + " http/1.1",
                (c, p) -> "GET " + p + " HTTP/1.2",
                (c, p) -> "GET " + p + " HTTP/2.0",
                (c, p) -> "GET " + p + " HTTP/1.1\u0000",
                (c, p) -> "GET " + p,
                (c, p) -> "GET " + p + "#frag HTTP/1.1",
                (c, p) -> "GET " + p + "?a=b c HTTP/1.1",
                (c, p) -> "GET " + p + "\u0000x HTTP/1.1",
                (c, p) -> "GET " + p + "\u00e9 HTTP/1.1",
                (c, p) -> "get " + p + " HTTP/1.1",
                (c, p) -> "G(T " + p + " HTTP/1.1",
                (c, p) -> "\r\nGET " + p + " HTTP/1.1");
        String[] names = {"double-space", "tab", "trailing-space", "leading-space", "lower-version", "HTTP/1.2",
                "HTTP/2.0", "nul-after-version", "no-version", "fragment", "space-in-target", "nul-in-target",
                "non-ascii-target", "lower-method", "method-paren", "leading-crlf"};
        for (int i = 0; i < requestLines.size(); i++) {
            BiFunction<Ctx, String, String> line = requestLines.get(i);
            add("request line", names[i], c -> line.apply(c, c.path("rl")) + "\r\nHost: 127.0.0.1\r\n" + c.auth()
                    + "\r\n\r\n");
        }
    }

    private void chunked() {
        List<String[]> bodies = List.of(
                te("one-chunk", "5\r\nhello\r\n0\r\n\r\n"),
                te("two-chunks", "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"),
                te("upper-hex", "A\r\n0123456789\r\n0\r\n\r\n"),
                te("leading-zeros", "0005\r\nhello\r\n0000\r\n\r\n"),
                te("many-zeros", "00000000000000000000005\r\nhello\r\n0\r\n\r\n"),
                te("overflow-64", "10000000000000005\r\nhello\r\n0\r\n\r\n"),
                te("overflow-ff", "ffffffffffffffff5\r\nhello\r\n0\r\n\r\n"),
                te("overflow-32", "100000005\r\nhello\r\n0\r\n\r\n"),
                te("0x-prefix", "0x5\r\nhello\r\n0\r\n\r\n"),
                te("plus", "+5\r\nhello\r\n0\r\n\r\n"),
                te("minus", "-5\r\nhello\r\n0\r\n\r\n"),
                te("space-before-size", " 5\r\nhello\r\n0\r\n\r\n"),
                te("space-after-size", "5 \r\nhello\r\n0\r\n\r\n"),
                te("tab-after-size", "5\t\r\nhello\r\n0\r\n\r\n"),
                te("no-size", "\r\nhello\r\n0\r\n\r\n"),
                te("ext-name", "5;a\r\nhello\r\n0\r\n\r\n"),
                te("ext-value", "5;a=b\r\nhello\r\n0\r\n\r\n"),
                te("ext-quoted", "5;a=\"b c\"\r\nhello\r\n0\r\n\r\n"),
                te("ext-bws", "5 ; a = b\r\nhello\r\n0\r\n\r\n"),
                te("ext-two", "5;a=b;c\r\nhello\r\n0;z\r\n\r\n"),
                te("ext-unterminated", "5;a=\"b\r\nhello\r\n0\r\n\r\n"),
                te("ext-no-name", "5;=b\r\nhello\r\n0\r\n\r\n"),
                te("ext-space-in-value", "5;a=b c\r\nhello\r\n0\r\n\r\n"),
                te("ext-bare-lf", "5;a\nhello\r\n0\r\n\r\n"),
                te("ext-long", "5;a=" + "b".repeat(10_000) + "\r\nhello\r\n0\r\n\r\n"),
                te("ext-cr", "5;a\rb\r\nhello\r\n0\r\n\r\n"),
                te("size-bare-lf", "5\nhello\n0\n\n"),
                te("data-longer", "3\r\nhello\r\n0\r\n\r\n"),
                te("data-shorter", "7\r\nhello\r\n0\r\n\r\n"),
                te("data-no-crlf", "5\r\nhello0\r\n\r\n"),
                te("data-bare-lf", "5\r\nhello\n0\r\n\r\n"),
                te("last-lf-only", "5\r\nhello\r\n0\r\n\n"),
                te("last-missing-crlf", "5\r\nhello\r\n0\r\n"),
                te("zero-then-more", "0\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                te("hex-g", "5g\r\nhello\r\n0\r\n\r\n"),
                te("big-chunk", Integer.toHexString(70_000) + "\r\n" + "x".repeat(70_000) + "\r\n0\r\n\r\n"));
        for (String[] b : bodies) {
            add("chunked", b[0], c -> c.head("GET", "ch", "Transfer-Encoding: chunked") + b[1]);
        }
    }

    private void trailers() {
        List<String[]> trailers = List.of(
                te("plain", "X-Note: a"),
                te("identity", "X-Authenticated-UserId: bob"),
                te("identity-all", "X-Authenticated-UserId: bob", "X-Authenticated-Scope: read write",
                        "X-ApiPlan: premium", "X-Consumer-Username: evil", "X-Credential-Identifier: evil",
                        "X-Consumer-Custom-ID: evil"),
                te("identity-lower", "x-authenticated-userid: bob"),
                te("identity-underscore", "X_Authenticated_UserId: bob"),
                te("consumer-id", "X-Consumer-ID: evil"),
                te("anonymous", "X-Anonymous-Consumer: true"),
                te("content-length", "Content-Length: 50"),
                te("transfer-encoding", "Transfer-Encoding: chunked"),
                te("host", "Host: evil.example"),
                te("authorization", "Authorization: Bearer forged"),
                te("forwarded", "X-Forwarded-For: 203.0.113.66"),
                te("connection", "Connection: close"),
                te("space-before-colon", "X-Note : a"),
                te("obs-fold", "X-Note: a", " X-Authenticated-UserId: bob"),
                te("bare-lf", "X-Authenticated-UserId: bob\n"),
                te("nul", "X-Note: a\u0000"),
                te("no-colon", "X-Note"));
        for (String[] t : trailers) {
            add("trailers", t[0], c -> {
                StringBuilder body = new StringBuilder("5\r\nhello\r\n0\r\n");
                for (String line : lines(t)) {
                    body.append(line).append(line.endsWith("\n") ? "" : "\r\n");
                }
                return c.head("GET", "tr", "Transfer-Encoding: chunked", "Trailer: X-Note") + body + "\r\n";
            });
        }
    }

    /** Every Connection option of the reported attacks, and more, with and without the named field present. */
    private void connectionOptions() {
        List<String[]> options = List.of(
                opt("Content-Length", "Content-Length: 5"),
                opt("Transfer-Encoding", "Transfer-Encoding: chunked"),
                opt("Host", null),
                opt("Authorization", null),
                opt("X-Authenticated-UserId", null),
                opt("X-Authenticated-Scope", null),
                opt("X-Credential-Identifier", null),
                opt("X-Consumer-Custom-ID", null),
                opt("X-Consumer-Username", null),
                opt("X-ApiPlan", null),
                opt("X-Consumer-ID", "X-Consumer-ID: evil"),
                opt("X-Anonymous-Consumer", "X-Anonymous-Consumer: true"),
                opt("X-Forwarded-For", "X-Forwarded-For: 203.0.113.66"),
                opt("X-Forwarded-Host", "X-Forwarded-Host: forged.example"),
                opt("X-Forwarded-Proto", "X-Forwarded-Proto: https"),
                opt("X-Forwarded-Port", "X-Forwarded-Port: 6666"),
                opt("Forwarded", "Forwarded: for=203.0.113.66"),
                opt("X-Request-Id", null),
                opt("keep-alive", "Keep-Alive: timeout=5"),
                opt("close", null),
                opt("Upgrade", "Upgrade: websocket"),
                opt("TE", "TE: trailers"),
                opt("Trailer", "Trailer: X-Note"),
                opt("Expect", "Expect: 100-continue"),
                opt("Content-Type", "Content-Type: text/plain"),
                opt("Cookie", "Cookie: a=b"),
                opt("User-Agent", "User-Agent: t"),
                opt("Proxy-Authorization", "Proxy-Authorization: Basic eDp5"),
                opt("keep-alive, Content-Length", "Content-Length: 5"),
                opt("X-Authenticated-UserId, X-ApiPlan", null),
                opt("x-authenticated-userid", null),
                opt("X-APIPLAN", null),
                opt("close, Host", null),
                opt(" Content-Length ", "Content-Length: 5"));
        for (String[] o : options) {
            String option = o[0];
            String field = o[1];
            boolean body = field != null && (field.startsWith("Content-Length") || field.startsWith("Transfer-Encoding"));
            String payload = field == null || !body ? "" : field.startsWith("Content-Length") ? "hello"
                    : "5\r\nhello\r\n0\r\n\r\n";
            add("Connection option", option.trim() + (field == null ? "" : "/with-field"), c -> {
                List<String> ls = new ArrayList<>();
                ls.add("Connection: " + option);
                if (field != null) {
                    ls.add(field);
                }
                return c.head("GET", "co", ls.toArray(String[]::new)) + payload;
            });
            // the option in a second Connection line, after a keep-alive one
            add("Connection option", option.trim() + "/second-line", c -> {
                List<String> ls = new ArrayList<>(List.of("Connection: keep-alive", "Connection: " + option));
                if (field != null) {
                    ls.add(field);
                }
                return c.head("GET", "co2", ls.toArray(String[]::new)) + payload;
            });
        }
    }

    private void versionsAndExpect() {
        add("HTTP/1.0", "keep-alive", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true, "Connection: keep-alive"));
        add("HTTP/1.0", "keep-alive/no-host", c -> c.head("GET", c.path("v10"), "HTTP/1.0", false, "Connection: keep-alive"));
        add("HTTP/1.0", "plain", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true));
        add("HTTP/1.0", "keep-alive/pipelined", c -> c.head("GET", c.path("v10a"), "HTTP/1.0", true, "Connection: keep-alive")
                + c.head("GET", c.path("v10b"), "HTTP/1.0", true, "Connection: keep-alive"));
        add("HTTP/1.0", "close/pipelined", c -> c.head("GET", c.path("v10a"), "HTTP/1.0", true)
                + c.head("GET", c.path("v10b"), "HTTP/1.0", true, "Connection: keep-alive"));
        add("HTTP/1.0", "keep-alive/body", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true, "Connection: keep-alive",
                "Content-Length: 5") + "hello");
        add("HTTP/1.0", "keep-alive/chunked", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true, "Connection: keep-alive",
                "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n");
        add("HTTP/1.0", "keep-alive/chunked-and-cl", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true,
                "Connection: keep-alive", "Transfer-Encoding: chunked", "Content-Length: 5") + "0\r\n\r\n" + c.smuggled());
        add("HTTP/1.0", "keep-alive/Content-Length-option", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true,
                "Connection: keep-alive, Content-Length", "Content-Length: 5") + "hello");
        add("HTTP/1.0", "Keep-Alive-header", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true, "Connection: Keep-Alive",
                "Keep-Alive: timeout=5, max=100"));
        add("HTTP/1.0", "keep-alive/then-smuggle", c -> c.head("GET", c.path("v10"), "HTTP/1.0", true,
                "Connection: keep-alive") + c.smuggled());

        add("Expect", "100-continue/cl", c -> c.head("GET", "ex", "Expect: 100-continue", "Content-Length: 5") + "hello");
        add("Expect", "100-Continue/case", c -> c.head("GET", "ex", "Expect: 100-Continue", "Content-Length: 5") + "hello");
        add("Expect", "100-continue/chunked", c -> c.head("GET", "ex", "Expect: 100-continue", "Transfer-Encoding: chunked")
                + "5\r\nhello\r\n0\r\n\r\n");
        add("Expect", "100-continue/no-body", c -> c.head("GET", "ex", "Expect: 100-continue"));
        add("Expect", "100-continue/post", c -> "POST " + c.path("ex") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + c.token("read write") + "\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
        add("Expect", "unknown", c -> c.head("GET", "ex", "Expect: 200-ok", "Content-Length: 5") + "hello");
        add("Expect", "100-continue/http10", c -> c.head("GET", c.path("ex"), "HTTP/1.0", true, "Expect: 100-continue",
                "Content-Length: 5") + "hello");
        add("Expect", "100-continue/cl-te", c -> c.head("GET", "ex", "Expect: 100-continue", "Content-Length: 5",
                "Transfer-Encoding: chunked") + "0\r\n\r\n" + c.smuggled());
        add("Expect", "100-continue/then-smuggle", c -> c.head("GET", "ex", "Expect: 100-continue", "Content-Length: 5")
                + "hello" + c.smuggled());
    }

    private void targetsAndHost() {
        add("target form", "absolute", c -> c.head("GET", "http://127.0.0.1" + c.path("abs"), "HTTP/1.1", true));
        add("target form", "absolute/other-host", c -> c.head("GET", "http://evil.example" + c.path("abs"), "HTTP/1.1", true));
        add("target form", "absolute/upper-scheme", c -> c.head("GET", "HTTP://127.0.0.1" + c.path("abs"), "HTTP/1.1", true));
        add("target form", "absolute/https", c -> c.head("GET", "https://127.0.0.1" + c.path("abs"), "HTTP/1.1", true));
        add("target form", "absolute/userinfo", c -> c.head("GET", "http://bob@127.0.0.1" + c.path("abs"), "HTTP/1.1", true));
        add("target form", "absolute/query", c -> c.head("GET", "http://127.0.0.1" + c.path("abs") + "?a=1", "HTTP/1.1", true));
        add("target form", "absolute/no-host-field", c -> c.head("GET", "http://127.0.0.1" + c.path("abs"), "HTTP/1.1", false));
        add("target form", "absolute/ftp", c -> c.head("GET", "ftp://127.0.0.1" + c.path("abs"), "HTTP/1.1", true));
        add("target form", "authority/get", c -> c.head("GET", "127.0.0.1:80", "HTTP/1.1", true));
        add("target form", "authority/connect", c -> c.head("CONNECT", "127.0.0.1:80", "HTTP/1.1", true));
        add("target form", "asterisk/options", c -> c.head("OPTIONS", "*", "HTTP/1.1", true));
        add("target form", "asterisk/get", c -> c.head("GET", "*", "HTTP/1.1", true));
        add("target form", "no-slash", c -> c.head("GET", c.path("x").substring(1), "HTTP/1.1", true));
        add("target form", "double-slash", c -> c.head("GET", "/" + c.path("x"), "HTTP/1.1", true));

        add("Host", "conflicting", c -> c.head("GET", "host", "Host: evil.example"));
        add("Host", "duplicate-same", c -> c.head("GET", "host", "Host: 127.0.0.1"));
        add("Host", "missing", c -> c.head("GET", c.path("host"), "HTTP/1.1", false));
        add("Host", "list", c -> c.head("GET", c.path("host"), "HTTP/1.1", false, "Host: 127.0.0.1, evil.example"));
        add("Host", "space", c -> c.head("GET", c.path("host"), "HTTP/1.1", false, "Host: 127.0.0.1 evil"));
        add("Host", "userinfo", c -> c.head("GET", c.path("host"), "HTTP/1.1", false, "Host: bob@127.0.0.1"));
        add("Host", "path", c -> c.head("GET", c.path("host"), "HTTP/1.1", false, "Host: 127.0.0.1/x"));
        add("Host", "empty", c -> c.head("GET", c.path("host"), "HTTP/1.1", false, "Host: "));
        add("Host", "underscore-name", c -> c.head("GET", "host", "Ho_st: evil.example"));
        add("Host", "case-duplicate", c -> c.head("GET", "host", "host: evil.example"));
        add("Host", "conflicts-absolute", c -> c.head("GET", "http://127.0.0.1" + c.path("host"), "HTTP/1.1", false,
                "Host: evil.example"));
        add("Host", "port-garbage", c -> c.head("GET", c.path("host"), "HTTP/1.1", false, "Host: 127.0.0.1:80x"));
    }

    private void pipelined() {
        add("pipelined", "two", c -> c.head("GET", "p1") + c.head("GET", "p2"));
        add("pipelined", "three", c -> c.head("GET", "p1") + c.head("GET", "p2") + c.head("GET", "p3"));
        add("pipelined", "then-untokened-forgery", c -> c.head("GET", "p1") + c.smuggled());
        add("pipelined", "then-tokened-forgery", c -> c.head("GET", "p1") + c.head("GET", "p2",
                "X-Authenticated-UserId: bob", "X-ApiPlan: premium"));
        add("pipelined", "bodies", c -> c.head("GET", "p1", "Content-Length: 5") + "hello"
                + c.head("GET", "p2", "Transfer-Encoding: chunked") + "3\r\nabc\r\n0\r\n\r\n");
        add("pipelined", "close-then-more", c -> c.head("GET", "p1", "Connection: close") + c.head("GET", "p2"));
        add("pipelined", "then-invalid", c -> c.head("GET", "p1") + "GET " + c.path("p2") + " HTTP/1.1\r\nHost : x\r\n\r\n");
        add("pipelined", "then-cl-te", c -> {
            String body = "0\r\n\r\n" + c.smuggled();
            return c.head("GET", "p1") + c.head("GET", "p2", "Content-Length: " + body.length(),
                    "Transfer-Encoding: chunked") + body;
        });
        add("pipelined", "then-http10", c -> c.head("GET", "p1") + c.head("GET", c.path("p2"), "HTTP/1.0", true));
        add("pipelined", "then-partial", c -> c.head("GET", "p1") + "GET " + c.path("p2") + " HTTP/1.1\r\nHost: 1");
        add("pipelined", "post-bodies", c -> "POST " + c.path("p1") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + c.token("read write") + "\r\nContent-Length: 3\r\n\r\nabc" + "POST " + c.path("p2")
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + c.token("read write")
                + "\r\nContent-Length: 3\r\n\r\ndef");
        add("pipelined", "after-body-overrun", c -> c.head("GET", "p1", "Content-Length: 2") + "hello" + c.head("GET", "p2"));
    }

    /** Forged identity headers of every family, in every spelling, each with a valid token. */
    private void identityHeaders() {
        List<String> names = List.of("X-Authenticated-UserId", "X-Authenticated-Scope", "X-Authenticated-Groups",
                "X-Authenticated-Client", "X-Consumer-ID", "X-Consumer-Custom-ID", "X-Consumer-Username",
                "X-Consumer-Groups", "X-Credential-Identifier", "X-Credential-Username", "X-Anonymous-Consumer",
                "X-Anonymous-Groups", "X-ApiPlan");
        for (String name : names) {
            String value = name.equals("X-Authenticated-Scope") ? "read write admin" : name.equals("X-ApiPlan")
                    ? "premium" : "forged-" + name.toLowerCase(java.util.Locale.ROOT);
            add("identity forgery", name + "/as-is", c -> c.head("GET", "id", name + ": " + value));
            add("identity forgery", name + "/lower", c -> c.head("GET", "id", name.toLowerCase(java.util.Locale.ROOT) + ": " + value));
            add("identity forgery", name + "/upper", c -> c.head("GET", "id", name.toUpperCase(java.util.Locale.ROOT) + ": " + value));
            add("identity forgery", name + "/underscores", c -> c.head("GET", "id", name.replace('-', '_') + ": " + value));
            add("identity forgery", name + "/one-underscore", c -> c.head("GET", "id", name.replaceFirst("-", "_") + ": " + value));
            add("identity forgery", name + "/twice", c -> c.head("GET", "id", name + ": " + value, name + ": " + value + "2"));
            add("identity forgery", name + "/empty", c -> c.head("GET", "id", name + ":"));
        }
    }

    private void forwardedHeaders() {
        List<String[]> forged = List.of(
                te("xff", "X-Forwarded-For: 203.0.113.66"),
                te("xff-list", "X-Forwarded-For: 203.0.113.66, 10.0.0.1"),
                te("xff-twice", "X-Forwarded-For: 203.0.113.66", "X-Forwarded-For: 10.0.0.1"),
                te("xff-lower", "x-forwarded-for: 203.0.113.66"),
                te("xff-underscore", "X_Forwarded_For: 203.0.113.66"),
                te("xfh", "X-Forwarded-Host: forged.example"),
                te("xfh-underscore", "X_Forwarded_Host: forged.example"),
                te("xfp", "X-Forwarded-Proto: https"),
                te("xfp-underscore", "X_Forwarded_Proto: https"),
                te("xfport", "X-Forwarded-Port: 6666"),
                te("forwarded", "Forwarded: for=203.0.113.66;host=forged.example;proto=https"),
                te("forwarded-twice", "Forwarded: for=203.0.113.66", "Forwarded: for=\"[2001:db8::66]\""),
                te("forwarded-lower", "forwarded: for=203.0.113.66"),
                te("all", "X-Forwarded-For: 203.0.113.66", "X-Forwarded-Host: forged.example",
                        "X-Forwarded-Proto: https", "X-Forwarded-Port: 6666", "Forwarded: for=203.0.113.66"));
        for (String[] f : forged) {
            add("forwarded forgery", f[0], c -> c.head("GET", "fwd", lines(f)));
        }
    }

    /** The two reported attack requests verbatim (CRLF line ends, alice's real token), and completed variants. */
    private void issueAttacks() {
        String smuggled = "POST /mobile/smuggled HTTP/1.1\r\nHost: x\r\nX-Authenticated-UserId: bob\r\n"
                + "X-Authenticated-Scope: read write\r\nX-ApiPlan: premium\r\nContent-Length: 0\r\n";
        addSerial("reported", "verbatim/connection-content-length", c -> "GET /mobile/hello HTTP/1.1\r\nAuthorization: Bearer "
                + tokens.token("alice", "read") + "\r\nConnection: keep-alive, Content-Length\r\nContent-Length: 125\r\n\r\n"
                + smuggled);
        addSerial("reported", "with-host/connection-content-length", c -> "GET /mobile/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + tokens.token("alice", "read")
                + "\r\nConnection: keep-alive, Content-Length\r\nContent-Length: 125\r\n\r\n" + smuggled);
        addSerial("reported", "with-host/exact-length", c -> "GET /mobile/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + tokens.token("alice", "read")
                + "\r\nConnection: keep-alive, Content-Length\r\nContent-Length: " + (smuggled.length() + 2) + "\r\n\r\n"
                + smuggled + "\r\n");
        addSerial("reported", "verbatim/connection-identity", c -> "GET /mobile/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + tokens.token("alice", "read")
                + "\r\nConnection: X-Authenticated-UserId, X-ApiPlan\r\n\r\n");
    }
}
