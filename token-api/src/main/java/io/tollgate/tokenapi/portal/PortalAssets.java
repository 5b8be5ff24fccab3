package io.tollgate.tokenapi.portal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The portal's static files from {@code src/main/resources/portal/} at {@code /portal/}. A JAX-RS resource rather
 * than an AssetsBundle servlet: a servlet mapped at {@code /portal/*} would shadow Jersey's {@code /portal/api}.
 * Only the listed files are served, with a strict Content-Security-Policy (no inline script, no third party).
 */
@Path("/portal")
public class PortalAssets {
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "openapi.yaml", "application/yaml; charset=utf-8");
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /** {@code /portal} and {@code /portal/} (the page links its files by absolute paths). */
    @GET
    public Response index() {
        return file("index.html");
    }

    @GET
    @Path("/{file: [a-z]+\\.(html|js|css|yaml)}")
    public Response file(@PathParam("file") String file) {
        String type = FILES.get(file);
        if (type == null) {
            throw PortalException.notFound();
        }
        try (InputStream in = PortalAssets.class.getResourceAsStream("/portal/" + file)) {
            if (in == null) {
                throw PortalException.notFound();
            }
            return Response.ok(in.readAllBytes(), type).header("Content-Security-Policy", CSP)
                    .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-cache").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
