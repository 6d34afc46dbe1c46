package dev.colony.validation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How the reports write figures: durations in ns, µs, ms or s and rates with k, M or G, each with three
 * significant digits, so "2883.600 us" reads "2.88 ms" and 600364.4/s reads "600k". The value is rounded
 * to three significant digits before the unit is chosen, so 999.6 µs reads "1.00 ms", never "1000 µs".
 */
public final class Units {
    private static final MathContext THREE = new MathContext(3);
    private static final String[] DURATION = {"ns", "µs", "ms", "s"};
    private static final String[] RATE = {"", "k", "M", "G"};

    private Units() {}

    /** A duration given in microseconds (the JSON's unit), e.g. "141 ns", "2.88 ms", "1.20 s". */
    public static String micros(double us) {
        if (us == 0) {
            // a result that timed no latency carries zeros (Measurement.percentiles): no figure, not "0 ns"
            return "-";
        }
        return scaled(us * 1000, DURATION, " ", 1000);
    }

    /** A duration given in milliseconds. */
    public static String millis(double ms) {
        return micros(ms * 1000);
    }

    /** A count per second without the "/s": "600k", "1.23M", "999". */
    public static String rate(double perSecond) {
        return scaled(perSecond, RATE, "", 1000);
    }

    /** A number of bytes: "2.30 KiB" (1 KiB = 1,024 bytes; the goal "2 KB of heap" means 2,048). */
    public static String bytes(double bytes) {
        return scaled(bytes, new String[] {"B", "KiB", "MiB", "GiB"}, " ", 1024);
    }

    /** Three significant digits without a unit prefix: "0.0700", "12.3", "41900". */
    public static String plain(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : String.valueOf(value);
        }
        double rounded = new BigDecimal(value).round(THREE).doubleValue();
        int digits = (int) Math.floor(Math.log10(Math.abs(rounded)));
        return String.format(Locale.ROOT, "%." + Math.max(0, 2 - digits) + "f", rounded);
    }

    private static String scaled(double value, String[] units, String space, double step) {
        if (value == 0 || !Double.isFinite(value)) {
            return (value == 0 ? "0" : String.valueOf(value)) + space + units[0];
        }
        double rounded = new BigDecimal(value).round(THREE).doubleValue();
        int unit = 0;
        while (unit < units.length - 1 && Math.abs(rounded) >= step) {
            rounded /= step;
            unit++;
        }
        String unitText = units[unit].isEmpty() ? "" : space + units[unit];
        return plain(rounded) + unitText;
    }
}
