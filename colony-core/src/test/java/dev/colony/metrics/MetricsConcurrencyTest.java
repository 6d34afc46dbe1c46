package dev.colony.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Writers on several threads, a reader taking interval snapshots meanwhile: nothing lost, nothing twice. */
class MetricsConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int OPERATIONS = 50_000;

    @Test
    void intervalSnapshots_whileWritersRun_addUpToTheExactTotal() throws Exception {
        MetricsRegistry registry = MetricsRegistry.create();
        Counter counter = registry.counter("test.ops", "Operations.");
        Timer timer = registry.timer("test.latency", "Latency.");
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long value = 1_000L * (w + 1);
            writers.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < OPERATIONS; i++) {
                    counter.increment();
                    timer.record(value);
                }
            }));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        long countSum = 0;
        long timerSum = 0;
        long sumOfSums = 0;
        int intervals = 0;
        MetricsSnapshot previous = registry.snapshot();
        start.countDown();
        Thread joiner = Thread.ofPlatform().start(() -> {
            for (Thread writer : writers) {
                joinQuietly(writer);
            }
            writing.set(false);
        });
        boolean last = false;
        while (!last) {
            last = !writing.get(); // one more snapshot after the writers finished
            MetricsSnapshot current = registry.snapshot();
            MetricsSnapshot interval = current.since(previous);
            countSum += ((Reading.Count) interval.get("test.ops").orElseThrow()).value();
            Reading.Latency latency =
                    (Reading.Latency) interval.get("test.latency").orElseThrow();
            timerSum += latency.latency().count();
            sumOfSums += latency.sumNanos().orElseThrow();
            previous = current;
            intervals++;
        }
        joiner.join(TimeUnit.SECONDS.toMillis(60));

        long total = (long) WRITERS * OPERATIONS;
        System.out.printf("[metrics] %d interval snapshots while %d writers ran%n", intervals, WRITERS);
        assertThat(countSum).isEqualTo(total);
        assertThat(timerSum).isEqualTo(total);
        assertThat(sumOfSums).isEqualTo(OPERATIONS * 1_000L * (1 + 2 + 3 + 4));
        assertThat(counter.count()).isEqualTo(total);
        assertThat(timer.snapshot().count()).isEqualTo(total);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
