package dev.colony.messaging;

import static dev.colony.bus.BusTesting.awaitLatch;
import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.bus.TestSeeds;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link MessengerContract}: no input stops an inbox (ADR 0019). Hostile bytes become dead letters,
 * a handler that throws an {@code Error} leaves its inbox running, oversized input is refused before it is
 * copied, dead letters stay within their byte bound, and close() abandons a handler that never returns.
 */
public interface MessengerSupervisionContract extends MessengerFixture {

    @Test
    default void deliverEncoded_10000GeneratedHostileEvents_eachHandledOrDeadLetteredAndTheInboxLives() {
        long seed = TestSeeds.seed("MessengerSupervisionContract.fuzz", 0x1419_0001L);
        Messenger messenger = messenger(Messenger.builder().codec(CloudEventFuzzTest.FUZZ_CODEC));
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger finals = new AtomicInteger();
        messenger.open(BOB).attach(m -> {
            handled.incrementAndGet();
            if (m.type().equals("final")) {
                finals.incrementAndGet();
            }
        });
        MalformedCloudEvents generator = new MalformedCloudEvents(new Random(seed), CloudEventFuzzTest.FUZZ_CODEC);
        int sent = 0;
        for (MalformedCloudEvents.Case fuzz : generator.generate(10_000)) {
            messenger.deliverEncoded(BOB, fuzz.bytes()); // DELIVERED or refused at once: counted either way below
            sent++;
        }
        messenger.deliverEncoded(BOB, messenger.codec().encode(Envelope.of(ALICE, BOB, "final", "alive")));
        sent++;

        int total = sent;
        eventually()
                .until(() -> finals.get() == 1
                        && handled.get() + messenger.deadLetters().total() == total);
        assertThat(handled.get() + messenger.deadLetters().total())
                .as("seed %d", seed)
                .isEqualTo(10_001);
        assertThat(messenger.metrics().sent()).isEqualTo(10_001);
        assertThat(messenger.metrics().delivered()).isEqualTo(handled.get());
        assertThat(messenger.deadLetters().peekAll())
                .extracting(DeadLetter::reason)
                .containsOnly(DeadLetter.Reason.MALFORMED);
    }

    @Test
    default void handler_throwsErrors_eachADeadLetterAndTheInboxGoesOn() throws Exception {
        List<Messenger.HandlerFailure> failures = new CopyOnWriteArrayList<>();
        Messenger messenger = messenger(Messenger.builder().onHandlerFailure(failures::add));
        BlockingQueue<Envelope> survived = new LinkedBlockingQueue<>();
        messenger.open(BOB).attach(m -> {
            switch ((String) m.payload()) {
                case "overflow" -> throw new StackOverflowError("deep");
                case "assert" -> throw new AssertionError("broken invariant");
                default -> survived.add(m);
            }
        });

        messenger.send(message(ALICE, BOB, "overflow"));
        messenger.send(message(ALICE, BOB, "assert"));
        messenger.send(message(ALICE, BOB, "fine"));

        assertThat(next(survived).payload()).isEqualTo("fine");
        eventually().until(() -> messenger.deadLetters().total() == 2);
        assertThat(messenger.deadLetters().drain())
                .allSatisfy(letter -> assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.HANDLER_FAILED))
                .extracting(DeadLetter::detail)
                .containsExactly(
                        "the handler of agent \"bob\" threw java.lang.StackOverflowError: deep",
                        "the handler of agent \"bob\" threw java.lang.AssertionError: broken invariant");
        assertThat(failures)
                .extracting(f -> f.error().getClass().getSimpleName())
                .containsExactly("StackOverflowError", "AssertionError");
        assertThat(messenger.metrics().failed()).isEqualTo(2);
    }

    @Test
    default void deliverEncoded_64MiBArrayTwentyTimes_refusedUncopiedAndOnlyPrefixesRetained() {
        Messenger messenger = messenger();
        messenger.open(BOB);
        byte[] huge = new byte[64 << 20];
        long allocatedBefore = allocatedBytes();

        for (int i = 0; i < 20; i++) {
            assertThat(messenger.deliverEncoded(BOB, huge)).isEqualTo(SendOutcome.REJECTED);
        }

        long allocated = allocatedBytes() - allocatedBefore;
        if (allocatedBefore >= 0) {
            assertThat(allocated).as("bytes allocated for 20 refusals").isLessThan(8L << 20);
        }
        assertThat(messenger.deadLetters().retainedBytes()).isLessThanOrEqualTo(20L * (4096 + 2 * 1003));
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.TOO_LARGE);
        assertThat(letter.bytes()).hasSize(DeadLetter.KEPT_BYTES);
        assertThat(letter.encodedLength()).isEqualTo(64L << 20);
        assertThat(letter.truncated()).isTrue();
        assertThat(letter.detail()).contains("67108864 bytes");
    }

    @Test
    default void deadLetters_manyLargeRefusals_boundedInBytesOldestDiscarded() {
        Messenger messenger = messenger(Messenger.builder()
                .codec(JsonMessageCodec.create(5_000))
                .deadLetterCapacity(1024)
                .deadLetterBytes(16 << 10));
        messenger.open(BOB);
        byte[] tooLarge = new byte[8_000];

        for (int i = 0; i < 100; i++) {
            messenger.deliverEncoded(BOB, tooLarge);
        }

        DeadLetters letters = messenger.deadLetters();
        assertThat(letters.maxBytes()).isEqualTo(16 << 10);
        assertThat(letters.retainedBytes()).isLessThanOrEqualTo(16 << 10).isPositive();
        assertThat(letters.total()).isEqualTo(100);
        assertThat(letters.size()).isLessThan(4); // 4 KiB prefix + detail each
        assertThat(letters.discarded()).isEqualTo(100 - letters.size());
        assertThat(letters.peekAll())
                .allSatisfy(letter -> assertThat(letter.encodedLength()).isEqualTo(8_000));
    }

    @Test
    default void close_handlerNeverReturns_abandonedAfterTheTimeoutAndQueuedDeadLettered() throws Exception {
        Messenger messenger = messenger(Messenger.builder().closeTimeout(Duration.ofMillis(100)));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        messenger.open(BOB).attach(m -> {
            handlerThread.set(Thread.currentThread());
            entered.countDown();
            never.await();
        });
        messenger.send(message(ALICE, BOB, "stuck"));
        awaitLatch(entered);
        for (int i = 0; i < 3; i++) {
            messenger.send(message(ALICE, BOB, "queued" + i));
        }

        messenger.close();
        messenger.close(); // idempotent: nothing counted twice

        assertThat(messenger.metrics().abandonedHandlers()).isEqualTo(1);
        eventually().until(() -> !handlerThread.get().isAlive());
        assertThat(messenger.deadLetters().peekAll())
                .filteredOn(letter -> letter.reason() == DeadLetter.Reason.RECIPIENT_CLOSED)
                .extracting(letter -> letter.envelope().payload())
                .containsExactlyInAnyOrder("queued0", "queued1", "queued2");
        assertThat(messenger.deadLetters().peekAll())
                .filteredOn(letter -> letter.reason() == DeadLetter.Reason.HANDLER_FAILED)
                .extracting(DeadLetter::detail)
                .singleElement()
                .asString()
                .contains("InterruptedException");
        assertThat(never.getCount()).isEqualTo(1); // it ended by the interrupt, not by being released
    }

    /** Bytes the current thread allocated so far, or -1 where the JVM does not say. */
    private static long allocatedBytes() {
        try {
            Object threads = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean")
                    .invoke(null);
            return (long) Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes")
                    .invoke(threads);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
