package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.TestSeeds;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast timestamp form writes what {@link Instant#toString()} writes and reads only what it may. */
class CloudEventTimeTest {
    private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final int COUNT = 20_000;

    @Test
    void format_randomInstants_matchesInstantToStringAndParsesBack() {
        SplittableRandom random = new SplittableRandom(TestSeeds.seed("CloudEventTimeTest.format", 0x7133L));
        for (int i = 0; i < COUNT; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant time = Instant.ofEpochSecond(random.nextLong(MIN, MAX + 1), nanos);
            String text = CloudEventTime.format(time);
            assertThat(text).isEqualTo(time.toString());
            assertThat(CloudEventTime.parseCanonical(text)).as(text).isEqualTo(time);
        }
    }

    @Test
    void format_edgesAndOutsideTheFourDigitYears_matchesInstantToString() {
        for (Instant time : new Instant[] {
            Instant.ofEpochSecond(MIN),
            Instant.ofEpochSecond(MAX, 999_999_999),
            Instant.EPOCH,
            Instant.ofEpochSecond(-1, 1),
            Instant.parse("2024-02-29T23:59:59.000001Z"),
            Instant.ofEpochSecond(MIN - 1),
            Instant.ofEpochSecond(MAX + 1),
            Instant.MIN,
            Instant.MAX
        }) {
            assertThat(CloudEventTime.format(time)).isEqualTo(time.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-27T10:00:00Z",
                "2026-11-27T10:00:00.1Z",
                "2026-11-27T10:00:00.12Z",
                "2026-11-27T10:00:00.1234Z",
                "2026-11-27T10:00:00.123456789Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z",
                "2024-02-29T00:00:00Z"
            })
    void parseCanonical_canonicalForm_readsAsTheGeneralParserDoes(String text) {
        assertThat(CloudEventTime.parseCanonical(text))
                .isNotNull()
                .isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "2026-11-27",
                "2026-11-27T10:00:00",
                "2026-11-27t10:00:00z",
                "2026-11-27T10:00:00+01:00",
                "2026-11-27T10:00:00.Z",
                "2026-11-27T10:00:00.1234567891Z",
                "2026-11-27T10:00Z",
                "2026-11-27 10:00:00Z",
                "2026-11-27T10:00:00,5Z",
                "2026-02-29T00:00:00Z",
                "2026-02-30T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z",
                "2026-11-00T00:00:00Z",
                "2026-11-27T24:00:00Z",
                "2026-11-27T10:60:00Z",
                "2026-11-27T10:00:60Z",
                "+2026-11-27T10:00:00Z",
                "-001-11-27T10:00:00Z",
                "2026-1a-27T10:00:00Z",
                "2026-11-27T10:00:00.12a4Z",
                "20261-11-27T10:00:00Z"
            })
    void parseCanonical_anythingElse_isLeftToTheGeneralParser(String text) {
        assertThat(CloudEventTime.parseCanonical(text)).isNull();
    }
}
