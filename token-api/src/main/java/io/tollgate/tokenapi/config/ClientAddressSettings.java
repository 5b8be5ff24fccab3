package io.tollgate.tokenapi.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.validation.ValidationMethod;
import io.tollgate.shared.net.ClientAddresses;
import io.tollgate.shared.net.TrustedProxies;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a request's client address comes from (lockout, sign-up and hashing bounds, the audit events' {@code ip}):
 * the peer's address, unless the peer is one of {@code trustedProxies}; then the right-most untrusted address of
 * {@code header}'s forwarded chain. Empty by default: the peer.
 */
public class ClientAddressSettings {
    /** The load balancers and reverse proxies in front of token-api: CIDR blocks or addresses, IPv4 or IPv6. */
    @NotNull
    public List<String> trustedProxies = new ArrayList<>();

    /** The forwarded header those proxies set: {@code X_FORWARDED_FOR} or {@code FORWARDED} (RFC 7239). */
    @NotNull
    public ClientAddresses.Header header = ClientAddresses.Header.X_FORWARDED_FOR;

    @ValidationMethod(message = "trustedProxies must be CIDR blocks or addresses of IP literals, e.g. 10.0.0.0/8, "
            + "192.0.2.7 or fd00::/8")
    @JsonIgnore
    public boolean isTrustedProxiesValid() {
        try {
            new TrustedProxies(trustedProxies);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    public ClientAddresses build() {
        return new ClientAddresses(new TrustedProxies(trustedProxies), header);
    }
}
