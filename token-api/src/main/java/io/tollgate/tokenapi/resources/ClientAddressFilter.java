package io.tollgate.tokenapi.resources;

import io.tollgate.shared.net.ClientAddresses;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * Makes {@code getRemoteAddr()} the client's address for everything behind it (lockout, portal bounds, audit
 * {@code ip}): the forwarded chain's when the peer is a trusted proxy ({@link ClientAddresses}), else the peer's.
 * The one place token-api decides who the client is.
 */
public final class ClientAddressFilter implements Filter {
    private final ClientAddresses addresses;

    public ClientAddressFilter(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (addresses.isEmpty() || !(request instanceof HttpServletRequest http)) {
            chain.doFilter(request, response);
            return;
        }
        String peer = http.getRemoteAddr();
        List<String> values = Collections.list(http.getHeaders(addresses.header().fieldName()));
        String client = addresses.resolve(peer, values);
        if (client.equals(peer)) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(http) {
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
