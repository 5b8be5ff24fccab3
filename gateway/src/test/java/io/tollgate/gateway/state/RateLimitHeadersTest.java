package io.tollgate.gateway.state;

import io.tollgate.shared.events.PlanRecord;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The RateLimit header fields name the window with the fewest calls left, ties going to the shortest window. */
class RateLimitHeadersTest {
    private static final Limit MINUTE = new Limit(QuotaWindow.MINUTE, 60, "minute", false);
    private static final Limit APP_MINUTE = new Limit(QuotaWindow.MINUTE, 1_000, "app-minute", true);
    private static final Limit HOUR = new Limit(QuotaWindow.HOUR, 1_000, "hour", false);
    private static final Limit DAY = new Limit(QuotaWindow.DAY, 5_000, "day", false);
    private static final Limit MONTH = new Limit(QuotaWindow.MONTH, 100_000, "month", true);
    private static final List<Limit> ALL = List.of(MINUTE, APP_MINUTE, HOUR, DAY, MONTH);

    private static long epoch(int year, int month, int day) {
        return LocalDate.of(year, month, day).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    void thePlanListsItsWindowsShortestFirstWithTheAppWideOnes() {
        PlanRecord plan = new PlanRecord("p", "mobile", "P", Set.of("read"), 60, 1_000, 5_000, 3, false,
                Set.of("password"), 0, 0, 1_000, 100_000, null);
        assertThat(Limit.of(plan)).containsExactlyElementsOf(ALL);
        PlanRecord appOnly = new PlanRecord("q", "mobile", "Q", Set.of("read"), 0, 0, 0, 3, false,
                Set.of("password"), 0, 0, 0, 500, null);
        assertThat(Limit.none(appOnly)).isFalse();
        assertThat(Limit.of(appOnly)).containsExactly(new Limit(QuotaWindow.MONTH, 500, "month", true));
        assertThat(Limit.none(new PlanRecord("r", "mobile", "R", Set.of("read"), 0, 0, 0, 3, false,
                Set.of("password")))).isTrue();
    }

    @Test
    void thePolicyNamesEveryWindowWithTheCurrentMonthsLength() {
        long february2028 = epoch(2028, 2, 10) + 3_600; // a leap year: 29 days
        assertThat(RateLimitHeaders.policy(ALL, february2028)).isEqualTo("\"minute\";q=60;w=60, "
                + "\"app-minute\";q=1000;w=60, \"hour\";q=1000;w=3600, \"day\";q=5000;w=86400, "
                + "\"month\";q=100000;w=" + 29 * 86_400);
        assertThat(RateLimitHeaders.policy(List.of(MONTH), epoch(2027, 12, 31) + 86_399))
                .isEqualTo("\"month\";q=100000;w=" + 31 * 86_400);
    }

    @Test
    void theTightestWindowIsTheOneWithTheFewestCallsLeft() {
        // left: minute 50, app-minute 990, hour 10, day 4000, month 99000 -> the hour
        assertThat(RateLimitHeaders.tightest(ALL, new long[]{10, 10, 990, 1_000, 1_000})).isEqualTo(2);
        // the application's minute is nearly spent by other users: 5 left against the user's 50
        assertThat(RateLimitHeaders.tightest(ALL, new long[]{10, 995, 10, 10, 10})).isEqualTo(1);
        // the month is nearly spent
        assertThat(RateLimitHeaders.tightest(ALL, new long[]{0, 0, 0, 0, 99_999})).isEqualTo(4);
    }

    @Test
    void aTieGoesToTheShortestWindowWhateverTheOrder() {
        // 40 left in the hour and in the day: the hour
        assertThat(RateLimitHeaders.tightest(List.of(DAY, HOUR), new long[]{4_960, 960})).isEqualTo(1);
        // 0 left in the month and in the app's minute: the minute, which resets first
        assertThat(RateLimitHeaders.tightest(List.of(MONTH, APP_MINUTE), new long[]{100_000, 1_000})).isEqualTo(1);
        // two windows of one length: the first listed (the user's minute before the application's)
        Limit appSixty = new Limit(QuotaWindow.MINUTE, 60, "app-minute", true);
        assertThat(RateLimitHeaders.tightest(List.of(MINUTE, appSixty), new long[]{20, 20})).isEqualTo(0);
    }

    @Test
    void theFieldCarriesTheRemainingCallsAndTheResetNeverBelowZero() {
        assertThat(RateLimitHeaders.field(MONTH, 12, 86_400)).isEqualTo("\"month\";r=12;t=86400");
        assertThat(RateLimitHeaders.field(APP_MINUTE, -3, 7)).isEqualTo("\"app-minute\";r=0;t=7");
    }

    @Test
    void aMonthIsTheCalendarMonthInUtc() {
        long t = epoch(2027, 12, 31) + 86_399; // the last second of 2027
        assertThat(QuotaWindow.MONTH.start(t)).isEqualTo(epoch(2027, 12, 1));
        assertThat(QuotaWindow.MONTH.end(t)).isEqualTo(epoch(2028, 1, 1));
        assertThat(QuotaWindow.MONTH.start(t + 1)).isEqualTo(epoch(2028, 1, 1));
        assertThat(QuotaWindow.MONTH.end(epoch(2028, 2, 29))).isEqualTo(epoch(2028, 3, 1));
        assertThat(QuotaWindow.MONTH.code()).isEqualTo("mo");
        assertThat(QuotaWindow.MINUTE.end(epoch(2028, 2, 29) + 61)).isEqualTo(epoch(2028, 2, 29) + 120);
    }
}
