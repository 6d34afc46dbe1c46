package dev.colony.alert;

import dev.colony.bus.EventBus;
import dev.colony.bus.Subject;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.metrics.MetricsSnapshot;
import dev.colony.metrics.Reading;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Evaluates {@link AlertRule}s against a {@link MetricsRegistry} and sends their {@link Alert}s: on the bus
 * as {@code colony.alert.<rule>} (when built with {@link Builder#publishTo}) and to listeners.
 *
 * <p><b>Evaluation.</b> {@link #evaluate(Instant)} takes a registry snapshot, computes each rule's signal
 * (rates and ratios over the time since the previous evaluation, by the times passed in) and steps each
 * rule's state machine (see {@link AlertRule} and {@link AlertState}). {@link #start(Duration)} evaluates
 * on a virtual thread at a fixed delay, by the builder's clock; tests call {@link #evaluate(Instant)} with
 * their own times instead.
 *
 * <p><b>Bounds.</b> Nothing is queued: notifications are published and given to listeners on the
 * evaluating thread, during the evaluation; an evaluation that overruns delays the next one. Listeners are
 * assumed not to throw; one that throws is counted in {@link #listenerFailures()} and the others still
 * run. The last {@value #RECENT_CAPACITY} notifications are kept for {@link #recent()} (older ones are
 * dropped).
 *
 * <p>Thread-safe: evaluations are serialized. {@link #close()} stops the schedule and is idempotent.
 */
public final class Alerts implements AutoCloseable {
    /** How many notifications {@link #recent()} keeps. */
    public static final int RECENT_CAPACITY = 256;

    private final MetricsRegistry registry;
    private final InstantSource clock;
    private final EventBus bus;
    private final List<Consumer<Alert>> listeners;
    private final Map<String, RuleTracker> trackers = new LinkedHashMap<>();
    private final Map<String, Subject> subjects = new LinkedHashMap<>();
    private final ArrayDeque<Alert> recent = new ArrayDeque<>(); // guarded by this
    private final LongAdder listenerFailures = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder evaluationFailures = new LongAdder();
    private final CountDownLatch stop = new CountDownLatch(1);
    private MetricsSnapshot previous; // guarded by this
    private Instant previousAt; // guarded by this
    private Thread thread; // guarded by this

    private Alerts(Builder builder) {
        this.registry = builder.registry;
        this.clock = builder.clock;
        this.bus = builder.bus;
        this.listeners = List.copyOf(builder.listeners);
        MetricsSnapshot known = registry.snapshot();
        for (AlertRule rule : builder.rules) {
            if (trackers.containsKey(rule.name())) {
                throw new IllegalArgumentException("two alert rules are named '" + rule.name() + "'");
            }
            checkSignal(rule, known);
            trackers.put(rule.name(), new RuleTracker(rule));
            subjects.put(rule.name(), Subject.of("colony.alert." + rule.name()));
        }
    }

    /** An evaluator of rules over {@code registry}; add rules, then {@link Builder#build()}. */
    public static Builder builder(MetricsRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /** Evaluates every rule now, by the builder's clock; returns the notifications sent. */
    public List<Alert> evaluate() {
        return evaluate(clock.instant());
    }

    /**
     * Evaluates every rule at {@code now}; returns the notifications sent (also published and given to the
     * listeners), in rule order.
     *
     * @throws IllegalArgumentException if {@code now} is before the previous evaluation's time
     */
    public synchronized List<Alert> evaluate(Instant now) {
        Objects.requireNonNull(now, "now");
        if (previousAt != null && now.isBefore(previousAt)) {
            throw new IllegalArgumentException(
                    "evaluation time " + now + " is before the previous evaluation's " + previousAt);
        }
        MetricsSnapshot current = registry.snapshot();
        MetricsSnapshot window = previous == null ? null : current.since(previous);
        Duration elapsed = previousAt == null ? Duration.ZERO : Duration.between(previousAt, now);
        List<Alert> sent = new ArrayList<>();
        for (RuleTracker tracker : trackers.values()) {
            double value = SignalValues.of(tracker.rule().signal(), current, window, elapsed);
            Alert alert = tracker.update(value, now);
            if (alert != null) {
                sent.add(alert);
                send(alert);
            }
        }
        previous = current;
        previousAt = now;
        return sent;
    }

    /**
     * Evaluates every {@code interval} on a virtual thread until {@link #close()}; returns this.
     *
     * @throws IllegalStateException if already started or closed
     */
    public synchronized Alerts start(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        if (thread != null || stop.getCount() == 0) {
            throw new IllegalStateException("alerts are already started or closed");
        }
        thread = Thread.ofVirtual().name("colony-alerts").start(() -> loop(interval));
        return this;
    }

    /** Each rule's state now, in rule order. */
    public synchronized Map<String, AlertState> states() {
        Map<String, AlertState> states = new LinkedHashMap<>();
        trackers.forEach((name, tracker) -> states.put(name, tracker.state()));
        return states;
    }

    /**
     * The state of rule {@code name}.
     *
     * @throws IllegalArgumentException if there is no such rule
     */
    public synchronized AlertState state(String name) {
        RuleTracker tracker = trackers.get(name);
        if (tracker == null) {
            throw new IllegalArgumentException("no alert rule named '" + name + "'; rules: " + trackers.keySet());
        }
        return tracker.state();
    }

    /** The rules, in order. */
    public synchronized List<AlertRule> rules() {
        return trackers.values().stream().map(RuleTracker::rule).toList();
    }

    /** The most recent notifications, oldest first (at most {@value #RECENT_CAPACITY}). */
    public synchronized List<Alert> recent() {
        return List.copyOf(recent);
    }

    /** Episodes whose FIRING notification the rate limit delayed or held back, over all rules. */
    public synchronized long suppressed() {
        return trackers.values().stream().mapToLong(RuleTracker::suppressed).sum();
    }

    /** Listener calls that threw. */
    public long listenerFailures() {
        return listenerFailures.sum();
    }

    /** Notifications the bus refused (it was closed). */
    public long publishFailures() {
        return publishFailures.sum();
    }

    /** Scheduled evaluations that threw (a registry source, say); the schedule goes on. */
    public long evaluationFailures() {
        return evaluationFailures.sum();
    }

    /** Stops the schedule, if started, and waits for the evaluation in progress. Idempotent. */
    @Override
    public void close() {
        stop.countDown();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop(Duration interval) {
        try {
            while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    evaluate(clock.instant());
                } catch (RuntimeException e) {
                    evaluationFailures.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Alert alert) {
        if (recent.size() == RECENT_CAPACITY) {
            recent.removeFirst();
        }
        recent.addLast(alert);
        if (bus != null) {
            try {
                bus.publish(subjects.get(alert.rule().name()), alert);
            } catch (RuntimeException e) {
                publishFailures.increment();
            }
        }
        for (Consumer<Alert> listener : listeners) {
            try {
                listener.accept(alert);
            } catch (RuntimeException e) {
                listenerFailures.increment();
            }
        }
    }

    private static void checkSignal(AlertRule rule, MetricsSnapshot known) {
        Signal signal = rule.signal();
        for (String metric : signal.metrics()) {
            Reading reading = known.get(metric)
                    .orElseThrow(() -> new IllegalArgumentException("rule '" + rule.name() + "' watches '" + metric
                            + "', which is not registered; registered: "
                            + known.readings().stream().map(Reading::name).toList()));
            boolean fits = switch (signal) {
                case Signal.Value v -> !(reading instanceof Reading.Latency);
                case Signal.Rate r -> reading instanceof Reading.Count;
                case Signal.Ratio r -> reading instanceof Reading.Count;
                case Signal.Percentile p -> reading instanceof Reading.Latency;
            };
            if (!fits) {
                throw new IllegalArgumentException("rule '" + rule.name() + "': " + signal + " cannot read '" + metric
                        + "', a " + reading.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                        + " metric (value: a counter or gauge; rate and ratio: counters; percentiles: latencies)");
            }
        }
    }

    /** The rules, where to send their alerts, and the clock; each setting is checked at once. */
    public static final class Builder {
        private final MetricsRegistry registry;
        private final List<AlertRule> rules = new ArrayList<>();
        private final List<Consumer<Alert>> listeners = new ArrayList<>();
        private InstantSource clock = InstantSource.system();
        private EventBus bus;

        private Builder(MetricsRegistry registry) {
            this.registry = registry;
        }

        /** Adds a rule. */
        public Builder rule(AlertRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Adds rules, in order. */
        public Builder rules(Collection<AlertRule> more) {
            Objects.requireNonNull(more, "rules").forEach(this::rule);
            return this;
        }

        /** Publishes every notification on {@code bus} as {@code colony.alert.<rule>}, payload the {@link Alert}. */
        public Builder publishTo(EventBus target) {
            this.bus = Objects.requireNonNull(target, "bus");
            return this;
        }

        /** Gives every notification to {@code listener}, on the evaluating thread; assumed not to throw. */
        public Builder listener(Consumer<Alert> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The clock of {@link Alerts#evaluate()} and the schedule; default the system clock. */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * The evaluator, not started.
         *
         * @throws IllegalArgumentException if two rules share a name, or a rule watches a metric that is not
         *     registered or is of the wrong kind for its signal
         */
        public Alerts build() {
            return new Alerts(this);
        }
    }
}
