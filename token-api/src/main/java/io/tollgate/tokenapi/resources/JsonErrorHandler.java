package io.tollgate.tokenapi.resources;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jetty's own error answers (a request Jetty or Jersey refuses before any resource runs: an unparsable
 * Content-Type, a bad URI, an illegal character, headers or URI too long) as OAuth-style JSON with
 * {@code Cache-Control: no-store}, instead of Jetty's HTML page. The message is never echoed: it can hold
 * request data. Set on the server (parser-level errors) and on the application's servlet context.
 */
public class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowOrigin(false);
    }

    static String code(int status) {
        return switch (status) {
            case 401 -> "invalid_client";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 503 -> "temporarily_unavailable";
            default -> status >= 500 ? "server_error" : "invalid_request";
        };
    }

    static byte[] body(int status) {
        return ("{\"error\":\"" + code(status) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Jetty writes a body only for GET, POST and HEAD by default; a PUT with a bad URI deserves JSON too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) {
        return writeJson(response, callback, code);
    }

    static boolean writeJson(Response response, Callback callback, int code) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put(HttpHeader.PRAGMA, "no-cache");
        response.write(true, ByteBuffer.wrap(body(code)), callback);
        return true;
    }

    /** The same answers for errors raised inside the servlet context ({@code sendError} from Jersey). */
    public static class ForServletContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        public ForServletContext() {
            setShowStacks(false);
            setShowCauses(false);
            setShowOrigin(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                     String contentType, List<Charset> charsets, int code,
                                                     String message, Throwable cause) {
            return writeJson(response, callback, code);
        }
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        fields.put(HttpHeader.PRAGMA, "no-cache");
        return ByteBuffer.wrap(body(status));
    }
}
