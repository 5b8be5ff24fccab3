package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.kafka.EventsUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;

/**
 * Everything else: Jersey's own errors keep their 4xx status with an OAuth-style JSON body; an
 * unavailable Redis or Kafka is a 503 with Retry-After; a bug is a bare 500 {@code server_error}, logged
 * here by class and message only, never echoed.
 */
@Provider
public class FallbackExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackExceptionMapper.class);
    private final Duration retryAfter;

    public FallbackExceptionMapper(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    @Override
    public Response toResponse(Throwable exception) {
        if (exception instanceof OAuthException e) {
            return Responses.error(e);
        }
        if (exception instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status >= 400 && status < 500) {
                String code = status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : "invalid_request";
                return Responses.noStore(Response.status(status)).type("application/json")
                        .entity(new io.tollgate.tokenapi.api.ErrorResponse(code, null)).build();
            }
        }
        if (exception instanceof JedisException || exception instanceof EventsUnavailableException) {
            LOG.warn("event=dependency.unavailable error={}", exception.getClass().getSimpleName());
            return Responses.error(OAuthException.unavailable("the service is temporarily unavailable", retryAfter));
        }
        LOG.error("event=request.failed error={}", exception.getClass().getName(), exception);
        return Responses.error(new OAuthException(OAuthError.SERVER_ERROR, null));
    }
}
