package dev.colony.wasm;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentChooser;
import dev.colony.state.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link AgentChooser} that scores a task's candidates with a plugin ({@code colony_score}): task and
 * candidates in, one f64 score per candidate out; the highest finite score wins (ties to the earliest
 * registered), and a candidate scored NaN or infinite is never chosen. Pass it to
 * {@link dev.colony.state.TaskQueue#assign(AgentChooser, java.time.Duration, dev.colony.state.Fence)}: the queue
 * offers the live agents able to do the task and claims the task for the chosen one atomically (ADR 0052).
 *
 * <p>The task and each candidate reach the plugin as JSON, fields in this order: the task as {@code
 * {"id","type","priority","required":[...],"payload_bytes"}}, each candidate as {@code {"leases","id","role",
 * "capabilities":[...],"status","metadata":{...}}} ({@code leases} first, so a plugin can read the agent's load
 * at a fixed offset; see docs/plugins.md for the byte layout).
 *
 * <p><b>Failures</b> follow the {@link FailurePolicy}: fail open falls back to the first candidate, fail closed
 * declines the task (the queue offers the next one), reload retries once on a fresh instance. Thread-safe.
 */
public final class PluginScorer implements AgentChooser {
    private final String name;
    private final FailurePolicy policy;
    private final AtomicReference<PluginVersion> slot;

    PluginScorer(PluginHost host, String name, FailurePolicy policy) {
        this.name = name;
        this.policy = policy;
        this.slot = host.slot(name);
    }

    /** The candidate with the highest finite score for {@code task}, or empty (no candidates, or failed closed). */
    @Override
    public Optional<AgentId> choose(TaskSpec task, List<Candidate> candidates) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(candidates, "candidates");
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        List<byte[]> encoded = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            encoded.add(ScorerJson.candidate(candidate));
        }
        double[] scores = scores(ScorerJson.task(task), encoded);
        if (scores == null) {
            return policy == FailurePolicy.FAIL_OPEN
                    ? Optional.of(candidates.getFirst().id())
                    : Optional.empty();
        }
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isFinite(scores[i]) && (best < 0 || scores[i] > scores[best])) {
                best = i;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(candidates.get(best).id());
    }

    /**
     * The plugin's scores of {@code candidates} for {@code task}, raw bytes in, or null when the call failed
     * (after the reload policy's retry).
     */
    public double[] score(byte[] task, List<byte[]> candidates) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(candidates, "candidates");
        return scores(task, List.copyOf(candidates));
    }

    private double[] scores(byte[] task, List<byte[]> candidates) {
        while (true) {
            PluginVersion version = slot.get();
            if (version == null) {
                return null;
            }
            try {
                return AbiCalls.score(version, task, candidates);
            } catch (PluginVersion.Retired retired) {
                continue;
            } catch (CallFailure failure) {
                if (policy != FailurePolicy.RELOAD || !SubscriptionFilter.retryable(failure)) {
                    return null;
                }
                try {
                    return AbiCalls.score(version, task, candidates);
                } catch (PluginVersion.Retired retired) {
                    continue;
                } catch (CallFailure again) {
                    return null;
                }
            }
        }
    }

    /** The plugin this scorer runs. */
    public String plugin() {
        return name;
    }
}
