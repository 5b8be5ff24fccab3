package io.tollgate.tokenapi.requestlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.request.logging.old.LogbackClassicRequestLogFactory;
import jakarta.validation.constraints.NotEmpty;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;

/**
 * {@code server.requestLog} of {@code type: line}: one line per request in a Jetty {@link CustomRequestLog}
 * {@code format}, written by the logback appenders of {@code appenders} as Dropwizard's {@code classic} request
 * log writes its lines (logger {@code http.request}, asynchronous appenders). Jetty formats the line from the
 * request itself as it completes; logback-access (Dropwizard's default type) first copies every request's
 * headers, cookies and attributes into an event for its asynchronous appender. The default format is the
 * common log format without query strings ({@code %U} is the path alone), so a token misplaced in a URL is never
 * logged: {@code 127.0.0.1 - [07/Dec/2026:20:18:42 +0000] "POST /oauth2/token HTTP/1.1" 200 578 6}, the last
 * field the milliseconds taken.
 */
@JsonTypeName("line")
public class LineRequestLogFactory extends LogbackClassicRequestLogFactory {
    public static final String DEFAULT_FORMAT = "%{client}a - %t \"%m %U %H\" %s %O %{ms}T";

    @NotEmpty
    private String format = DEFAULT_FORMAT;

    @JsonProperty
    public String getFormat() {
        return format;
    }

    @JsonProperty
    public void setFormat(String format) {
        this.format = format;
    }

    @Override
    public RequestLog build(String name) {
        RequestLog.Writer writer = ((CustomRequestLog) super.build(name)).getWriter();
        return new CustomRequestLog(writer, format);
    }
}
