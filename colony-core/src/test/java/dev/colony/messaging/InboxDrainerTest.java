package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The drainer thread of an inbox: started once, waited for with a deadline, abandoned once. */
class InboxDrainerTest {
    private static final long GENEROUS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void start_twice_throws() {
        InboxDrainer drainer = new InboxDrainer();
        assertThat(drainer.start("d", () -> {})).isTrue();

        assertThatThrownBy(() -> drainer.start("d", () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"d\"");
    }

    @Test
    void start_afterAWaitBegan_refusedNothingRuns() {
        InboxDrainer drainer = new InboxDrainer();
        AtomicBoolean ran = new AtomicBoolean();

        assertThat(drainer.await(System.nanoTime())).isTrue(); // never started: nothing to wait for
        assertThat(drainer.start("d", () -> ran.set(true))).isFalse();

        assertThat(drainer.abandon()).isFalse();
        assertThat(ran).isFalse();
    }

    @Test
    void await_bodyEnds_trueAndNotCurrent() {
        InboxDrainer drainer = new InboxDrainer();
        drainer.start("d", () -> {});

        assertThat(drainer.await(System.nanoTime() + GENEROUS)).isTrue();
        assertThat(drainer.isCurrent()).isFalse();
        assertThat(drainer.abandon()).isFalse(); // ended: nothing to interrupt
    }

    @Test
    void await_fromTheDrainerItself_trueWithoutJoining() throws Exception {
        InboxDrainer drainer = new InboxDrainer();
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean sawItself = new AtomicBoolean();
        drainer.start("d", () -> {
            sawItself.set(drainer.isCurrent() && drainer.await(System.nanoTime() + GENEROUS));
            done.countDown();
        });

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sawItself).isTrue();
    }

    @Test
    void awaitAll_oneHandlerHangs_abandonsAndInterruptsItOnce() throws Exception {
        InboxDrainer hanging = new InboxDrainer();
        InboxDrainer quick = new InboxDrainer();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        hanging.start("hanging", () -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        quick.start("quick", () -> {});
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        // the quick one has ended before the deadline below passes (it is the now): only the hanging one is late
        assertThat(quick.await(System.nanoTime() + GENEROUS)).isTrue();

        List<String> abandoned = InboxDrainer.awaitAll(
                List.of("hanging", "quick"), name -> name.equals("hanging") ? hanging : quick, System.nanoTime());

        assertThat(abandoned).containsExactly("hanging");
        assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(hanging.abandon()).isFalse(); // counted once
        assertThat(hanging.await(System.nanoTime() + GENEROUS)).isTrue();
    }
}
