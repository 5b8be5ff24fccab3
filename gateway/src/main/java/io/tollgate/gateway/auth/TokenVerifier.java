package io.tollgate.gateway.auth;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tollgate.gateway.core.TokenText;
import io.tollgate.gateway.core.VerifiedToken;
import io.tollgate.shared.auth.ClientTokens;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies RFC 9068 access tokens with Nimbus: algorithm allow-list, {@code typ} at+jwt, exact issuer, the
 * route's API in {@code aud}, required claims, a named clock skew. Verified tokens are cached by the
 * SHA-256 of the token (never the token itself) until they expire; the cache is bounded.
 */
public final class TokenVerifier {
    /**
     * Claims every access token must carry (RFC 9068 §2.2 plus Tollgate's client_id and scope). A user token also
     * carries {@code sid}; a client token instead the {@link ClientTokens} marks (checked in {@code toVerified}).
     */
    public static final Set<String> REQUIRED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id",
            "scope");
    /** RFC 9068 §4: {@code at+jwt}; the long form {@code application/at+jwt} is the same type. */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /** One processor per API (its audience), made on the API's first request: routes come and go at run time. */
    private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new ConcurrentHashMap<>();
    private final JwsVerification signatures;
    private final String issuer;
    /** Verified tokens by key; the value is the answer itself, so a hit allocates nothing. */
    private final Cache<Key, Result> cache;
    private final Counter hits;
    private final Counter misses;
    private final long skewSeconds;

    public TokenVerifier(JwksKeySource keys, String issuer, Collection<String> algorithms, Duration clockSkew,
                         long cacheSize, MetricRegistry metrics) {
        this.skewSeconds = clockSkew.toSeconds();
        this.issuer = issuer;
        this.signatures = new JwsVerification(keys, algorithms);
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).expireAfter(new Expiry<Key, Result>() {
            @Override
            public long expireAfterCreate(Key key, Result value, long currentTime) {
                return Math.max(0, value.token().expiresAt() * 1_000_000_000L - System.currentTimeMillis() * 1_000_000L);
            }

            @Override
            public long expireAfterUpdate(Key key, Result value, long currentTime, long currentDuration) {
                return currentDuration;
            }

            @Override
            public long expireAfterRead(Key key, Result value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
        this.hits = metrics.counter("gateway.tokens.cache.hits");
        this.misses = metrics.counter("gateway.tokens.cache.misses");
    }

    /**
     * The cache key: the route's API and the token's SHA-256 as four longs, never the token. Hashing and
     * comparing it costs a few multiplications; the Base64 string key it replaces cost a string build, a
     * 43-character hash and a character-by-character comparison per request. A lookup uses its thread's own key,
     * filled in place (a cache hit allocates nothing); the cache only ever holds a {@link #copy}.
     */
    static final class Key {
        private String api;
        private long d0;
        private long d1;
        private long d2;
        private long d3;

        Key(String api, long d0, long d1, long d2, long d3) {
            set(api, d0, d1, d2, d3);
        }

        private void set(String api, long d0, long d1, long d2, long d3) {
            this.api = api;
            this.d0 = d0;
            this.d1 = d1;
            this.d2 = d2;
            this.d3 = d3;
        }

        /** A key of its own with this one's value, for the cache to hold. */
        Key copy() {
            return new Key(api, d0, d1, d2, d3);
        }

        long d0() {
            return d0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && d0 == k.d0 && d1 == k.d1 && d2 == k.d2 && d3 == k.d3 && api.equals(k.api);
        }

        @Override
        public int hashCode() {
            return api.hashCode() * 31 + Long.hashCode(d0); // d0: 64 bits of SHA-256, uniform
        }

        @Override
        public String toString() {
            return "Key[api=" + api + ", sha256=" + Long.toHexString(d0) + "...]";
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** One digest and its buffers per thread (the event loops): no allocation per request. */
    private static final class Digester {
        private final MessageDigest sha256;
        private byte[] in = new byte[1024];
        private final byte[] out = new byte[32];
        /** The key of this thread's lookups, refilled by each {@link #key}. */
        private final Key lookup = new Key(null, 0, 0, 0, 0);

        Digester() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The thread's lookup key, filled with {@code api} and the digest of {@code [from, to)} of {@code text}; null
         * when a character is outside ASCII (no compact JWS is). So the digest is of the token's exact characters,
         * one byte each: a key equal to a cached one is the key of the same token (SHA-256 has no known collision).
         */
        Key key(String api, String text, int from, int to) {
            int n = to - from;
            if (in.length < n) {
                in = new byte[Math.max(n, in.length * 2)];
            }
            byte[] bytes = in;
            int seen = 0;
            for (int i = 0; i < n; i++) { // no branch per character: this runs on every request
                char c = text.charAt(from + i);
                seen |= c;
                bytes[i] = (byte) c;
            }
            if (seen >= 0x80) {
                java.util.Arrays.fill(bytes, 0, n, (byte) 0);
                return null;
            }
            sha256.update(bytes, 0, n);
            java.util.Arrays.fill(in, 0, n, (byte) 0); // the buffer outlives the request: it keeps no token
            try {
                sha256.digest(out, 0, out.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            lookup.set(api, (long) LONGS.get(out, 0), (long) LONGS.get(out, 8), (long) LONGS.get(out, 16),
                    (long) LONGS.get(out, 24));
            return lookup;
        }
    }

    private static final ThreadLocal<Digester> DIGESTERS = ThreadLocal.withInitial(Digester::new);

    /** The cache key of {@code token} (an ASCII compact JWS) for {@code api}: a key of its own. */
    static Key key(String api, String token) {
        return DIGESTERS.get().key(api, token, 0, token.length()).copy();
    }

    /** The outcome: a token, or why it is refused; {@link #KEYS_NOT_CACHED} when only a key fetch could tell. */
    public record Result(VerifiedToken token, Refusal refusal) {
        /** A {@link #verifyCached} that needs the issuer's keys fetched: verify again where blocking is allowed. */
        public static final Result KEYS_NOT_CACHED = new Result(null, null);

        static Result refused(Refusal refusal) {
            return new Result(null, refusal);
        }

        /** The RFC 6750 {@code error_description} of a refusal, safe to show the client. */
        public String failure() {
            return refusal == null ? null : refusal.description();
        }
    }

    /** The processor that accepts tokens for {@code api} only (in {@code aud}). */
    private DefaultJWTProcessor<SecurityContext> processor(String api) {
        DefaultJWTProcessor<SecurityContext> processor = processors.get(api);
        return processor != null ? processor : processors.computeIfAbsent(api, this::newProcessor);
    }

    private DefaultJWTProcessor<SecurityContext> newProcessor(String api) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AT_JWT,
                new JOSEObjectType("application/at+jwt")));
        signatures.applyTo(processor);
        processor.setJWTClaimsSetVerifier(new AccessTokenClaimsVerifier(api, issuer, REQUIRED_CLAIMS, skewSeconds));
        return processor;
    }

    /** Verifies {@code token} for {@code api}, the API of the route the request matched; may fetch keys (blocks). */
    public Result verify(String token, String api) {
        return verify(new TokenText(token, 0, token.length()), api, null);
    }

    /** {@link #verify(String, String)} of a token read in place. */
    public Result verify(TokenText token, String api) {
        return verify(token, api, null);
    }

    /**
     * {@link #verify} without blocking, for the event loop: with the cached keys only, or
     * {@link Result#KEYS_NOT_CACHED} when the token names a key that only a fetch could find.
     */
    public Result verifyCached(String token, String api) {
        return verify(new TokenText(token, 0, token.length()), api, JwksKeySource.CACHED_ONLY);
    }

    /**
     * {@link #verifyCached(String, String)} of a token read in place (in the {@code Authorization} value): a
     * verified-token cache hit never copies it out.
     */
    public Result verifyCached(TokenText token, String api) {
        return verify(token, api, JwksKeySource.CACHED_ONLY);
    }

    /**
     * Only a token that was verified is cached, and a key names one token exactly ({@link Digester#key}): a cache
     * hit is a well-formed token, so the syntax is checked on a miss only, before anything parses the token.
     */
    private Result verify(TokenText text, String api, SecurityContext context) {
        Key lookup = DIGESTERS.get().key(api, text.text(), text.from(), text.to());
        if (lookup == null) {
            return Result.refused(Refusal.MALFORMED);
        }
        Result cached = cache.getIfPresent(lookup);
        if (cached != null && cached.token().expiresAt() * 1000 > System.currentTimeMillis()) {
            hits.inc();
            return cached;
        }
        if (!JwsVerification.isWellFormed(text.text(), text.from(), text.to())) {
            return Result.refused(Refusal.MALFORMED);
        }
        Key key = lookup.copy(); // before anything else on this thread can refill the lookup key
        DefaultJWTProcessor<SecurityContext> processor = processor(api);
        Result result = process(processor, text.token(), context);
        if (result != Result.KEYS_NOT_CACHED) {
            misses.inc();
        }
        if (result.token() != null) {
            cache.put(key, result);
        }
        return result;
    }

    /** The verdict of Nimbus and of the gateway's own checks, told apart by the exception's type. */
    private static Result process(DefaultJWTProcessor<SecurityContext> processor, String token,
                                  SecurityContext context) {
        try {
            return new Result(toVerified(processor.process(token, context)), null);
        } catch (RefusedTokenException e) {
            return Result.refused(e.refusal());
        } catch (KeysNotCachedException e) {
            return Result.KEYS_NOT_CACHED;
        } catch (BadJWTException e) {
            return Result.refused(Refusal.INVALID); // a payload that is not a JWT claims set
        } catch (BadJOSEException e) {
            return Result.refused(Refusal.SIGNATURE_OR_TYPE);
        } catch (ParseException e) {
            return Result.refused(Refusal.MALFORMED);
        } catch (Exception e) {
            return Result.refused(Refusal.UNVERIFIABLE);
        }
    }

    /** Three non-empty unpadded base64url segments: see {@link JwsVerification#isWellFormed}. */
    static boolean isCompactJws(String token) {
        return JwsVerification.isWellFormed(token);
    }

    private static VerifiedToken toVerified(JWTClaimsSet claims) throws ParseException, RefusedTokenException {
        String scope = claims.getStringClaim("scope");
        String clientId = claims.getStringClaim("client_id");
        String sid = claims.getStringClaim("sid");
        String subject = claims.getSubject();
        String jti = claims.getJWTID();
        Date iat = claims.getIssueTime();
        Date exp = claims.getExpirationTime();
        Object grantType = claims.getClaim(ClientTokens.GRANT_TYPE_CLAIM);
        // A client token has the mark, no sid, and sub = client_id; a user token has a sid and no mark. Anything
        // in between is neither, and refused: no user token may pass for a client's, nor the reverse.
        boolean clientToken = grantType != null;
        if (clientToken && (!ClientTokens.CLIENT_CREDENTIALS.equals(grantType) || sid != null
                || subject == null || !subject.equals(clientId))) {
            throw new RefusedTokenException(Refusal.INVALID);
        }
        if (scope == null || !scope.isBlank() && blank(scope) || blank(clientId) || !clientToken && blank(sid)
                || blank(subject) || blank(jti) || iat == null || exp == null) {
            throw new RefusedTokenException(Refusal.MISSING_CLAIMS);
        }
        Set<String> scopes = new HashSet<>(List.of(scope.trim().split("\\s+")));
        scopes.remove("");
        return new VerifiedToken(subject, clientId, scope.trim(), scopes, claims.getAudience(), jti, sid,
                iat.getTime() / 1000, exp.getTime() / 1000, confirmationKey(claims));
    }

    /**
     * The {@code cnf.jkt} of a DPoP-bound token (RFC 9449 §6.1); null without {@code cnf}. A {@code cnf} the gateway
     * cannot check (another confirmation method, say mTLS's {@code x5t#S256}) refuses the token: deny by default.
     */
    private static String confirmationKey(JWTClaimsSet claims) throws ParseException, RefusedTokenException {
        if (claims.getClaim("cnf") == null) {
            return null;
        }
        Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
        if (cnf.size() != 1 || !(cnf.get("jkt") instanceof String jkt) || blank(jkt)) {
            throw new RefusedTokenException(Refusal.UNSUPPORTED_CONFIRMATION);
        }
        return jkt;
    }

    /** Absent, empty, or holding characters that could not travel in an HTTP header. */
    private static boolean blank(String s) {
        if (s == null || s.isBlank()) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                return true;
            }
        }
        return false;
    }

    public long cachedTokens() {
        return cache.estimatedSize();
    }
}
