package io.tollgate.tokenapi.resources;

import io.tollgate.shared.net.ClientAddresses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;

/**
 * Makes {@code getRemoteAddr()} the client's address for everything behind it (lockout, portal bounds, audit
 * {@code ip}): the forwarded chain's when the peer is a trusted proxy ({@link ClientAddresses}), else the peer's.
 * The one place token-api decides who the client is.
 */
public final class ClientAddressFilter extends HttpFilter {
    private final ClientAddresses addresses;

    public ClientAddressFilter(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String peer = request.getRemoteAddr();
        String client = addresses.isEmpty() ? peer
                : addresses.resolve(peer, Collections.list(request.getHeaders(addresses.header().fieldName())));
        if (client.equals(peer)) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getRemoteAddr() {
                return client;
            }

            @Override
            public String getRemoteHost() {
                return client;
            }
        }, response);
    }
}
