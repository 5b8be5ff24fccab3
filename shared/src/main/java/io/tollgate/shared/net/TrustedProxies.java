package io.tollgate.shared.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose forwarded headers are believed (nginx's {@code set_real_ip_from}, Envoy's trusted hops): CIDR
 * blocks, IPv4 or IPv6. The gateway extends their forwarded headers instead of replacing them; token-api takes the
 * client address from them ({@link ClientAddresses}). Empty by default: no client is believed.
 */
public final class TrustedProxies {
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    /** @throws IllegalArgumentException for a block that is not {@code address[/bits]} with a literal address */
    public TrustedProxies(List<String> cidrs) {
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address: " + host);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a prefix length: " + cidr);
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("prefix length out of range: " + cidr);
                }
            }
            networks.add(address);
            prefixes.add(bits);
        }
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        return address != null && contains(address.getAddress());
    }

    /** Whether {@code ip} (a literal, as found in X-Forwarded-For) is trusted; anything else is not. */
    public boolean contains(String ip) {
        byte[] address = literal(ip.trim());
        return address != null && contains(address);
    }

    /**
     * The client behind {@code peer}: {@code peer} itself unless it is trusted; else the right-most address of
     * {@code hops} (the forwarded chain, left to right, as the proxies appended it) that is not a trusted proxy,
     * walking right to left as nginx's {@code real_ip_recursive} and Envoy's {@code xff_num_trusted_hops} do; the
     * left-most hop when every hop is trusted. A hop that is not an IP literal makes the chain worthless:
     * {@code peer}.
     */
    public String clientAddress(String peer, List<String> hops) {
        if (hops.isEmpty() || !contains(peer)) {
            return peer;
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] address = literal(hops.get(i).trim());
            if (address == null) {
                return peer;
            }
            client = canonical(address);
            if (!contains(address)) {
                return client;
            }
        }
        return client;
    }

    /** The usual text of an address: dotted quad, or RFC 5952 IPv6 as Java prints it, without brackets. */
    private static String canonical(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    private boolean contains(byte[] address) {
        byte[] mapped = address.length == 16 && isV4Mapped(address) ? java.util.Arrays.copyOfRange(address, 12, 16)
                : address;
        for (int i = 0; i < networks.size(); i++) {
            byte[] network = networks.get(i);
            if (network.length == mapped.length && matches(network, mapped, prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, byte[] address, int bits) {
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (network[i] != address[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[whole] & mask) == (address[whole] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }

    /** The bytes of an IPv4 or IPv6 literal (brackets allowed), never a DNS lookup; null otherwise. */
    public static byte[] literal(String s) {
        String host = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (host.isEmpty()) {
            return null;
        }
        boolean v6 = host.indexOf(':') >= 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return null;
            }
        }
        if (!v6 && !isDottedQuad(host)) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress(); // a literal: no resolution happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
