package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Subjects under {@code colony.} that no subscription could match are routed to nobody and not cached (ADR 0064). */
class RouteTableSystemSubjectsTest {
    private final LocalEventBus bus = new LocalEventBus(EventBus.builder());
    private long ids;

    private LocalSubscription subscription(SubjectPattern pattern) {
        return new LocalSubscription(++ids, pattern, e -> {}, SubscribeOptions.direct(), bus);
    }

    @Test
    void route_unwatchedSystemSubject_isEmptyAndNotCached() {
        RouteTable table = new RouteTable(16);
        Route route = table.route("colony.agent.a.heartbeat");
        assertThat(route.subscriptions).isEmpty();
        assertThat(route.subject.value()).isEqualTo("colony.agent.a.heartbeat");
        assertThat(table.cacheSize()).isZero();
        assertThat(table.misses()).isZero();

        assertThat(table.route("colonyx.a").subscriptions).isEmpty();
        assertThat(table.route("colony").subscriptions).isEmpty();
        assertThat(table.cacheSize())
                .as("subjects outside colony. are cached as before")
                .isEqualTo(2);
    }

    @Test
    void route_systemSubject_reachesEachKindOfWatcherUntilItCloses() {
        for (String watcher : List.of("colony.agent.a.heartbeat", "colony.>", "colony.*.a.*", "*.agent.>", ">")) {
            RouteTable table = new RouteTable(16);
            LocalSubscription subscription = subscription(SubjectPattern.of(watcher));
            table.add(subscription);
            assertThat(table.route("colony.agent.a.heartbeat").subscriptions)
                    .as(watcher)
                    .containsExactly(subscription);
            assertThat(table.cacheSize()).as(watcher).isEqualTo(1);

            assertThat(table.remove(subscription)).isTrue();
            assertThat(table.route("colony.agent.a.heartbeat").subscriptions)
                    .as(watcher)
                    .isEmpty();
            assertThat(table.route("colony.agent.b.heartbeat").subscriptions)
                    .as(watcher)
                    .isEmpty();
            assertThat(table.cacheSize())
                    .as("%s: only the route cached while watched stays", watcher)
                    .isEqualTo(1);
        }
    }

    @Test
    void route_regexWatcher_reachesSystemSubjects() {
        RouteTable table = new RouteTable(16);
        LocalSubscription regex = subscription(SubjectPattern.regex("colony\\.agent\\..*"));
        table.add(regex);
        assertThat(table.route("colony.agent.a.status").subscriptions).containsExactly(regex);
        table.clear();
        assertThat(table.route("colony.agent.b.status").subscriptions).isEmpty();
        assertThat(table.cacheSize()).isZero();
    }

    @Test
    void route_randomChurnUnderColony_matchesTheReference() {
        long seed = TestSeeds.seed("RouteTableSystemSubjectsTest.route_randomChurnUnderColony", 0xC010L);
        Random random = new Random(seed);
        RandomSubjects generator = new RandomSubjects(random);
        RouteTable table = new RouteTable(16);
        List<LocalSubscription> open = new ArrayList<>();
        for (int op = 0; op < 4_000; op++) {
            int choice = random.nextInt(10);
            if (choice < 2 || (choice < 4 && open.isEmpty())) {
                SubjectPattern pattern = random.nextInt(8) == 0
                        ? SubjectPattern.regex("colony\\." + generator.regex())
                        : SubjectPattern.of(
                                system(random, random.nextInt(4) == 0 ? generator.subject() : generator.wildcard()));
                LocalSubscription added = subscription(pattern);
                table.add(added);
                open.add(added);
            } else if (choice < 4) {
                assertThat(table.remove(open.remove(random.nextInt(open.size()))))
                        .isTrue();
            } else {
                String subject = system(random, generator.subject());
                List<LocalSubscription> expected = open.stream()
                        .filter(s -> expects(s, subject))
                        .sorted(Comparator.comparingLong(LocalSubscription::id))
                        .toList();
                assertThat(Arrays.asList(table.route(subject).subscriptions))
                        .as("route of %s at op %d (seed %d)", subject, op, seed)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    private static String system(Random random, String text) {
        return random.nextBoolean() ? "colony." + text : text;
    }

    private static boolean expects(LocalSubscription s, String subject) {
        return switch (s.pattern()) {
            case SubjectPattern.Wildcard w -> ReferenceMatcher.matches(w.value(), subject);
            case SubjectPattern.Regex r -> Pattern.matches(r.value(), subject);
        };
    }
}
