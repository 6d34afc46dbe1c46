package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.colony.bus.TestSeeds;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The codec against 10,000 generated hostile CloudEvents ({@link MalformedCloudEvents}): each decodes or is
 * refused with a {@link MalformedMessageException} whose reason is one short line (the reason its kind
 * expects), whatever the payload type; nothing else is ever thrown.
 */
class CloudEventFuzzTest {
    record Point(int x, int y) {}

    static final JsonMessageCodec FUZZ_CODEC = JsonMessageCodec.builder()
            .maxDepth(16)
            .maxNumberLength(64)
            .maxStringLength(1000)
            .maxNameLength(128)
            .build();

    private static final Map<MalformedCloudEvents.Kind, List<String>> REASONS = new EnumMap<>(Map.of(
            MalformedCloudEvents.Kind.DEEP_NESTING, List.of("data nests deeper than 16 levels"),
            MalformedCloudEvents.Kind.LONG_NUMBER, List.of("a number has more than 64 digits"),
            MalformedCloudEvents.Kind.LONG_NAME, List.of("a property name is longer than 128 characters"),
            MalformedCloudEvents.Kind.LONG_STRING, List.of("a string is longer than 1000 characters"),
            MalformedCloudEvents.Kind.INVALID_UTF8, List.of("UTF-8"),
            MalformedCloudEvents.Kind.WRONG_TYPE, List.of("must be", "is null", "invalid"),
            MalformedCloudEvents.Kind.DUPLICATE_KEY, List.of("Duplicate Object property"),
            MalformedCloudEvents.Kind.TRUNCATED, List.of("not valid JSON")));

    @Test
    void decode_generatedMalformedEvents_refusedWithAReasonOrDecodedNeverAnythingElse() {
        long seed = TestSeeds.seed("CloudEventFuzzTest", 0x1419_F022L);
        MalformedCloudEvents generator = new MalformedCloudEvents(new Random(seed), FUZZ_CODEC);
        int decoded = 0;
        for (MalformedCloudEvents.Case fuzz : generator.generate(10_000)) {
            for (Class<?> type : new Class<?>[] {Object.class, RawJson.class, Point.class}) {
                try {
                    FUZZ_CODEC.decode(fuzz.bytes(), type);
                    if (fuzz.kind() != MalformedCloudEvents.Kind.MUTATED) {
                        fail("decoded %s as %s (seed %d): %s", fuzz, type, seed, text(fuzz));
                    }
                    decoded++;
                } catch (MalformedMessageException e) {
                    assertThat(e.getMessage())
                            .as("%s (seed %d)", fuzz, seed)
                            .doesNotContain("\n")
                            .hasSizeLessThan(400);
                    List<String> expected = REASONS.get(fuzz.kind());
                    if (expected != null && type != Point.class) {
                        assertThat(expected)
                                .as("reason \"%s\" for %s (seed %d): %s", e.getMessage(), fuzz, seed, text(fuzz))
                                .anyMatch(e.getMessage()::contains);
                    }
                } catch (Throwable e) {
                    throw new AssertionError(
                            "%s as %s threw %s (seed %d): %s".formatted(fuzz, type, e, seed, text(fuzz)), e);
                }
            }
        }
        System.out.printf("[fuzz] CloudEventFuzzTest: %d decodings of mutated events succeeded%n", decoded);
    }

    private static String text(MalformedCloudEvents.Case fuzz) {
        String text = new String(fuzz.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
