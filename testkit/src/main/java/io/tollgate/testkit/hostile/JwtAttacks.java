package io.tollgate.testkit.hostile;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The JWT attack corpus, built against one genuine signing key (private, with its kid: RSA for RS256, P-256 for
 * ES256 or Ed25519 for EdDSA), the keys the issuer publishes, the claims of a genuine token, and the URL of an attacker's JWKS endpoint. Each attack
 * is a token a verifier must refuse. {@code malformed} marks tokens that are not even RFC 6750 b64token
 * syntax or exceed the header limit, which a gateway may refuse as 400 before verification.
 */
public final class JwtAttacks {
    public record Attack(String name, String token, boolean malformed) {
    }

    private final JWK real;
    private final List<JWK> published;
    private final JWTClaimsSet claims;
    private final URI attackerJwks;
    private final ECKey foreignEc;
    private final RSAKey foreignRsa;
    private final OctetKeyPair foreignEd;
    private final List<Attack> out = new ArrayList<>();

    public JwtAttacks(JWK real, List<JWK> published, JWTClaimsSet claims, URI attackerJwks) throws Exception {
        this.real = real;
        this.published = published;
        this.claims = claims;
        this.attackerJwks = attackerJwks;
        this.foreignEc = new ECKeyGenerator(Curve.P_256).keyID("attacker-ec").generate();
        this.foreignRsa = new RSAKeyGenerator(2048).keyID("attacker-rsa").generate();
        this.foreignEd = new OctetKeyPairGenerator(Curve.Ed25519).keyID("attacker-ed25519").generate();
    }

    public ECKey foreignEc() {
        return foreignEc;
    }

    public RSAKey foreignRsa() {
        return foreignRsa;
    }

    public OctetKeyPair foreignEd() {
        return foreignEd;
    }

    public static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static String b64(byte[] bytes) {
        return Base64URL.encode(bytes).toString();
    }

    JWSAlgorithm realAlg() {
        return algorithm(real);
    }

    /** The algorithm a key signs with here: RS256 for RSA, ES256 for EC, EdDSA for an (Ed25519) OKP key. */
    public static JWSAlgorithm algorithm(JWK key) {
        return key instanceof RSAKey ? JWSAlgorithm.RS256 : key instanceof OctetKeyPair ? JWSAlgorithm.EdDSA
                : JWSAlgorithm.ES256;
    }

    public static JWSSigner signer(JWK key) throws Exception {
        return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : key instanceof OctetKeyPair okp
                ? new Ed25519Signer(okp) : new ECDSASigner((ECKey) key);
    }

    JWSHeader.Builder realHeader() {
        return new JWSHeader.Builder(realAlg()).keyID(real.getKeyID()).type(new JOSEObjectType("at+jwt"));
    }

