package dev.colony.wasm;

import dev.colony.bus.DeliveryMode;
import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A WebAssembly filter in front of an ASYNC subscription's handler: the plugin sees each event on the
 * subscription's own virtual thread, before the handler, and the handler runs only for events it accepts.
 *
 * <p><b>Why ASYNC only.</b> A call is stopped at its deadline by interrupting the calling thread; the
 * subscription's drainer is the bus's own thread, where that interrupt is safe, while a DIRECT handler runs
 * on the publisher's thread. {@link #subscribe} refuses DIRECT options; {@link #wrap} is for callers who
 * know their handler runs on an ASYNC subscription.
 *
 * <p><b>What the plugin sees.</b> The subject's UTF-8 bytes and, unless the plugin declares itself
 * subject-only, the payload's bytes (encoded once per event for all WASM subscribers, see the ABI in
 * docs/plugins.md). With the decision cache on, a plugin that declares itself subject-only and
 * deterministic is called once per distinct subject per version.
 *
 * <p><b>Failures</b> follow the binding's {@link FailurePolicy}; the event is then handled (fail open) or
 * skipped (fail closed), and counted. A hot swap is invisible here: each event runs on the version current
 * when its call starts. Thread-safe.
 */
public final class SubscriptionFilter {
    private final PluginHost host;
    private final String name;
    private final FailurePolicy policy;
    private final boolean useCache;
    private final AtomicReference<PluginVersion> slot;
    private final LongAdder passed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder failedOpen = new LongAdder();
    private final LongAdder failedClosed = new LongAdder();

    SubscriptionFilter(PluginHost host, String name, FailurePolicy policy, boolean useCache) {
        this.host = host;
        this.name = name;
        this.policy = policy;
        this.useCache = useCache;
        this.slot = host.slot(name);
    }

    /**
     * Subscribes {@code handler} behind this filter.
     *
     * @throws IllegalArgumentException if {@code options} are not ASYNC
     */
    public Subscription subscribe(
            EventBus bus, SubjectPattern pattern, EventHandler handler, SubscribeOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.mode() != DeliveryMode.ASYNC) {
            throw new IllegalArgumentException("plugin filters run on ASYNC subscriptions only (the deadline interrupts"
                    + " the subscription's thread), got " + options.mode() + " for plugin " + name);
        }
        return bus.subscribe(pattern, wrap(handler), options);
    }

    /** {@code handler} behind this filter, for an ASYNC subscription. */
    public EventHandler wrap(EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return event -> {
            if (test(event)) {
                handler.handle(event);
            }
        };
    }

    /** Whether the plugin (or the failure policy) lets {@code event} through. */
    public boolean test(Event event) {
        boolean accept = decide(event);
        (accept ? passed : skipped).increment();
        return accept;
    }

    private boolean decide(Event event) {
        while (true) {
            PluginVersion version = slot.get();
            if (version == null) {
                return fail(new CallFailure(CallError.QUARANTINED, "plugin " + name + " is not deployed"));
            }
            try {
                return decide(version, event);
            } catch (PluginVersion.Retired retired) {
                continue; // swapped while waiting for an instance: run on the new version
            } catch (CallFailure failure) {
                if (policy == FailurePolicy.RELOAD && retryable(failure)) {
                    try {
                        return decide(version, event); // the failed instance was discarded: a fresh one runs
                    } catch (PluginVersion.Retired retired) {
                        continue;
                    } catch (CallFailure again) {
                        return fail(again);
                    }
                }
                return fail(failure);
            }
        }
    }

    private boolean decide(PluginVersion version, Event event) throws CallFailure, PluginVersion.Retired {
        String subject = event.subject().value();
        DecisionCache cache = useCache ? version.cache : null;
        if (cache != null) {
            Boolean known = cache.get(subject);
            if (known != null) {
                return known;
            }
        }
        byte[] payload = version.subjectOnly ? PayloadBytes.empty() : payload(event);
        boolean accept = AbiCalls.filter(version, subject.getBytes(StandardCharsets.UTF_8), payload);
        if (cache != null) {
            cache.put(subject, accept);
        }
        return accept;
    }

    private byte[] payload(Event event) throws CallFailure {
        try {
            return host.payloads().of(event.payload());
        } catch (IllegalArgumentException e) {
            throw new CallFailure(CallError.TOO_LARGE, e.getMessage());
        }
    }

    static boolean retryable(CallFailure failure) {
        return failure.error != CallError.QUARANTINED
                && failure.error != CallError.TOO_LARGE
                && failure.error != CallError.INTERRUPTED;
    }

    private boolean fail(CallFailure failure) {
        if (policy == FailurePolicy.FAIL_OPEN) {
            failedOpen.increment();
            return true;
        }
        failedClosed.increment();
        return false;
    }

    /** Events let through (by the plugin or by a fail-open policy). */
    public long passed() {
        return passed.sum();
    }

    /** Events held back (by the plugin or by a fail-closed policy). */
    public long skipped() {
        return skipped.sum();
    }

    /** Events let through because a call failed and the policy is fail open. */
    public long failedOpen() {
        return failedOpen.sum();
    }

    /** Events held back because a call failed (fail closed, or a reload whose retry failed too). */
    public long failedClosed() {
        return failedClosed.sum();
    }

    /** The plugin this filter runs. */
    public String plugin() {
        return name;
    }
}
