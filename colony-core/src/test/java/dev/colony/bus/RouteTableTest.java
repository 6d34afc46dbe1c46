package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The route table on its own: trie, regex list and cache, with a cache much smaller than the subject
 * space so that eviction, re-computation and in-place route updates all happen during churn.
 */
class RouteTableTest {
    private final LocalEventBus bus = new LocalEventBus(EventBus.builder());
    private long ids;

    private LocalSubscription subscription(SubjectPattern pattern, int priority) {
        return new LocalSubscription(
                ++ids, pattern, e -> {}, SubscribeOptions.direct().withPriority(priority), bus);
    }

    private static boolean expects(LocalSubscription s, String subject) {
        return switch (s.pattern()) {
            case SubjectPattern.Wildcard w -> ReferenceMatcher.matches(w.value(), subject);
            case SubjectPattern.Regex r -> Pattern.matches(r.value(), subject);
        };
    }

    @Test
    void route_randomChurnWithATinyCache_matchesTheReferenceInDeliveryOrder() {
        long seed = TestSeeds.seed("RouteTableTest.route_randomChurn", 0x7AB1EL);
        Random random = new Random(seed);
        RandomSubjects generator = new RandomSubjects(random);
        RouteTable table = new RouteTable(16);
        List<LocalSubscription> open = new ArrayList<>();
        Comparator<LocalSubscription> deliveryOrder = Comparator.comparingInt(
                        (LocalSubscription s) -> -s.options().priority())
                .thenComparingLong(LocalSubscription::id);

        for (int op = 0; op < 6_000; op++) {
            int choice = random.nextInt(10);
            if (choice < 2 || open.isEmpty()) {
                SubjectPattern pattern = random.nextInt(8) == 0
                        ? SubjectPattern.regex(generator.regex())
                        : SubjectPattern.of(random.nextInt(4) == 0 ? generator.subject() : generator.wildcard());
                LocalSubscription added = subscription(pattern, random.nextInt(3) * 4);
                table.add(added);
                open.add(added);
            } else if (choice < 4) {
                LocalSubscription removed = open.remove(random.nextInt(open.size()));
                assertThat(table.remove(removed)).isTrue();
                assertThat(table.remove(removed)).as("second removal").isFalse();
            } else {
                String subject = generator.subject();
                List<LocalSubscription> expected = open.stream()
                        .filter(s -> expects(s, subject))
                        .sorted(deliveryOrder)
                        .toList();
                Route route = choice < 7 ? table.route(subject) : table.route(Subject.of(subject));
                assertThat(Arrays.asList(route.subscriptions))
                        .as("route of %s at op %d (seed %d)", subject, op, seed)
                        .containsExactlyElementsOf(expected);
                assertThat(route.subject.value()).isEqualTo(subject);
                assertThat(route.hasAsync).isFalse();
                assertThat(table.cacheSize()).isLessThanOrEqualTo(16);
            }
        }
        assertThat(table.subscriptions()).containsExactlyInAnyOrderElementsOf(open);
        assertThat(table.subscriptionCount()).isEqualTo(open.size());
        assertThat(table.evictions()).as("the cache was evicted during the run").isPositive();
    }

    @Test
    void route_invalidSubjectText_throwsAndCachesNothing() {
        RouteTable table = new RouteTable(16);
        assertThatThrownBy(() -> table.route("a..b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(table.cacheSize()).isZero();
        assertThat(table.misses()).isZero();
        assertThat(table.route("a.b").subscriptions).isEmpty();
        assertThat(table.route("a.b").subscriptions).isEmpty();
        assertThat(table.misses()).isEqualTo(1);
        assertThat(table.cacheSize()).isEqualTo(1);
    }
}
