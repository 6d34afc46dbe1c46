package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link EventBusContract}: routing checked against {@link ReferenceMatcher} with thousands of
 * random patterns and subjects, while subscriptions come and go. The seed is printed; rerun with
 * {@code -Dcolony.seed=N} to replay or explore.
 */
public interface EventBusRoutingContract extends EventBusFixture {

    /** One subscription of the randomized test and what the reference needs to judge it. */
    record RoutedSubscription(int id, String source, String[] tokens, Pattern regex, Subscription subscription) {
        boolean expects(String subject) {
            return regex != null
                    ? regex.matcher(subject).matches()
                    : ReferenceMatcher.matches(tokens, ReferenceMatcher.tokens(subject));
        }
    }

    @Test
    default void publish_randomPatternsWithChurn_reachesExactlyTheSubscriptionsTheReferenceMatches() {
        long seed = TestSeeds.seed("EventBusRoutingContract.publish_randomPatternsWithChurn", 0x5EED_0001L);
        Random random = new Random(seed);
        RandomSubjects generator = new RandomSubjects(random);
        EventBus bus = bus();
        Set<Integer> hits = new HashSet<>();
        List<RoutedSubscription> open = new ArrayList<>();
        int[] nextId = {0};

        for (int i = 0; i < 1_500; i++) {
            open.add(subscribeRandom(bus, generator, random, hits, nextId[0]++));
        }
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            subjects.add(generator.subject());
        }
        long delivered = checkRoutes(bus, open, hits, subjects, seed, "initial");

        for (int round = 0; round < 4; round++) {
            // churn: close about a third, subscribe new ones, while the route cache is warm
            for (int i = open.size() - 1; i >= 0; i--) {
                if (random.nextInt(3) == 0) {
                    open.remove(i).subscription().close();
                }
            }
            for (int i = 0; i < 400; i++) {
                open.add(subscribeRandom(bus, generator, random, hits, nextId[0]++));
            }
            List<String> sample = new ArrayList<>(subjects.subList(0, 600));
            for (int i = 0; i < 600; i++) {
                sample.add(generator.subject());
            }
            delivered += checkRoutes(bus, open, hits, sample, seed, "after churn round " + round);
        }
        assertThat(bus.metrics().delivered()).isEqualTo(delivered);
        assertThat(bus.metrics().subscriptions()).isEqualTo(open.size());
    }

    private static RoutedSubscription subscribeRandom(
            EventBus bus, RandomSubjects generator, Random random, Set<Integer> hits, int id) {
        boolean regex = random.nextInt(10) == 0;
        String source = regex ? generator.regex() : generator.wildcard();
        SubjectPattern pattern = regex ? SubjectPattern.regex(source) : SubjectPattern.of(source);
        Subscription subscription = bus.subscribe(
                pattern,
                e -> assertThat(hits.add(id)).as("delivered twice").isTrue(),
                SubscribeOptions.direct().withPriority(random.nextInt(10)));
        return new RoutedSubscription(
                id, source, ReferenceMatcher.tokens(source), regex ? Pattern.compile(source) : null, subscription);
    }

    /** Publishes every subject and compares who received it with the reference; returns deliveries. */
    private static long checkRoutes(
            EventBus bus,
            List<RoutedSubscription> open,
            Set<Integer> hits,
            List<String> subjects,
            long seed,
            String phase) {
        long delivered = 0;
        int nonEmpty = 0;
        for (String subject : subjects) {
            Set<Integer> expected = new HashSet<>();
            for (RoutedSubscription s : open) {
                if (s.expects(subject)) {
                    expected.add(s.id());
                }
            }
            hits.clear();
            assertThat(bus.subscriberCount(Subject.of(subject)))
                    .as("subscriber count of %s, %s (seed %d)", subject, phase, seed)
                    .isEqualTo(expected.size());
            PublishResult result = bus.publish(subject, subject);
            assertThat(hits)
                    .as("receivers of %s, %s (seed %d)", subject, phase, seed)
                    .isEqualTo(expected);
            assertThat(result).isEqualTo(new PublishResult(expected.size(), expected.size(), 0, 0, 0));
            delivered += expected.size();
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("subjects with receivers, %s", phase).isGreaterThan(subjects.size() / 2);
        return delivered;
    }
}
