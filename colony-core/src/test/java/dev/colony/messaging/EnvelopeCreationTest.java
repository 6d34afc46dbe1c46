package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@link Envelope#of} gives every message: a random version-4 UUID id and the wall-clock time (ADR 0073). */
class EnvelopeCreationTest {
    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob");
    private static final int THREADS = 8;
    private static final int IDS_PER_THREAD = 100_000;

    @Test
    void of_idsFromManyThreads_allDistinctVersion4Uuids() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet(THREADS * IDS_PER_THREAD);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> invalid = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                invalid.add(pool.submit(() -> {
                    start.await();
                    int bad = 0;
                    for (int i = 0; i < IDS_PER_THREAD; i++) {
                        String id = Envelope.of(ALICE, BOB, "t", i).id();
                        if (!isVersion4(id)) {
                            bad++;
                        }
                        ids.add(id);
                    }
                    return bad;
                }));
            }
            start.countDown();
            for (Future<Integer> bad : invalid) {
                assertThat(bad.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(THREADS * IDS_PER_THREAD);
    }

    private static boolean isVersion4(String id) {
        UUID uuid = UUID.fromString(id);
        return uuid.version() == 4 && uuid.variant() == 2 && uuid.toString().equals(id) && id.length() == 36;
    }

    @Test
    void of_timesWithinOneThread_nonDecreasingAndBetweenTheClockReadsAround() {
        Instant before = Instant.now();
        Instant previous = Instant.MIN;
        for (int i = 0; i < 100_000; i++) {
            Instant time = Envelope.of(ALICE, BOB, "t", i).time();
            assertThat(time).isAfterOrEqualTo(previous);
            previous = time;
        }
        Instant after = Instant.now();
        assertThat(previous).isBetween(before, after);
        assertThat(Envelope.of(ALICE, BOB, "t", "p").time()).isAfterOrEqualTo(after);
    }

    @Test
    void of_noHeaders_sharedEmptyImmutableMap() {
        Map<String, String> headers = Envelope.of(ALICE, BOB, "t", "p").headers();
        assertThat(headers).isSameAs(Map.of());
        assertThatThrownBy(() -> headers.put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withHeaders_emptyMutableOrNull_copiedOrRefused() {
        Envelope e = Envelope.of(ALICE, BOB, "t", "p");
        assertThat(e.withHeaders(new HashMap<>()).headers()).isSameAs(Map.of());
        assertThatThrownBy(() -> e.withHeaders(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("headers");
    }
}
