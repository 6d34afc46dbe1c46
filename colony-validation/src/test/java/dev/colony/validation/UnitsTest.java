package dev.colony.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reports' units: three significant digits, the unit chosen after rounding. */
class UnitsTest {

    @ParameterizedTest(name = "{0} µs -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "0; -", // zeros are how a result says it timed no latency
                "0.000123; 0.123 ns",
                "0.141; 141 ns",
                "0.9996; 1.00 µs",
                "1; 1.00 µs",
                "12.345; 12.3 µs",
                "999.4; 999 µs",
                "999.6; 1.00 ms",
                "2883.6; 2.88 ms",
                "111804.4; 112 ms",
                "1200000; 1.20 s",
                "86400000000; 86400 s"
            })
    void micros_anyDuration_threeSignificantDigitsInTheLargestUnitBelowIt(double us, String expected) {
        assertThat(Units.micros(us)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}/s -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "0; 0",
                "0.5; 0.500",
                "641.04; 641",
                "999.5; 1.00k",
                "2821.7; 2.82k",
                "600364.4; 600k",
                "7080000; 7.08M",
                "50000000; 50.0M",
                "-1500; -1.50k",
                "2500000000; 2.50G"
            })
    void rate_anyRate_threeSignificantDigitsWithKOrM(double perSecond, String expected) {
        assertThat(Units.rate(perSecond)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} B -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {"512; 512 B", "2048; 2.00 KiB", "2450; 2.39 KiB", "1048576; 1.00 MiB"})
    void bytes_anySize_binaryUnits(double bytes, String expected) {
        assertThat(Units.bytes(bytes)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {"0.07; 0.0700", "1; 1.00", "5.2481; 5.25", "25; 25.0", "-21.4; -21.4"})
    void plain_anyNumber_threeSignificantDigits(double value, String expected) {
        assertThat(Units.plain(value)).isEqualTo(expected);
    }
}
