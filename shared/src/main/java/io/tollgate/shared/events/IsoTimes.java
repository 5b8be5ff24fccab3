package io.tollgate.shared.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The two ISO-8601 spellings events use, written as ASCII straight into an encoder's buffer, without
 * {@link DateTimeFormatter}'s per-call objects or a string: the gateway writes two times per {@code api.call}, tens
 * of thousands per second. The output is exactly the formatter's ({@code IsoTimesTest} compares them); years
 * outside 0000-9999 take the formatter itself.
 */
final class IsoTimes {
    /** Room {@link #offsetUtc} and {@link #instant} need in {@code out}: the formatter's spelling of any year fits. */
    static final int MAX_LENGTH = 48;

    private IsoTimes() {
    }

    /**
     * {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.atOffset(UTC))}, fraction without trailing zeros, as
     * ASCII into {@code out} at {@code at} ({@link #MAX_LENGTH} bytes of room); the index after it.
     */
    static int offsetUtc(Instant time, byte[] out, int at) {
        int n = dateTime(time, out, at);
        if (n < 0) {
            return ascii(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.atOffset(ZoneOffset.UTC)), out, at);
        }
        int nanos = time.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            out[n++] = '.';
            n = digits(out, n, nanos, digits);
        }
        out[n++] = 'Z';
        return n;
    }

    /**
     * {@code DateTimeFormatter.ISO_INSTANT.format(time)}, fraction in groups of three digits, as ASCII into
     * {@code out} at {@code at} ({@link #MAX_LENGTH} bytes of room); the index after it.
     */
    static int instant(Instant time, byte[] out, int at) {
        int n = dateTime(time, out, at);
        if (n < 0) {
            return ascii(DateTimeFormatter.ISO_INSTANT.format(time), out, at);
        }
        int nanos = time.getNano();
        if (nanos != 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                n = digits(out, n, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                n = digits(out, n, nanos / 1_000, 6);
            } else {
                n = digits(out, n, nanos, 9);
            }
        }
        out[n++] = 'Z';
        return n;
    }

    private static int ascii(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            out[at + i] = (byte) s.charAt(i); // the formatter writes ASCII only
        }
        return at + s.length();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} into {@code out} at {@code at}; the index after it, or -1 outside years 0000-9999. */
    private static int dateTime(Instant time, byte[] out, int at) {
        long seconds = time.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil inverse).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9_999) {
            return -1;
        }
        int n = digits(out, at, (int) year, 4);
        out[n++] = '-';
        n = digits(out, n, month, 2);
        out[n++] = '-';
        n = digits(out, n, day, 2);
        out[n++] = 'T';
        n = digits(out, n, secondOfDay / 3_600, 2);
        out[n++] = ':';
        n = digits(out, n, secondOfDay / 60 % 60, 2);
        out[n++] = ':';
        return digits(out, n, secondOfDay % 60, 2);
    }

    /** {@code value} as exactly {@code width} decimal digits, zero-padded. */
    private static int digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
