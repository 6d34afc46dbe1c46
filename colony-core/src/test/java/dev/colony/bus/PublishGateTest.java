package dev.colony.bus;

import static dev.colony.bus.BusTesting.PATIENCE;
import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.bus.BusTesting.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PublishGateTest {
    private final PublishGate gate = new PublishGate();

    /** Runs a publisher that stays inside the gate (entered directly, or re-entered after a wait). */
    private Thread publisherInside(boolean reentered, CountDownLatch inside, CountDownLatch leave) {
        return Thread.ofPlatform().start(() -> {
            PublishGate.Holder holder = gate.holder();
            int token = gate.enter(holder, 1);
            if (reentered) {
                gate.exit(holder, token, 1);
                token = gate.reenter(holder);
            }
            inside.countDown();
            try {
                awaitLatch(leave);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                gate.exit(holder, token, 1);
            }
        });
    }

    /** Waits for quiescence with a deadline that bounds a hang, not a measurement. */
    private PublishGate.Quiescence quiesce() {
        return gate.awaitQuiescence(System.nanoTime() + PATIENCE.toNanos());
    }

    @Test
    void awaitQuiescence_publisherStaysInsidePastTheDeadline_timesOutAndALaterWaitStillWorks() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread publisher = publisherInside(false, inside, leave);
        try {
            awaitLatch(inside);
            assertThat(gate.awaitQuiescence(System.nanoTime() + 1_000_000L))
                    .isEqualTo(PublishGate.Quiescence.TIMED_OUT);
        } finally {
            leave.countDown();
            join(publisher);
        }
        assertThat(quiesce()).isEqualTo(PublishGate.Quiescence.QUIET);
        assertThat(gate.entered()).isEqualTo(1);
    }

    @Test
    void awaitQuiescence_noPublisher_returnsQuiet() {
        assertThat(quiesce()).isEqualTo(PublishGate.Quiescence.QUIET);
        assertThat(gate.entered()).isZero();
    }

    @Test
    void awaitQuiescence_publisherInside_waitsUntilItLeaves() throws Exception {
        for (boolean reentered : new boolean[] {false, true}) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch leave = new CountDownLatch(1);
            Thread publisher = publisherInside(reentered, inside, leave);
            AtomicBoolean done = new AtomicBoolean();
            try {
                awaitLatch(inside);
                Thread closer = Thread.ofPlatform().start(() -> done.set(quiesce() == PublishGate.Quiescence.QUIET));
                eventually().until(() -> closer.getState() == Thread.State.TIMED_WAITING);
                assertThat(done)
                        .as("closer returned while a publisher (reentered=%s) was inside", reentered)
                        .isFalse();
                leave.countDown();
                join(closer);
                assertThat(done).isTrue();
            } finally {
                leave.countDown();
                join(publisher);
            }
        }
        assertThat(gate.entered()).as("a re-entry is not a second event").isEqualTo(2);
    }

    @Test
    void awaitQuiescence_calledFromInsideAPublish_returnsInsidePublishAtOnce() {
        PublishGate.Holder holder = gate.holder();
        int token = gate.enter(holder, 3);
        try {
            assertThat(quiesce()).isEqualTo(PublishGate.Quiescence.INSIDE_PUBLISH);
        } finally {
            gate.exit(holder, token, 3);
        }
        assertThat(quiesce()).isEqualTo(PublishGate.Quiescence.QUIET);
        assertThat(gate.entered()).isEqualTo(3);
    }

    @Test
    void awaitQuiescence_whilePublishersKeepComing_isNotStarved() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Long> published = new AtomicReference<>(0L);
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            publishers.add(Thread.ofPlatform().start(() -> {
                PublishGate.Holder holder = gate.holder();
                long n = 0;
                while (!stop.get()) {
                    int token = gate.enter(holder, 1);
                    Thread.onSpinWait();
                    gate.exit(holder, token, 1);
                    n++;
                }
                long mine = n;
                published.accumulateAndGet(mine, Long::sum);
            }));
        }
        try {
            for (int i = 0; i < 200; i++) {
                assertThat(quiesce()).isEqualTo(PublishGate.Quiescence.QUIET);
            }
        } finally {
            stop.set(true);
            for (Thread publisher : publishers) {
                join(publisher);
            }
        }
        assertThat(gate.entered()).isEqualTo(published.get());
    }
}
