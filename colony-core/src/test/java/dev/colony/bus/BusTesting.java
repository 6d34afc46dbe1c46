package dev.colony.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Helpers shared by the event bus tests. Waits are generous: they bound a hang, they measure nothing. */
public final class BusTesting {
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private BusTesting() {}

    /** Awaitility polling often, giving up after {@link #PATIENCE}. */
    public static ConditionFactory eventually() {
        return Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Waits for the latch, failing the test if it is not released within {@link #PATIENCE}. */
    public static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .as("latch released in time")
                .isTrue();
    }

    /** Joins the thread, failing the test if it does not end within {@link #PATIENCE}. */
    public static void join(Thread thread) throws InterruptedException {
        assertThat(thread.join(PATIENCE)).as("%s ended in time", thread).isTrue();
    }
}
