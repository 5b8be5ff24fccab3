package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.core.TokenService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.Collections;
import java.util.Locale;

/**
 * Answers the common token request without Jersey: a {@code POST} to {@code /oauth2/token} whose
 * {@code Content-Type} is {@code application/x-www-form-urlencoded} (with parameters Jersey can parse) and whose
 * {@code Accept} is absent, {@code *}{@code /*} or {@code application/json}. It is answered exactly as
 * {@link TokenResource} answers it (the same form reading, grant, headers and JSON; a refusal or failure as
 * {@link FallbackExceptionMapper} maps it), without Jersey's per-request routing, injection and entity writing.
 * Every other request (another method, media type or {@code Accept}) goes on to Jersey, which answers it as
 * before (405, 406, {@code OPTIONS}, an unparsable type).
 */
public final class TokenEndpointFilter extends HttpFilter {
    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED.toLowerCase(Locale.ROOT);
    private final TokenService tokens;
    private final long maxBodyBytes;
    private final FallbackExceptionMapper errors;
    private final ServletAnswers answers;

    public TokenEndpointFilter(TokenService tokens, long maxBodyBytes, FallbackExceptionMapper errors,
                               com.fasterxml.jackson.databind.ObjectMapper json) {
        this.tokens = tokens;
        this.maxBodyBytes = maxBodyBytes;
        this.errors = errors;
        this.answers = new ServletAnswers(json);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (!"POST".equals(request.getMethod()) || !isForm(contentType)
                || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            chain.doFilter(request, response);
            return;
        }
        Response answer;
        try {
            answer = TokenResource.answer(tokens, maxBodyBytes, contentType,
                    request.getHeader(HttpHeaders.AUTHORIZATION),
                    Collections.list(request.getHeaders(TokenResource.DPOP)), request.getRemoteAddr(),
                    request.getInputStream());
        } catch (RuntimeException e) {
            answer = errors.toResponse(e);
        }
        answers.write(answer, response);
    }

    /** The form type, bare or with parameters that parse as a media type's. */
    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String lower = contentType.toLowerCase(Locale.ROOT);
        if (lower.equals(FORM)) {
            return true;
        }
        if (!lower.startsWith(FORM + ";")) {
            return false;
        }
        try {
            MediaType.valueOf(contentType);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** No {@code Accept}, or one that names JSON or anything, as Jersey would serve without a 406. */
    static boolean acceptsJson(String accept) {
        return accept == null || accept.equals("*/*") || accept.equalsIgnoreCase(MediaType.APPLICATION_JSON);
    }
}
