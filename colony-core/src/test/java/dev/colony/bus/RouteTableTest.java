package dev.colony.bus;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    /** A matcher that parks on {@code release} when {@code blocks} says so, after opening {@code entered}. */
    private static java.util.function.BiPredicate<SubjectPattern, Subject> pausing(
            java.util.function.BiPredicate<SubjectPattern, Subject> blocks,
            CountDownLatch entered,
            CountDownLatch release) {
        return (pattern, subject) -> {
            if (blocks.test(pattern, subject)) {
                entered.countDown();
                try {
                    awaitLatch(release);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return pattern.matches(subject);
        };
    }

    @Test
    void route_whileAMissMatchesRegexes_subscribeUnsubscribeAndOtherSubjectsProceed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RouteTable table = new RouteTable(16, pausing((p, s) -> s.value().equals("slow.one"), entered, release));
        LocalSubscription slow = subscription(SubjectPattern.regex("slow\\..*"), 0);
        table.add(slow);
        AtomicReference<Route> slowRoute = new AtomicReference<>();
        Thread missing = Thread.ofPlatform().start(() -> slowRoute.set(table.route("slow.one")));
        try {
            awaitLatch(entered); // the miss of slow.one is now matching its regexes

            Thread others = Thread.ofPlatform().start(() -> {
                LocalSubscription other = subscription(SubjectPattern.regex("other\\..*"), 0);
                table.add(other);
                assertThat(table.route("other.one").subscriptions).containsExactly(other);
                assertThat(table.route("other.one").subscriptions).containsExactly(other);
                assertThat(table.remove(other)).isTrue();
                assertThat(table.route("other.one").subscriptions).isEmpty();
                assertThat(table.subscriptionCount()).isEqualTo(1);
            });
            join(others); // fails the test if any of it waited for the paused miss

            assertThat(missing.isAlive())
                    .as("the miss of slow.one is still paused")
                    .isTrue();
        } finally {
            release.countDown();
        }
        join(missing);
        assertThat(slowRoute.get().subscriptions).containsExactly(slow);
        assertThat(table.route("slow.one").subscriptions).containsExactly(slow);
    }

    @Test
    void route_whileASubscribeScansTheCache_missesAndHitsProceedAndSeeWhatTheyMay() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RouteTable table = new RouteTable(
                16, pausing((p, s) -> p.value().startsWith("x") && s.value().equals("x.1"), entered, release));
        LocalSubscription early = subscription(SubjectPattern.of("x.*"), 0);
        table.add(early);
        table.route("x.1");
        table.route("x.2");
        LocalSubscription late = subscription(SubjectPattern.regex("x\\.[0-9]"), 0);
        Thread subscriber = Thread.ofPlatform().start(() -> table.add(late));
        try {
            awaitLatch(entered); // the subscribe is matching its regex against the cached subject x.1

            Thread publisher = Thread.ofPlatform().start(() -> {
                assertThat(table.route("x.2").subscriptions)
                        .as("a cached route, not updated yet")
                        .containsExactly(early);
                assertThat(table.route("x.3").subscriptions)
                        .as("a miss after the subscribe began sees it")
                        .containsExactly(early, late);
                assertThat(table.route("y.1").subscriptions).isEmpty();
            });
            join(publisher);

            assertThat(subscriber.isAlive()).as("the subscribe is still paused").isTrue();
        } finally {
            release.countDown();
        }
        join(subscriber);
        for (String subject : List.of("x.1", "x.2", "x.3")) {
            assertThat(table.route(subject).subscriptions).as(subject).containsExactly(early, late);
        }
    }

    @Test
    void add_literalChangesWhileAWildcardSubscribeScans_proceedAndBothEndUpInTheRoute() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RouteTable table = new RouteTable(
                16, pausing((p, s) -> p.value().equals("x.*") && s.value().equals("x.1"), entered, release));
        LocalSubscription leaving = subscription(SubjectPattern.of("x.1"), 0);
        table.add(leaving);
        assertThat(table.route("x.1").subscriptions).containsExactly(leaving);
        LocalSubscription wildcard = subscription(SubjectPattern.of("x.*"), 0);
        LocalSubscription literal = subscription(SubjectPattern.of("x.1"), 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.Builder threads = Thread.ofPlatform().uncaughtExceptionHandler((t, e) -> failure.set(e));
        Thread subscriber = threads.start(() -> table.add(wildcard));
        try {
            awaitLatch(entered); // the wildcard subscribe is matching its pattern against the cached x.1

            Thread literals = threads.start(() -> {
                table.add(literal);
                assertThat(table.remove(leaving)).isTrue();
                assertThat(table.route("x.1").subscriptions)
                        .as("the cached route, with the literal changes, not the paused one yet")
                        .containsExactly(literal);
            });
            join(literals); // fails the test if a literal change waited for the paused wildcard change

            assertThat(subscriber.isAlive())
                    .as("the wildcard subscribe is still paused")
                    .isTrue();
        } finally {
            release.countDown();
        }
        join(subscriber);
        assertThat(failure.get()).as("failure in a thread").isNull();
        assertThat(table.route("x.1").subscriptions).containsExactly(wildcard, literal);
        assertThat(table.subscriptionCount()).isEqualTo(2);
    }

    @Test
    void addRemove_concurrentLiteralWildcardAndRegexChangesWhileRouting_leaveEveryCachedRouteExact() throws Exception {
        long seed = TestSeeds.seed("RouteTableTest.addRemove_concurrent", 0x21L);
        Random random = new Random(seed);
        RandomSubjects generator = new RandomSubjects(random);
        List<String> space = new ArrayList<>();
        allSubjects("", 0, space);
        RouteTable table = new RouteTable(1024); // holds every subject: cached routes are only updated in place
        int changers = 4;
        List<List<LocalSubscription>> owned = new ArrayList<>();
        for (int t = 0; t < changers; t++) {
            List<LocalSubscription> mine = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SubjectPattern pattern = switch (t) {
                    case 0, 1 -> SubjectPattern.of(generator.subject()); // literal
                    case 2 -> SubjectPattern.of(generator.wildcard());
                    default ->
                        i % 2 == 0 ? SubjectPattern.regex(generator.regex()) : SubjectPattern.of(generator.wildcard());
                };
                mine.add(subscription(pattern, random.nextInt(3) * 4));
            }
            owned.add(mine);
        }
        boolean[][] isOpen = new boolean[changers][40];
        AtomicBoolean changing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.Builder builder = Thread.ofPlatform().uncaughtExceptionHandler((t, e) -> failure.set(e));
        Thread router = builder.start(() -> {
            for (int i = 0; changing.get() && i < 5_000_000; i++) {
                table.route(space.get(i % space.size()));
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < changers; t++) {
            int me = t;
            Random mine = new Random(seed + 1 + t);
            threads.add(builder.start(() -> {
                for (int op = 0; op < 4_000; op++) {
                    int i = mine.nextInt(40);
                    if (isOpen[me][i]) {
                        assertThat(table.remove(owned.get(me).get(i))).isTrue();
                    } else {
                        table.add(owned.get(me).get(i));
                    }
                    isOpen[me][i] = !isOpen[me][i];
                }
            }));
        }
        for (Thread thread : threads) {
            join(thread);
        }
        changing.set(false);
        join(router);
        assertThat(failure.get()).as("failure in a thread").isNull();

        List<LocalSubscription> open = new ArrayList<>();
        for (int t = 0; t < changers; t++) {
            for (int i = 0; i < 40; i++) {
                if (isOpen[t][i]) {
                    open.add(owned.get(t).get(i));
                }
            }
        }
        assertThat(table.subscriptionCount()).isEqualTo(open.size());
        assertThat(table.evictions()).isZero();
        assertThat(table.cacheSize())
                .as("the router cached routes during the changes")
                .isPositive();
        for (String subject : space) {
            List<LocalSubscription> expected = open.stream()
                    .filter(s -> expects(s, subject))
                    .sorted(Route.ORDER)
                    .toList();
            assertThat(Arrays.asList(table.route(subject).subscriptions))
                    .as("route of %s (seed %d)", subject, seed)
                    .containsExactlyElementsOf(expected);
        }
    }

    /** Every subject of 1 to 5 tokens over the alphabet of {@link RandomSubjects}. */
    private static void allSubjects(String prefix, int depth, List<String> out) {
        if (depth == 5) {
            return;
        }
        for (String token : List.of("a", "b", "c")) {
            String subject = prefix.isEmpty() ? token : prefix + "." + token;
            out.add(subject);
            allSubjects(subject, depth + 1, out);
        }
    }
}
