package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Subject syntax and wildcard matching checked against {@link ReferenceMatcher} on many random inputs.
 * The seed is printed; rerun with {@code -Dcolony.seed=N} to replay or explore.
 */
class SubjectPatternRandomizedTest {
    private static final char[] ALPHABET = {'a', 'b', '.', '.', '*', '>', ' ', '\t'};

    @Test
    void parse_randomText_acceptedExactlyWhenTheReferenceSaysValid() {
        long seed = TestSeeds.seed("SubjectPatternRandomizedTest.parse", 0xC01_0A1L);
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(9);
            for (int j = 0; j < length; j++) {
                text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            String value = text.toString();
            checkParse(value, false, seed);
            checkParse(value, true, seed);
        }
    }

    private static void checkParse(String value, boolean wildcards, long seed) {
        Throwable error = catchThrowable(() -> {
            if (wildcards) {
                SubjectPattern.of(value);
            } else {
                Subject.of(value);
            }
        });
        String what = (wildcards ? "pattern" : "subject") + " \"" + value + "\" (seed " + seed + ")";
        if (ReferenceMatcher.isValid(value, wildcards)) {
            assertThat(error).as(what).isNull();
        } else {
            assertThat(error)
                    .as(what)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + value + "\"");
        }
    }

    @Test
    void matches_randomPatternsAndSubjects_agreesWithTheReference() {
        long seed = TestSeeds.seed("SubjectPatternRandomizedTest.matches", 0xC01_0A2L);
        RandomSubjects random = new RandomSubjects(new Random(seed));
        int matched = 0;
        for (int i = 0; i < 50_000; i++) {
            String pattern = i % 10 == 0 ? random.subject() : random.wildcard(); // some literal patterns
            String subject = random.subject();
            boolean expected = ReferenceMatcher.matches(pattern, subject);
            assertThat(SubjectPattern.of(pattern).matches(Subject.of(subject)))
                    .as("%s matches %s (seed %d)", pattern, subject, seed)
                    .isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        // the alphabet is small on purpose: make sure the run exercised matches, not just misses
        assertThat(matched).as("matching pairs").isGreaterThan(2_000);
    }
}