    /** Signs the given header and payload JSON text verbatim with a key (so duplicate keys survive). */
    public static String signRaw(String headerJson, String payloadJson, JWK key) throws Exception {
        byte[] input = (b64(headerJson) + "." + b64(payloadJson)).getBytes(StandardCharsets.US_ASCII);
        // the header text is never parsed here, so duplicate keys and odd members survive verbatim
        Base64URL signature = signer(key).sign(new JWSHeader(algorithm(key)), input);
        return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(claims.toJSONObject()));
        jws.sign(signer(key));
        return jws.serialize();
    }

    public static String hmac(String alg, String headerJson, String payloadJson, byte[] secret) throws Exception {
        String input = b64(headerJson) + "." + b64(payloadJson);
        String javaAlg = "Hmac" + alg.replace("HS", "SHA");
        Mac mac = Mac.getInstance(javaAlg);
        mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, javaAlg));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    String genuine() throws Exception {
        return sign(realHeader().build(), claims, real);
    }

    String payloadJson(JWTClaimsSet set) {
        return set.toString();
    }

    void add(String name, String token) {
        out.add(new Attack(name, token, false));
    }

    void malformed(String name, String token) {
        out.add(new Attack(name, token, true));
    }

    /** A public key's X.509 SubjectPublicKeyInfo (DER) as PEM. */
    public static String pem(byte[] der, boolean trailingNewline) {
        String body = Base64.encode(der).toString().replaceAll("(.{64})", "$1\n");
        return "-----BEGIN PUBLIC KEY-----\n" + body + (body.endsWith("\n") ? "" : "\n") + "-----END PUBLIC KEY-----"
                + (trailingNewline ? "\n" : "");
    }

    public List<Attack> build() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String genuine = genuine();
        String[] parts = genuine.split("\\.");
        String payload = payloadJson(claims);

        // alg none, every casing, with and without the original signature
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            String header = "{\"alg\":\"" + none + "\",\"typ\":\"at+jwt\",\"kid\":\"" + real.getKeyID() + "\"}";
            add("alg " + none + ", empty signature", b64(header) + "." + b64(payload) + ".");
            add("alg " + none + ", original signature", b64(header) + "." + b64(payload) + "." + parts[2]);
            add("alg " + none + ", no kid", b64("{\"alg\":\"" + none + "\"}") + "." + b64(payload) + ".");
        }

        // algorithm confusion: HMAC keyed with each published public key in several encodings
        for (JWK key : published) {
            byte[] der = der(key);
            Map<String, byte[]> encodings = new java.util.LinkedHashMap<>();
            encodings.put("PEM", pem(der, true).getBytes(StandardCharsets.US_ASCII));
            encodings.put("PEM without final newline", pem(der, false).getBytes(StandardCharsets.US_ASCII));
            encodings.put("DER", der);
            encodings.put("JWK JSON", key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));
            if (key instanceof RSAKey rsa) {
                encodings.put("modulus", rsa.getModulus().decode());
            } else if (key instanceof OctetKeyPair okp) {
                encodings.put("x", okp.getX().decode());
            } else {
                ECKey ec = (ECKey) key;
                byte[] xy = new byte[64];
                System.arraycopy(ec.getX().decode(), 0, xy, 0, 32);
                System.arraycopy(ec.getY().decode(), 0, xy, 32, 32);
                encodings.put("x||y", xy);
            }
            for (String alg : List.of("HS256", "HS384", "HS512")) {
                for (var e : encodings.entrySet()) {
                    String header = "{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + key.getKeyID() + "\"}";
                    add(alg + " keyed with the " + key.getKeyType() + " public key as " + e.getKey(),
                            hmac(alg, header, payload, e.getValue()));
                }
            }
        }

        // foreign keys under a known kid, an unknown kid, and the real kid with the other key type's alg
        JWSHeader.Builder esKnown = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"));
        JWSHeader.Builder rsKnown = new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"));
        JWSHeader.Builder edKnown = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("at+jwt"));
        for (JWK key : published) {
            add("foreign EC key with known kid " + key.getKeyID(), sign(esKnown.keyID(key.getKeyID()).build(), claims, foreignEc));
            add("foreign RSA key with known kid " + key.getKeyID(), sign(rsKnown.keyID(key.getKeyID()).build(), claims, foreignRsa));
            add("foreign Ed25519 key with known kid " + key.getKeyID(), sign(edKnown.keyID(key.getKeyID()).build(),
                    claims, foreignEd));
        }
        // the genuine signature under each other algorithm's name (an Ed25519 signature read as RS256 or ES256,
        // an RSA or ECDSA one read as EdDSA), and the fully-specified name RFC 9864 gives EdDSA over Ed25519
        for (JWSAlgorithm other : List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA,
                JWSAlgorithm.Ed25519)) {
            if (!other.equals(realAlg())) {
                String header = "{\"alg\":\"" + other + "\",\"typ\":\"at+jwt\",\"kid\":\"" + real.getKeyID() + "\"}";
                add("the real signature relabelled " + other, b64(header) + "." + parts[1] + "." + parts[2]);
            }
        }
        if (real instanceof OctetKeyPair) {
            add("alg Ed25519 (RFC 9864) signed by the real key", signRaw("{\"alg\":\"Ed25519\",\"typ\":\"at+jwt\","
                    + "\"kid\":\"" + real.getKeyID() + "\"}", payload, real));
        }
        add("EdDSA header, zero signature", b64("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"" + real.getKeyID()
                + "\"}") + "." + parts[1] + "." + b64(new byte[64]));
        add("foreign Ed25519 key, unknown kid", sign(edKnown.keyID("ghost").build(), claims, foreignEd));
        add("foreign key, unknown kid", sign(esKnown.keyID("ghost").build(), claims, foreignEc));
        add("foreign key, no kid", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).build(),
                claims, foreignEc));
        add("foreign RSA key, no kid", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
                .build(), claims, foreignRsa));
        add("ES256 psychic signature (r = s = 0, CVE-2022-21449)", parts[0] + "." + parts[1] + "." + b64(new byte[64]));
        add("ES256 header, zero signature", b64("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" + real.getKeyID()
                + "\"}") + "." + parts[1] + "." + b64(new byte[64]));

        // kid injection, signed with the foreign key and with the real key
        for (String kid : List.of("../../../../../../dev/null", "../../etc/passwd", "/dev/null", "' OR '1'='1",
                "1; DROP TABLE keys--", "x\" OR kid LIKE \"%", "k".repeat(5000), "", "*", "%00", "\\u0000",
                real.getKeyID() + "\u0000", real.getKeyID() + " ", "http://127.0.0.1:1/jwks")) {
            String label = kid.length() > 60 ? kid.length() + "-char kid" : "kid " + kid;
            add(label + " (foreign key)", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid)
                    .type(new JOSEObjectType("at+jwt")).build(), claims, foreignEc));
            add(label + " (real key)", sign(realHeader().keyID(kid).build(), claims, real));
        }

        // embedded or remote keys pointing to the attacker
        add("jwk header with the attacker key", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(foreignEc.toPublicJWK())
                .type(new JOSEObjectType("at+jwt")).build(), claims, foreignEc));
        add("jwk header with the attacker key and the real kid", sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .jwk(foreignEc.toPublicJWK()).keyID(real.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims, foreignEc));
        add("jwk header with the attacker's Ed25519 key and the real kid", sign(new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .jwk(foreignEd.toPublicJWK()).keyID(real.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims,
                foreignEd));
        add("jku to the attacker JWKS", sign(new JWSHeader.Builder(JWSAlgorithm.ES256).jwkURL(attackerJwks)
                .keyID(foreignEc.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims, foreignEc));
        add("jku to the attacker JWKS with the real kid", sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .jwkURL(attackerJwks).keyID(real.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims, foreignEc));
        add("x5u to the attacker", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).x509CertURL(attackerJwks)
                .keyID(foreignRsa.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims, foreignRsa));
        add("x5c with a junk chain", signRaw("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"x5c\":[\""
                + Base64.encode(foreignRsa.toPublicKey().getEncoded()) + "\"]}", payload, foreignRsa));

        // critical headers, wrong types (real key)
        add("crit with an unknown parameter", signRaw("{\"alg\":\"" + realAlg() + "\",\"typ\":\"at+jwt\",\"kid\":\""
                + real.getKeyID() + "\",\"crit\":[\"http://evil\"],\"http://evil\":true}", payload, real));
        add("crit naming an absent parameter", signRaw("{\"alg\":\"" + realAlg() + "\",\"typ\":\"at+jwt\",\"kid\":\""
                + real.getKeyID() + "\",\"crit\":[\"exp\"]}", payload, real));
        add("crit not an array", signRaw("{\"alg\":\"" + realAlg() + "\",\"typ\":\"at+jwt\",\"kid\":\""
                + real.getKeyID() + "\",\"crit\":\"b64\"}", payload, real));
        add("b64 false (RFC 7797)", signRaw("{\"alg\":\"" + realAlg() + "\",\"typ\":\"at+jwt\",\"kid\":\""
                + real.getKeyID() + "\",\"b64\":false,\"crit\":[\"b64\"]}", payload, real));
        for (String typ : List.of("JWT", "jwt", "JOSE", "id_token+jwt", "secevent+jwt", "")) {
            add("typ " + typ, sign(new JWSHeader.Builder(realAlg()).keyID(real.getKeyID())
                    .type(typ.isEmpty() ? null : new JOSEObjectType(typ)).build(), claims, real));
        }
        add("typ absent", sign(new JWSHeader.Builder(realAlg()).keyID(real.getKeyID()).build(), claims, real));

        // time claims (real key)
        add("expired an hour ago", sign(realHeader().build(), new JWTClaimsSet.Builder(claims)
                .expirationTime(new Date((now - 3600) * 1000)).issueTime(new Date((now - 3900) * 1000)).build(), real));
        add("expired a minute ago", sign(realHeader().build(), new JWTClaimsSet.Builder(claims)
                .expirationTime(new Date((now - 60) * 1000)).build(), real));
        add("nbf in an hour", sign(realHeader().build(), new JWTClaimsSet.Builder(claims)
                .notBeforeTime(new Date((now + 3600) * 1000)).build(), real));
        add("iat in an hour", sign(realHeader().build(), new JWTClaimsSet.Builder(claims)
                .issueTime(new Date((now + 3600) * 1000)).expirationTime(new Date((now + 3900) * 1000)).build(), real));
        add("exp absent", sign(realHeader().build(), new JWTClaimsSet.Builder(claims).expirationTime(null).build(), real));
        add("exp as a string", signRaw(realHeader().build().toString(), payload.replaceFirst("\"exp\":(\\d+)",
                "\"exp\":\"$1\""), real));
        add("exp far past as 0", sign(realHeader().build(), new JWTClaimsSet.Builder(claims)
                .expirationTime(new Date(0)).build(), real));

        // other claims (real key)
        add("wrong issuer", sign(realHeader().build(), new JWTClaimsSet.Builder(claims).issuer("http://evil.example")
                .build(), real));
        add("issuer with a trailing slash", sign(realHeader().build(), new JWTClaimsSet.Builder(claims)
                .issuer(claims.getIssuer() + "/").build(), real));
        add("wrong audience", sign(realHeader().build(), new JWTClaimsSet.Builder(claims).audience("other-api").build(),
                real));
        add("sub absent", sign(realHeader().build(), new JWTClaimsSet.Builder(claims).subject(null).build(), real));

        // altered claims under the original signature
        for (var change : List.of(Map.entry("sub", "\"admin\""), Map.entry("scope", "\"read write admin\""),
                Map.entry("exp", Long.toString(now + 86_400 * 365)), Map.entry("aud", "[\"mobile\",\"admin\"]"),
                Map.entry("client_id", "\"other-client\""))) {
            JWTClaimsSet.Builder altered = new JWTClaimsSet.Builder(claims);
            String json = altered.build().toString().replaceFirst("\"" + change.getKey() + "\":(\"[^\"]*\"|\\d+|\\[[^\\]]*\\])",
                    "\"" + change.getKey() + "\":" + change.getValue().replace("$", "\\$"));
            add("altered " + change.getKey() + " with the original signature", parts[0] + "." + b64(json) + "." + parts[2]);
        }
        add("altered header (typ removed) with the original signature",
                b64("{\"alg\":\"" + realAlg() + "\",\"kid\":\"" + real.getKeyID() + "\"}") + "." + parts[1] + "." + parts[2]);

        // duplicate JSON keys (real key signs the ambiguous text)
        add("duplicate sub in the payload", signRaw(realHeader().build().toString(),
                payload.replaceFirst("\\{", "{\"sub\":\"admin\","), real));
        add("duplicate alg in the header", signRaw("{\"alg\":\"none\",\"alg\":\"" + realAlg() + "\",\"typ\":\"at+jwt\","
                + "\"kid\":\"" + real.getKeyID() + "\"}", payload, real));
        add("duplicate typ in the header", signRaw("{\"alg\":\"" + realAlg() + "\",\"typ\":\"JWT\",\"typ\":\"at+jwt\","
                + "\"kid\":\"" + real.getKeyID() + "\"}", payload, real));

        // structure: stripped and empty segments, padding, foreign characters, nesting, JWE
        add("signature stripped", parts[0] + "." + parts[1] + ".");
        add("two segments", parts[0] + "." + parts[1]);
        add("one segment", parts[1]);
        add("empty header", "." + parts[1] + "." + parts[2]);
        add("empty payload", parts[0] + ".." + parts[2]);
        add("all segments empty", "..");
        add("four segments", genuine + "." + parts[2]);
        add("JWE compact (5 segments)", b64("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"cty\":\"JWT\"}")
                + "." + b64(new byte[256]) + "." + b64(new byte[12]) + "." + b64(payload) + "." + b64(new byte[16]));
        add("JWE with alg dir", b64("{\"alg\":\"dir\",\"enc\":\"A128CBC-HS256\"}") + ".." + b64(new byte[16]) + "."
                + b64(payload) + "." + b64(new byte[16]));
        add("nested JWT (cty JWT) signed by a foreign key around the genuine token",
                sign(new JWSHeader.Builder(JWSAlgorithm.ES256).contentType("JWT").type(new JOSEObjectType("at+jwt"))
                        .keyID(real.getKeyID()).build(), claims, foreignEc).split("\\.")[0] + "."
                        + b64(genuine) + "." + parts[2]);
        add("nested JWT signed by the real key (cty JWT)", signRaw("{\"alg\":\"" + realAlg() + "\",\"typ\":\"at+jwt\","
                + "\"cty\":\"JWT\",\"kid\":\"" + real.getKeyID() + "\"}", genuine, real));
        add("base64 padding on the signature", genuine + "==");
        malformed("base64 padding on the payload", parts[0] + "." + parts[1] + "=." + parts[2]);
        add("standard base64 alphabet (+ and /)", parts[0] + "." + parts[1].replace('-', '+').replace('_', '/') + "/+."
                + parts[2].replace('-', '+').replace('_', '/'));
        add("payload that is not JSON", parts[0] + "." + b64("not json") + "." + parts[2]);
        add("payload that is a JSON array", parts[0] + "." + b64("[1,2]") + "." + parts[2]);
        add("header that is not JSON", b64("{alg:ES256") + "." + parts[1] + "." + parts[2]);
        add("signature of the wrong length", parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20));
        add("signature bit flipped", parts[0] + "." + parts[1] + "." + flip(parts[2]));
        malformed("non-base64url characters", parts[0] + "." + parts[1] + "!." + parts[2]);
        malformed("whitespace inside", parts[0] + ". " + parts[1] + "." + parts[2]);
        malformed("percent-encoded dots", parts[0] + "%2E" + parts[1] + "%2E" + parts[2]);
        malformed("unicode in the token", parts[0] + "." + parts[1] + "\u00e9." + parts[2]);

        // oversized: 100 KB signed by the real key (over any header limit), and 12 KB signed by a foreign key
        malformed("100 KB token signed by the real key", sign(realHeader().build(), new JWTClaimsSet.Builder(claims)
                .claim("pad", "p".repeat(100 * 1024)).build(), real));
        add("12 KB token signed by a foreign key", sign(esKnown.keyID(real.getKeyID()).build(),
                new JWTClaimsSet.Builder(claims).claim("pad", "p".repeat(9 * 1024)).build(), foreignEc));
        return out;
    }

    /**
     * DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 key bytes; byte 8 is the
     * last arc of the curve's OID: 112 for Ed25519, 110 for X25519.
     */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    /** The public key's X.509 SubjectPublicKeyInfo, as a PEM file would hold it. */
    static byte[] der(JWK key) throws Exception {
        if (key instanceof RSAKey rsa) {
            return rsa.toPublicKey().getEncoded();
        }
        if (key instanceof OctetKeyPair okp) {
            byte[] x = okp.getX().decode();
            byte[] der = java.util.Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + x.length);
            der[8] = (byte) (Curve.X25519.equals(okp.getCurve()) ? 110 : 112);
            System.arraycopy(x, 0, der, ED25519_SPKI_PREFIX.length, x.length);
            return der;
        }
        return ((ECKey) key).toPublicKey().getEncoded();
    }

    public static String flip(String b64url) {
        char c = b64url.charAt(5);
        return b64url.substring(0, 5) + (c == 'A' ? 'B' : 'A') + b64url.substring(6);
    }
}
