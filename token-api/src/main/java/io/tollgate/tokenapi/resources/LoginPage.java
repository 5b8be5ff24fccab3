package io.tollgate.tokenapi.resources;

import io.tollgate.shared.crypto.Hashes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The hosted login page of the authorization code flow and its error page: plain HTML, one inline style block
 * (allowed by its hash in the Content-Security-Policy), no script, no third-party asset. Every value is escaped.
 */
final class LoginPage {
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;"
            + "padding:0 1rem;color:#222}label{display:block;margin:.8rem 0 .2rem}input[type=text],"
            + "input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;"
            + "padding:.5rem 1.2rem}.error{color:#a00}";
    /** The CSP source of {@link #STYLE}. */
    static final String STYLE_HASH = "'sha256-" + Base64.getEncoder().encodeToString(
            Hashes.sha256Bytes(STYLE.getBytes(StandardCharsets.UTF_8))) + "'";

    private LoginPage() {
    }

    /**
     * The login form for a pending request.
     *
     * @param error a message to show above the form, or null
     */
    static String login(String applicationName, String requestId, String username, String error) {
        StringBuilder html = head("Sign in");
        html.append("<h1>Sign in</h1>\n<p>to continue to <strong>").append(escape(applicationName))
                .append("</strong></p>\n");
        if (error != null) {
            html.append("<p class=\"error\" role=\"alert\">").append(escape(error)).append("</p>\n");
        }
        html.append("<form method=\"post\" action=\"authorize\">\n")
                .append("<input type=\"hidden\" name=\"request\" value=\"").append(escape(requestId)).append("\">\n")
                .append("<label for=\"username\">Username</label>\n")
                .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\""
                        + " autocapitalize=\"none\" required value=\"")
                .append(escape(username == null ? "" : username)).append("\">\n")
                .append("<label for=\"password\">Password</label>\n")
                .append("<input type=\"password\" id=\"password\" name=\"password\""
                        + " autocomplete=\"current-password\" required>\n")
                .append("<button type=\"submit\">Sign in</button>\n</form>\n</body>\n</html>\n");
        return html.toString();
    }

    /** An error that cannot be sent back to the client (unknown client, unregistered redirect URI, lost request). */
    static String error(String message) {
        return head("Sign-in error").append("<h1>Sign-in error</h1>\n<p class=\"error\">").append(escape(message))
                .append("</p>\n</body>\n</html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(2048).append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
