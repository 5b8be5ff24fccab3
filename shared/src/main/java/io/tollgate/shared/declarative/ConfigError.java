package io.tollgate.shared.declarative;

/**
 * One reason a declarative configuration is invalid.
 *
 * @param path    JSON Pointer of the offending value in the file ({@code /plans/0/limits/perMinute}; {@code ""} = the
 *                whole document)
 * @param line    the line of the file where that value starts (1-based), or 0 when unknown
 * @param message what is wrong, without the path
 */
public record ConfigError(String path, int line, String message) {

    /** {@code file:12: /plans/0/limits/perMinute: must be >= 0} (without the line when it is unknown). */
    public String format(String file) {
        return file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "/" : path) + ": " + message;
    }
}
