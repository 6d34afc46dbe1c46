package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subscribe, close and publish interleaved at random on one bus over literal, {@code *}, {@code >} and
 * regex patterns: every publish's deliveries, in delivery order, are checked against a brute-force
 * matcher over the subscriptions open at that moment. Run with a route cache much smaller than the
 * subject space (evictions, misses, in-place route updates) and with one that holds every subject (routes
 * updated in place only).
 */
class EventBusChurnRandomizedTest {
    private record Open(Subscription subscription, SubjectPattern pattern, int priority, int tag) {
        boolean matches(String subject) {
            return switch (pattern) {
                case SubjectPattern.Wildcard w -> ReferenceMatcher.matches(w.value(), subject);
                case SubjectPattern.Regex r -> Pattern.matches(r.value(), subject);
            };
        }
    }

    private static final Comparator<Open> DELIVERY_ORDER =
            Comparator.comparingInt((Open o) -> -o.priority()).thenComparingInt(Open::tag);

    @ParameterizedTest
    @ValueSource(ints = {8, 65_536})
    void publish_randomSubscribeCloseAndPublish_deliversExactlyToTheMatchingOpenSubscriptions(int cacheCapacity) {
        long seed = TestSeeds.seed("EventBusChurnRandomizedTest.publish_randomChurn(" + cacheCapacity + ")", 0x21C0L);
        Random random = new Random(seed);
        RandomSubjects generator = new RandomSubjects(random);
        List<Integer> delivered = new ArrayList<>(); // handler tags, in delivery order
        List<Open> open = new ArrayList<>();
        int tags = 0;
        int publishes = 0;
        int deliveries = 0;
        try (EventBus bus = EventBus.builder().routeCacheCapacity(cacheCapacity).build()) {
            for (int op = 0; op < 20_000; op++) {
                int choice = random.nextInt(10);
                if (choice < 2 || open.isEmpty()) {
                    SubjectPattern pattern = switch (random.nextInt(4)) {
                        case 0 -> SubjectPattern.of(generator.subject()); // literal
                        case 1 -> SubjectPattern.regex(generator.regex());
                        default -> SubjectPattern.of(generator.wildcard()); // '*', '>', sometimes literal
                    };
                    int priority = random.nextInt(3) * 4;
                    int tag = tags++;
                    Subscription subscription = bus.subscribe(
                            pattern,
                            event -> delivered.add(tag),
                            SubscribeOptions.direct().withPriority(priority));
                    open.add(new Open(subscription, pattern, priority, tag));
                } else if (choice < 4) {
                    Open closing = open.remove(random.nextInt(open.size()));
                    closing.subscription().close();
                    assertThat(closing.subscription().isOpen()).isFalse();
                } else {
                    String subject = generator.subject();
                    List<Integer> expected = open.stream()
                            .filter(o -> o.matches(subject))
                            .sorted(DELIVERY_ORDER)
                            .map(Open::tag)
                            .toList();
                    delivered.clear();
                    PublishResult result = bus.publish(subject, op);
                    assertThat(delivered)
                            .as("deliveries of %s at op %d (seed %d)", subject, op, seed)
                            .containsExactlyElementsOf(expected);
                    assertThat(result.matched()).isEqualTo(expected.size());
                    publishes++;
                    deliveries += expected.size();
                }
            }
            assertThat(bus.metrics().subscriptions()).isEqualTo(open.size());
            assertThat(bus.metrics().delivered()).isEqualTo(deliveries);
        }
        assertThat(publishes).as("the run published").isGreaterThan(10_000);
        assertThat(deliveries).as("and delivered").isGreaterThan(publishes);
    }
}
