package dev.colony.redis;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Messenger#sendAsync} on Redis never runs a caller's dependent action on the Redis client's I/O
 * thread (Lettuce's event loop), whenever the dependent is added: a dependent that calls Redis
 * synchronously there would wait for the very thread it blocks.
 */
class RedisSendAsyncThreadTest {
    private static final long SEED = 0x5E_0D_22L;
    private static final int SENDERS = 4;
    private static final AgentId ALICE = AgentId.of("alice");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    /**
     * The hazard needs a dependent added just after the answer freed its place in flight and before the
     * future completed: with every place taken, the test thread takes each freed place the moment it is
     * freed (spinning on {@code tryAcquire}) and then adds a dependent to the future whose answer freed it
     * (answers come in the order written), after a random pause of 0-7 spins.
     */
    @Test
    void sendAsync_dependentAddedAsTheAnswerArrives_neverRunsOnTheIoThread() {
        System.out.println("RedisSendAsyncThreadTest seed " + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        int batches = 12;
        int batch = RedisMessenger.MAX_IN_FLIGHT;
        try (RedisLink link = RedisLink.open(redis.server().target("threads"));
                RedisMessenger messenger = RedisMessenger.open(
                        link, Messenger.builder(), link.settings().messenger())) {
            AgentId bob = AgentId.of("bob");
            AtomicInteger handled = new AtomicInteger();
            messenger.open(bob, InboxOptions.defaults().withCapacity(1 << 20)).attach(m -> handled.incrementAndGet());
            Semaphore places = messenger.sender().inFlight;
            ConcurrentHashMap<String, Integer> ioThreads = new ConcurrentHashMap<>();
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger early = new AtomicInteger();
            List<CompletableFuture<?>> dependents = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<CompletableFuture<SendOutcome>> futures = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    futures.add(messenger.sendAsync(Envelope.of(ALICE, bob, "test.message", i)));
                }
                for (CompletableFuture<SendOutcome> future : futures) {
                    while (!places.tryAcquire()) {
                        Thread.onSpinWait();
                    }
                    for (int spins = random.nextInt(8); spins > 0; spins--) {
                        Thread.onSpinWait();
                    }
                    if (!future.isDone()) {
                        early.incrementAndGet();
                    }
                    dependents.add(future.thenRun(() -> {
                        ran.incrementAndGet();
                        String name = Thread.currentThread().getName();
                        if (name.startsWith("lettuce-") || name.contains("EventLoop")) {
                            ioThreads.merge(name, 1, Integer::sum);
                        }
                    }));
                }
                places.release(batch);
            }
            CompletableFuture.allOf(dependents.toArray(CompletableFuture[]::new))
                    .join();
            System.out.println("RedisSendAsyncThreadTest: " + early + " dependents added before completion, "
                    + ioThreads + " on the I/O thread");
            eventually().until(() -> handled.get() == batches * batch);
            assertThat(ran).hasValue(batches * batch);
            assertThat(ioThreads).as("dependents run on the I/O thread").isEmpty();
        }
    }
}
