package dev.colony.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PatternCoverage} and the subscription check of {@link Permissions}, against a brute-force oracle:
 * every subject of up to five tokens over the alphabet {a, b, c, d}, where {@code d} appears in no pattern
 * and so stands for every token the patterns do not name. Patterns have at most four tokens, so five-token
 * subjects show where a {@code >} reaches past a fixed-length pattern.
 */
class PatternCoverageTest {
    private static final List<String> LETTERS = List.of("a", "b", "c");
    private static final List<Subject> SUBJECTS = allSubjects();

    @Test
    void covers_examples_matchTheWildcardRules() {
        assertThat(covers("a.>", "a.b.c")).isTrue();
        assertThat(covers("a.>", "a.*")).isTrue();
        assertThat(covers("a.>", "a.>")).isTrue();
        assertThat(covers("a.>", "a")).isFalse();
        assertThat(covers("a.*", "a.>")).isFalse();
        assertThat(covers("a.*", "a.b")).isTrue();
        assertThat(covers("a.b", "a.*")).isFalse();
        assertThat(covers(">", "x.>")).isTrue();
        assertThat(covers("*.b", "a.*")).isFalse();
    }

    @Test
    void intersects_examples_matchTheWildcardRules() {
        assertThat(intersects("a.*", "*.b")).isTrue();
        assertThat(intersects("a.>", "a")).isFalse();
        assertThat(intersects("a.b", "a.c")).isFalse();
        assertThat(intersects("a.>", "*.*.c")).isTrue();
        assertThat(intersects("a.*", "a.b.c")).isFalse();
    }

    @Test
    void coversAndIntersects_randomPatterns_agreeWithBruteForce() {
        long seed = seed("coversAndIntersects_randomPatterns_agreeWithBruteForce", 1717L);
        Random random = new Random(seed);
        for (int i = 0; i < 3_000; i++) {
            SubjectPattern.Wildcard x = randomPattern(random);
            SubjectPattern.Wildcard y = randomPattern(random);
            List<Subject> inX = matching(x);
            List<Subject> inY = matching(y);
            boolean covers = inY.stream().allMatch(x::matches);
            boolean intersects = inY.stream().anyMatch(x::matches);
            assertThat(PatternCoverage.covers(x.tokens(), y.tokens()))
                    .as("[seed %d] %s covers %s", seed, x, y)
                    .isEqualTo(covers);
            assertThat(PatternCoverage.intersects(x.tokens(), y.tokens()))
                    .as("[seed %d] %s intersects %s", seed, x, y)
                    .isEqualTo(intersects)
                    .isEqualTo(inX.stream().anyMatch(y::matches));
        }
    }

    @Test
    void subscriptionCheck_randomPermissions_neverAdmitsADeniedOrUnallowedSubject() {
        long seed = seed("subscriptionCheck_randomPermissions_neverAdmitsADeniedOrUnallowedSubject", 1731L);
        Random random = new Random(seed);
        int admitted = 0;
        for (int i = 0; i < 2_000; i++) {
            Permissions permissions = new Permissions(randomPatterns(random, 3), randomPatterns(random, 2));
            SubjectPattern.Wildcard requested = randomPattern(random);
            boolean admit = permissions.check(requested).isEmpty();
            if (admit) {
                admitted++;
                for (Subject s : matching(requested)) {
                    assertThat(permissions.check(s))
                            .as(
                                    "[seed %d] %s admitted under %s but its subject %s is refused",
                                    seed, requested, permissions, s)
                            .isEmpty();
                }
            }
            boolean singleAllowCovers = permissions.allow().stream()
                    .anyMatch(a -> matching(requested).stream().allMatch(a::matches));
            boolean anyDenied = matching(requested).stream()
                    .anyMatch(s -> permissions.deny().stream().anyMatch(d -> d.matches(s)));
            assertThat(admit)
                    .as("[seed %d] %s under %s", seed, requested, permissions)
                    .isEqualTo(singleAllowCovers && !anyDenied);
        }
        assertThat(admitted).as("the random cases admit some subscriptions").isGreaterThan(50);
    }

    private static boolean covers(String outer, String inner) {
        return PatternCoverage.covers(
                SubjectPattern.of(outer).tokens(), SubjectPattern.of(inner).tokens());
    }

    private static boolean intersects(String a, String b) {
        return PatternCoverage.intersects(
                SubjectPattern.of(a).tokens(), SubjectPattern.of(b).tokens());
    }

    private static List<Subject> matching(SubjectPattern pattern) {
        return SUBJECTS.stream().filter(pattern::matches).toList();
    }

    private static List<SubjectPattern.Wildcard> randomPatterns(Random random, int max) {
        List<SubjectPattern.Wildcard> patterns = new ArrayList<>();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            patterns.add(randomPattern(random));
        }
        return patterns;
    }

    private static SubjectPattern.Wildcard randomPattern(Random random) {
        int size = 1 + random.nextInt(4);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int r = random.nextInt(10);
            boolean last = i == size - 1;
            tokens.add(r < 2 ? "*" : r < 3 && last ? ">" : LETTERS.get(random.nextInt(LETTERS.size())));
        }
        return SubjectPattern.of(String.join(".", tokens));
    }

    private static List<Subject> allSubjects() {
        List<String> alphabet = List.of("a", "b", "c", "d");
        List<Subject> subjects = new ArrayList<>();
        List<String> level = List.of("");
        for (int length = 1; length <= 5; length++) {
            List<String> next = new ArrayList<>();
            for (String prefix : level) {
                for (String token : alphabet) {
                    next.add(prefix.isEmpty() ? token : prefix + "." + token);
                }
            }
            next.forEach(s -> subjects.add(Subject.of(s)));
            level = next;
        }
        return subjects;
    }

    static long seed(String test, long fallback) {
        String override = System.getProperty("colony.seed");
        long seed = override == null || override.isBlank() ? fallback : Long.parseLong(override.strip());
        System.out.printf("[seed] %s: seed=%d (replay with -Dcolony.seed=%d)%n", test, seed, seed);
        return seed;
    }
}
