package dev.colony.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import dev.colony.bus.EventBus;
import dev.colony.bus.OverflowPolicy;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subject;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many events per second does an ASYNC subscription take from one publisher thread, and how does
 * that compare with a plain hand-off between two threads? One JMH thread publishes {@value #BATCH}
 * events per invocation into a bound of {@value #CAPACITY} that blocks when full, then waits until the
 * consumer's handler has counted all of them; the score is completed deliveries per second.
 *
 * <p>Baselines, same bound, same payload, same counter and wait: {@code arrayBlockingQueue}
 * ({@code put} / {@code take} to one consumer thread, a platform thread or a virtual thread like
 * Colony's drainer) and {@code disruptor} (LMAX Disruptor, single producer,
 * {@code BlockingWaitStrategy}). {@code colony} runs with the latency of every publish recorded
 * ({@code latencySampling} 1), of one publish in 64 (the default), and none (0), to show what latency
 * tracking costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class BusAsyncBenchmark {
    static final int BATCH = 16_384;
    static final int CAPACITY = 4096;

    @State(Scope.Thread)
    public static class Colony {
        /** {@link EventBus.Builder#latencySampling}: 1 records every publish, 0 none. */
        @Param({"1", "64", "0"})
        int latencySampling;

        final DeliveryCounter counter = new DeliveryCounter();
        final Activity payload = Activity.sample();
        final Subject subject = Subject.of("task.assign");
        EventBus bus;
        Subscription subscription;
        long expected;
        long refused;

        @Setup(Level.Trial)
        public void setUp() {
            bus = EventBus.builder().latencySampling(latencySampling).build();
            subscription = bus.subscribe(
                    SubjectPattern.of(subject.value()),
                    event -> {
                        if (event.payload() == payload) {
                            counter.increment();
                        }
                    },
                    SubscribeOptions.async().withCapacity(CAPACITY).withOverflow(OverflowPolicy.BLOCK));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            var metrics = bus.metrics();
            if (counter.get() != expected || refused != 0 || metrics.delivered() != expected) {
                throw new IllegalStateException("expected " + expected + " deliveries, handler counted " + counter.get()
                        + ", " + refused + " refused; the bus reports " + metrics);
            }
            bus.close();
        }
    }

    @State(Scope.Thread)
    public static class BlockingQueueHandOff {
        /** The consumer's kind: a platform thread, or a virtual thread as Colony's mailbox drainer is. */
        @Param({"platform", "virtual"})
        String consumerThread;

        final DeliveryCounter counter = new DeliveryCounter();
        final Activity payload = Activity.sample();
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
        private final Object stop = new Object();
        Thread consumer;
        long expected;

        @Setup(Level.Trial)
        public void setUp() {
            consumer = switch (consumerThread) {
                case "platform" ->
                    Thread.ofPlatform().daemon().name("abq-consumer").start(this::consume);
                case "virtual" -> Thread.ofVirtual().name("abq-consumer").start(this::consume);
                default ->
                    throw new IllegalArgumentException(
                            "consumerThread must be platform or virtual, got " + consumerThread);
            };
        }

        private void consume() {
            try {
                while (true) {
                    Object item = queue.take();
                    if (item == stop) {
                        return;
                    }
                    if (item == payload) {
                        counter.increment();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            queue.put(stop);
            consumer.join();
            if (counter.get() != expected) {
                throw new IllegalStateException("expected " + expected + ", consumer counted " + counter.get());
            }
        }
    }

    /** A ring slot of the Disruptor. */
    static final class Slot {
        Object payload;
    }

    @State(Scope.Thread)
    public static class DisruptorHandOff {
        private static final EventTranslatorOneArg<Slot, Object> PUT =
                (slot, sequence, payload) -> slot.payload = payload;

        final DeliveryCounter counter = new DeliveryCounter();
        final Activity payload = Activity.sample();
        Disruptor<Slot> disruptor;
        RingBuffer<Slot> ring;
        long expected;

        @Setup(Level.Trial)
        public void setUp() {
            disruptor = new Disruptor<>(
                    Slot::new, CAPACITY, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE, new BlockingWaitStrategy());
            disruptor.handleEventsWith((slot, sequence, endOfBatch) -> {
                if (slot.payload == payload) {
                    counter.increment();
                }
            });
            ring = disruptor.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            disruptor.shutdown();
            if (counter.get() != expected) {
                throw new IllegalStateException("expected " + expected + ", handler counted " + counter.get());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long colony(Colony state) {
        for (int i = 0; i < BATCH; i++) {
            PublishResult result = state.bus.publish(state.subject, state.payload);
            if (result.accepted() != 1) {
                state.refused++;
            }
        }
        state.expected += BATCH;
        return state.counter.awaitAtLeast(state.expected);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long arrayBlockingQueue(BlockingQueueHandOff state) throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            state.queue.put(state.payload);
        }
        state.expected += BATCH;
        return state.counter.awaitAtLeast(state.expected);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long disruptor(DisruptorHandOff state) {
        for (int i = 0; i < BATCH; i++) {
            state.ring.publishEvent(DisruptorHandOff.PUT, state.payload);
        }
        state.expected += BATCH;
        return state.counter.awaitAtLeast(state.expected);
    }
}
