package io.tollgate.gateway.state;

import io.tollgate.shared.redis.RedisKeys.Window;

import java.time.LocalDate;

/** A fixed rate-limit window: the minute, hour and day of {@link Window}, or the calendar month in UTC. */
enum QuotaWindow {
    MINUTE(Window.MINUTE), HOUR(Window.HOUR), DAY(Window.DAY), MONTH(null);

    private static final long DAY_SECONDS = 86_400;

    private final Window fixed;

    QuotaWindow(Window fixed) {
        this.fixed = fixed;
    }

    /** The {@link Window} of a minute, hour or day; null for the month. */
    Window fixed() {
        return fixed;
    }

    /** The key segment of this window ({@code m}, {@code h}, {@code d}, {@code mo}). */
    String code() {
        return fixed == null ? "mo" : fixed.code();
    }

    /** The start (epoch seconds) of the window that contains {@code epochSeconds}. */
    long start(long epochSeconds) {
        if (fixed != null) {
            return fixed.start(epochSeconds);
        }
        return firstOfMonth(epochSeconds).toEpochDay() * DAY_SECONDS;
    }

    /** The end (epoch seconds, exclusive) of the window that contains {@code epochSeconds}. */
    long end(long epochSeconds) {
        if (fixed != null) {
            return fixed.start(epochSeconds) + fixed.seconds();
        }
        return firstOfMonth(epochSeconds).plusMonths(1).toEpochDay() * DAY_SECONDS;
    }

    /** The length in seconds of the window that contains {@code epochSeconds} (a month: 28 to 31 days). */
    long seconds(long epochSeconds) {
        return fixed != null ? fixed.seconds() : end(epochSeconds) - start(epochSeconds);
    }

    private static LocalDate firstOfMonth(long epochSeconds) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochSeconds, DAY_SECONDS)).withDayOfMonth(1);
    }
}
