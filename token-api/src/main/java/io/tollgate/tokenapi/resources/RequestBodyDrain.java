package io.tollgate.tokenapi.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import java.io.IOException;

/**
 * Reads what is left of a request body once the request is answered (up to a limit). A request refused before
 * its body was read (401 before the JSON, 403 for a missing CSRF token, 404, 405) otherwise leaves bytes on the
 * connection, and Jetty then closes the keep-alive connection after the answer without a
 * {@code Connection: close}: a client that sends its next request on it reads no answer at all. A body over the
 * limit is left unread, and that connection is closed (as nginx does after a 413).
 */
public final class RequestBodyDrain implements Filter {
    private final long limit;

    public RequestBodyDrain(long limit) {
        this.limit = limit;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } finally {
            drain(request);
        }
    }

    private void drain(ServletRequest request) {
        if (request.getContentLengthLong() == 0) {
            return;
        }
        try {
            ServletInputStream in = request.getInputStream();
            byte[] scratch = new byte[4096];
            long read = 0;
            int n;
            while (read <= limit && (n = in.read(scratch)) != -1) {
                read += n;
            }
        } catch (IOException | IllegalStateException e) {
            // The body was taken as a reader, or the client went away: nothing to drain.
        }
    }
}
