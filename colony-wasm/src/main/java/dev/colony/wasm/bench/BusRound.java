package dev.colony.wasm.bench;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import dev.colony.wasm.ExecutionMode;
import dev.colony.wasm.FailurePolicy;
import dev.colony.wasm.PluginHost;
import dev.colony.wasm.SubscriptionFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One variant of the bus benchmark, ready to run rounds: every event of the workload published once from
 * the calling thread to {@code subscribers} ASYNC subscriptions, each with the variant's filter in front of
 * a counting handler. {@link #run()} returns when every subscription has processed every event, and
 * checks that the handlers saw exactly what the variant must let through.
 *
 * <p>Variants: {@code none}, {@code java} (the needle search in Java), {@code wasm-compiled} and
 * {@code wasm-interpreted} (the example needle filter in C). Not thread-safe: one round at a time.
 */
public final class BusRound implements AutoCloseable {
    /** The variants, in the order the scenario runs them. */
    public static final List<String> VARIANTS = List.of("none", "java", "wasm-compiled", "wasm-interpreted");

    private final PluginsScenario.Settings settings;
    private final Workload workload;
    private final String variant;
    private final PluginHost host;
    private final SubscriptionFilter filter;
    private final AtomicLong handled = new AtomicLong();
    private final long expected;

    /** Prepares {@code variant} (deploying the plugin for the WASM ones). */
    public BusRound(PluginsScenario.Settings settings, Workload workload, String variant) {
        if (!VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("variant must be one of " + VARIANTS + ", got '" + variant + "'");
        }
        this.settings = settings;
        this.workload = workload;
        this.variant = variant;
        this.expected =
                (long) settings.subscribers() * (variant.equals("none") ? settings.events() : workload.accepted());
        if (variant.startsWith("wasm")) {
            ExecutionMode mode = variant.equals("wasm-compiled") ? ExecutionMode.COMPILED : ExecutionMode.INTERPRETED;
            host = PluginHost.create();
            host.deploy(
                    "needle", Workload.example("c/needle_filter.wasm"), null, PluginsScenario.options(settings, mode));
            filter = host.filter("needle", FailurePolicy.FAIL_CLOSED);
        } else {
            host = null;
            filter = null;
        }
    }

    private EventHandler handler() {
        EventHandler count = e -> handled.incrementAndGet();
        return switch (variant) {
            case "none" -> count;
            case "java" ->
                event -> {
                    if (Workload.contains((byte[]) event.payload(), workload.needle())) {
                        count.handle(event);
                    }
                };
            default -> filter.wrap(count);
        };
    }

    /**
     * Runs one round and returns its wall time in nanoseconds, from the first publish to the last delivery.
     *
     * @throws IllegalStateException if the handlers saw other than what the variant must let through
     */
    public long run() {
        handled.set(0);
        long elapsed;
        try (EventBus bus = EventBus.builder().latencySampling(0).build()) {
            List<Subscription> subscriptions = new ArrayList<>();
            EventHandler handler = handler();
            for (int s = 0; s < settings.subscribers(); s++) {
                subscriptions.add(bus.subscribe("orders.>", handler, SubscribeOptions.async()));
            }
            long start = System.nanoTime();
            for (Event event : workload.events()) {
                bus.publish(event);
            }
            for (Subscription subscription : subscriptions) {
                while (subscription.stats().delivered() + subscription.stats().failed() < settings.events()) {
                    LockSupport.parkNanos(20_000);
                }
            }
            elapsed = System.nanoTime() - start;
            for (Subscription subscription : subscriptions) {
                if (subscription.stats().failed() != 0) {
                    throw new IllegalStateException(variant + ": a handler failed");
                }
            }
        }
        if (handled.get() != expected || (filter != null && filter.failedClosed() != 0)) {
            throw new IllegalStateException(variant + " handled " + handled.get() + " events, expected " + expected
                    + (filter == null ? "" : " (" + filter.failedClosed() + " plugin calls failed)")
                    + ": the variants do not decide alike");
        }
        return elapsed;
    }

    /** Handler calls in the last round, all subscribers together. */
    public long handled() {
        return handled.get();
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
        }
    }
}
