package io.tollgate.shared.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client address of a request that may have come through proxies: the peer's own address unless the peer is a
 * {@link TrustedProxies trusted proxy}; then the right-most untrusted address of the forwarded chain in the one
 * header the proxies are known to set ({@link Header}). Reading only that header matters: a proxy that appends to
 * {@code X-Forwarded-For} passes a client's own {@code Forwarded} through untouched, and the other way round.
 * A chain that cannot be read (a hop that is not an IP literal, {@code for=unknown}, an obfuscated identifier, a
 * broken quoted string) yields the peer.
 */
public final class ClientAddresses {
    /** The forwarded header the trusted proxies set. */
    public enum Header {
        /** {@code X-Forwarded-For: client, proxy1, proxy2} (de facto standard; nginx, Envoy, AWS, GCP load balancers). */
        X_FORWARDED_FOR("X-Forwarded-For"),
        /** RFC 7239 {@code Forwarded: for=client, for="[2001:db8::1]:4711"}: the {@code for} parameter of each element. */
        FORWARDED("Forwarded");

        private final String fieldName;

        Header(String fieldName) {
            this.fieldName = fieldName;
        }

        public String fieldName() {
            return fieldName;
        }
    }

    private final TrustedProxies trusted;
    private final Header header;

    public ClientAddresses(TrustedProxies trusted, Header header) {
        this.trusted = trusted;
        this.header = header;
    }

    public Header header() {
        return header;
    }

    public boolean isEmpty() {
        return trusted.isEmpty();
    }

    /** The client address for a request from {@code peer} carrying {@code values}, every field of {@link #header()}. */
    public String resolve(String peer, List<String> values) {
        if (values.isEmpty() || trusted.isEmpty()) {
            return peer;
        }
        List<String> hops = header == Header.FORWARDED ? forwardedFor(values) : xForwardedFor(values);
        return hops == null ? peer : trusted.clientAddress(peer, hops);
    }

    /** The hops of {@code X-Forwarded-For} fields, left to right, a port removed; null when one is not an address. */
    static List<String> xForwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",", -1)) {
                String address = withoutPort(hop.trim());
                if (address == null) {
                    return null;
                }
                hops.add(address);
            }
        }
        return hops;
    }

    /**
     * The {@code for} values of RFC 7239 {@code Forwarded} fields, left to right, unquoted and without port; null when
     * an element has none, or it is {@code unknown}, obfuscated or not an address, or the field does not parse.
     */
    static List<String> forwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            List<List<String[]>> elements = parse(value);
            if (elements == null) {
                return null;
            }
            for (List<String[]> element : elements) {
                String forValue = null;
                for (String[] pair : element) {
                    if (pair[0].equalsIgnoreCase("for")) {
                        if (forValue != null) {
                            return null; // a parameter appears at most once per element (RFC 7239 §4)
                        }
                        forValue = pair[1];
                    }
                }
                String address = forValue == null ? null : withoutPort(forValue);
                if (address == null) {
                    return null;
                }
                hops.add(address);
            }
        }
        return hops;
    }

    /**
     * {@code Forwarded = 1#forwarded-element}, {@code forwarded-element = [pair] *(";" [pair])},
     * {@code pair = token "=" value}, {@code value = token / quoted-string}; null when it does not parse.
     */
    private static List<List<String[]>> parse(String field) {
        List<List<String[]>> elements = new ArrayList<>();
        List<String[]> element = new ArrayList<>();
        int i = 0;
        int n = field.length();
        while (true) {
            i = skipSpace(field, i);
            if (i < n && field.charAt(i) != ',' && field.charAt(i) != ';') {
                int nameStart = i;
                while (i < n && isTchar(field.charAt(i))) {
                    i++;
                }
                if (i == nameStart || i >= n || field.charAt(i) != '=') {
                    return null;
                }
                String name = field.substring(nameStart, i).toLowerCase(Locale.ROOT);
                i++;
                StringBuilder value = new StringBuilder();
                if (i < n && field.charAt(i) == '"') {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = field.charAt(i++);
                        if (c == '\\' && i < n) {
                            value.append(field.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            value.append(c);
                        }
                    }
                    if (!closed) {
                        return null;
                    }
                } else {
                    int valueStart = i;
                    while (i < n && isTchar(field.charAt(i))) {
                        i++;
                    }
                    if (i == valueStart) {
                        return null;
                    }
                    value.append(field, valueStart, i);
                }
                element.add(new String[] {name, value.toString()});
                i = skipSpace(field, i);
            }
            if (i >= n) {
                elements.add(element);
                return elements;
            }
            char separator = field.charAt(i++);
            if (separator == ',') {
                elements.add(element);
                element = new ArrayList<>();
            } else if (separator != ';') {
                return null;
            }
        }
    }

    /** {@code 192.0.2.1}, {@code 192.0.2.1:80}, {@code [2001:db8::1]}, {@code [2001:db8::1]:80}, {@code 2001:db8::1}. */
    private static String withoutPort(String hop) {
        String address;
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            if (close < 0 || close + 1 < hop.length() && !isPort(hop.substring(close + 1))) {
                return null;
            }
            address = hop.substring(1, close);
            if (address.indexOf(':') < 0) {
                return null;
            }
        } else {
            int colon = hop.indexOf(':');
            address = colon >= 0 && colon == hop.lastIndexOf(':') && isPort(hop.substring(colon))
                    ? hop.substring(0, colon) : hop;
        }
        return TrustedProxies.literal(address) == null ? null : address;
    }

    /** {@code ":" 1*5DIGIT} (RFC 7239's node-port also allows an obfuscated port, which no proxy here sets). */
    private static boolean isPort(String s) {
        if (s.length() < 2 || s.length() > 6 || s.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
