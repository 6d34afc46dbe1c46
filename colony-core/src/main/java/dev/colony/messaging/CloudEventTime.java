package dev.colony.messaging;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The canonical form of a CloudEvents timestamp, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} in UTC, written
 * and read without {@code java.time.format}: the form {@link JsonMessageCodec} writes, so decoding its
 * own messages skips the general RFC 3339 parser, which costs a microsecond or so a timestamp.
 *
 * <p>{@link #format} gives exactly {@link Instant#toString()} for the years 0000 to 9999 (the fraction
 * in groups of three digits, none when zero). {@link #parseCanonical} accepts only that shape with one to
 * nine fraction digits and returns {@code null} for anything else, valid or not (an offset, lower-case
 * letters, a 30th of February), leaving it to the general parser to accept or to report: it never
 * accepts what the general parser would refuse, nor reads a timestamp differently.
 */
final class CloudEventTime {
    private static final int SECONDS_PER_DAY = 86_400;
    private static final long MIN_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private CloudEventTime() {}

    /** {@code time.toString()}, built faster for the years 0000 to 9999. */
    static String format(Instant time) {
        long seconds = time.getEpochSecond();
        if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
            return time.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = Math.floorMod(seconds, SECONDS_PER_DAY);
        int nanos = time.getNano();
        byte[] out = new byte[nanos == 0 ? 20 : nanos % 1_000_000 == 0 ? 24 : nanos % 1_000 == 0 ? 27 : 30];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[19] = '.';
            int fractionDigits = out.length - 21;
            digits(out, 20, nanos / pow10(9 - fractionDigits), fractionDigits);
        }
        out[out.length - 1] = 'Z';
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** The instant of a timestamp of the canonical shape, or {@code null} if it is not of that shape. */
    static Instant parseCanonical(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(length - 1) != 'Z') {
            return null;
        }
        if (text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fractionDigits = length - 21;
            int fraction = number(text, 20, fractionDigits);
            nanos = fraction < 0 ? -1 : fraction * pow10(9 - fractionDigits);
        }
        if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The value of {@code count} ASCII digits from {@code start}, or -1 if one is not a digit. */
    private static int number(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static void digits(byte[] out, int start, int value, int count) {
        for (int i = start + count - 1; i >= start; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int pow10(int exponent) {
        int value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
