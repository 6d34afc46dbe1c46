package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regex subject patterns: RE2 syntax, matched in linear time, so a pattern that makes a backtracking
 * engine run for hours costs no more than any other; and the syntax that needs backtracking is refused.
 */
class RegexPatternTest {
    private static final String[] CATASTROPHIC = {"(.*a){12}b", "(a+)+b", "(a|aa)+$", "(a|a?)+b", "((a*)*)*c"};

    @ParameterizedTest
    @ValueSource(ints = {30, 1_000})
    void publish_catastrophicBacktrackingPatterns_completesAndDeliversExactlyTheMatches(int length) {
        try (EventBus bus = EventBus.create()) {
            List<List<String>> received = new java.util.ArrayList<>();
            for (String regex : CATASTROPHIC) {
                List<String> mine = new CopyOnWriteArrayList<>();
                received.add(mine);
                bus.subscribe(
                        SubjectPattern.regex(regex), e -> mine.add(e.subject().value()), SubscribeOptions.direct());
            }
            String as = "a".repeat(length - 1);
            String endsInB = as + "b";
            String endsInC = as + "c";
            String allA = as + "a";
            String dotted = "a.".repeat(length / 2 - 1) + "ac"; // dots and a's, no b: backtracks worst of all

            assertThat(bus.publish(endsInB, 1).matched()).isEqualTo(3); // (.*a){12}b, (a+)+b, (a|a?)+b
            assertThat(bus.publish(endsInC, 2).matched()).isEqualTo(1); // ((a*)*)*c
            assertThat(bus.publish(allA, 3).matched()).isEqualTo(1); // (a|aa)+$
            assertThat(bus.publish(dotted, 4).isDead()).isTrue();

            assertThat(received.get(0)).containsExactly(endsInB);
            assertThat(received.get(1)).containsExactly(endsInB);
            assertThat(received.get(2)).containsExactly(allA);
            assertThat(received.get(3)).containsExactly(endsInB);
            assertThat(received.get(4)).containsExactly(endsInC);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a)\\1", "agent\\.(?=x).*", "agent\\.(?!x).*", "(?<=a)b", "(?<!a)b", "a*+", "(?>a)"})
    void regex_backtrackingOnlySyntax_isRefusedQuotingThePatternAndSayingWhy(String regex) {
        assertThatThrownBy(() -> SubjectPattern.regex(regex))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + regex + "\"")
                .hasMessageContaining("RE2 syntax")
                .hasMessageContaining("no backreferences, lookahead, lookbehind");
    }

    @Test
    void regex_longerThanTheLimit_isRefusedWithItsLength() {
        String ok = "a".repeat(SubjectPattern.MAX_REGEX_LENGTH);
        assertThat(SubjectPattern.regex(ok).value()).isEqualTo(ok);
        assertThatThrownBy(() -> SubjectPattern.regex(ok + "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("regex \"aaaa")
                .hasMessageContaining("1025 characters long; the limit is 1024");
    }

    @Test
    void regex_emptyNullOrMalformed_failsAtOnce() {
        assertThatThrownBy(() -> SubjectPattern.regex(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SubjectPattern.regex(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"\"");
        assertThatThrownBy(() -> SubjectPattern.regex("agent.(["))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"agent.([\"");
    }

    private static final String[] ATOMS = {"a", "b", "\\.", ".", "[ab]", "[^a.]", "\\w", "[a-b.]", "(a|b)", "(ab|b)"};
    private static final String[] QUANTIFIERS = {"", "", "", "*", "+", "?", "{1,2}", "*?", "+?", "{2}"};

    /** A random regex over the subjects' alphabet: groups nested at most twice, alternation, lazy quantifiers. */
    private static String randomRegex(Random random, int depth) {
        StringBuilder regex = new StringBuilder();
        int atoms = 1 + random.nextInt(4);
        for (int i = 0; i < atoms; i++) {
            String atom = depth < 2 && random.nextInt(6) == 0
                    ? "(" + randomRegex(random, depth + 1) + ")"
                    : ATOMS[random.nextInt(ATOMS.length)];
            regex.append(atom).append(QUANTIFIERS[random.nextInt(QUANTIFIERS.length)]);
        }
        if (depth < 2 && random.nextInt(6) == 0) {
            regex.append('|').append(randomRegex(random, depth + 1));
        }
        return regex.toString();
    }

    private static String randomSubject(Random random) {
        StringBuilder subject = new StringBuilder();
        int tokens = 1 + random.nextInt(3);
        for (int t = 0; t < tokens; t++) {
            if (t > 0) {
                subject.append('.');
            }
            int length = 1 + random.nextInt(3);
            for (int i = 0; i < length; i++) {
                subject.append(random.nextBoolean() ? 'a' : 'b');
            }
        }
        return subject.toString();
    }

    @Test
    void matches_randomRegexesAndSubjects_agreesWithJavaUtilRegexWholeMatch() {
        long seed = TestSeeds.seed("RegexPatternTest.matches", 0xC01_0A3L);
        Random random = new Random(seed);
        int compared = 0;
        int matched = 0;
        for (int i = 0; i < 3_000; i++) {
            String regex = randomRegex(random, 0);
            Pattern reference;
            try {
                reference = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                continue; // the grammar only makes valid expressions, but stay honest if it does not
            }
            SubjectPattern pattern = SubjectPattern.regex(regex);
            for (int j = 0; j < 10; j++) {
                String subject = randomSubject(random);
                boolean expected = reference.matcher(subject).matches();
                assertThat(pattern.matches(Subject.of(subject)))
                        .as("regex %s on %s (seed %d)", regex, subject, seed)
                        .isEqualTo(expected);
                compared++;
                matched += expected ? 1 : 0;
            }
        }
        assertThat(compared).isEqualTo(30_000);
        assertThat(matched).as("the generator makes matches as well as misses").isBetween(1_000, 29_000);
    }
}
