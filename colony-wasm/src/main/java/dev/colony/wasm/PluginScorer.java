package dev.colony.wasm;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scores the candidate agents of a task with a plugin ({@code colony_score}): task and candidates in, one
 * f64 score per candidate out. {@link #choose} picks the highest finite score among the live agents whose
 * capabilities cover the task's requirements (the same eligibility rule as
 * {@link dev.colony.state.TaskQueue#assign}); a candidate scored NaN or infinite is not chosen.
 *
 * <p>The task and each candidate reach the plugin as JSON: the task as {@code {"id","type","priority",
 * "required":[...],"payload_bytes"}}, each candidate as {@code {"id","role","capabilities":[...],"status"}}
 * (see docs/plugins.md for the byte layout).
 *
 * <p><b>Failures</b> follow the {@link FailurePolicy}: fail open falls back to the first eligible agent,
 * fail closed chooses none, reload retries once on a fresh instance. Thread-safe.
 */
public final class PluginScorer {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final FailurePolicy policy;
    private final AtomicReference<PluginVersion> slot;

    PluginScorer(PluginHost host, String name, FailurePolicy policy) {
        this.name = name;
        this.policy = policy;
        this.slot = host.slot(name);
    }

    /** The agent to give {@code task} to among {@code agents}, or empty when none is eligible (or scoring failed closed). */
    public Optional<AgentId> choose(TaskSpec task, List<AgentRecord> agents) {
        Objects.requireNonNull(task, "task");
        List<AgentRecord> eligible = new ArrayList<>();
        for (AgentRecord agent : Objects.requireNonNull(agents, "agents")) {
            if ((agent.status().isLive() && agent.status() != dev.colony.state.AgentStatus.STARTING)
                    && agent.capabilities().containsAll(task.requiredCapabilities())) {
                eligible.add(agent);
            }
        }
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        List<byte[]> candidates = new ArrayList<>(eligible.size());
        for (AgentRecord agent : eligible) {
            candidates.add(json(candidate(agent)));
        }
        double[] scores = scores(json(task(task)), candidates);
        if (scores == null) {
            return policy == FailurePolicy.FAIL_OPEN
                    ? Optional.of(eligible.getFirst().id())
                    : Optional.empty();
        }
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isFinite(scores[i]) && (best < 0 || scores[i] > scores[best])) {
                best = i;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(eligible.get(best).id());
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

    private static Map<String, Object> task(TaskSpec task) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", task.id());
        json.put("type", task.type());
        json.put("priority", task.priority());
        json.put("required", new TreeSet<>(task.requiredCapabilities()));
        json.put("payload_bytes", task.payload().length);
        return json;
    }

    private static Map<String, Object> candidate(AgentRecord agent) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", agent.id().value());
        json.put("role", agent.role());
        json.put("capabilities", new TreeSet<>(agent.capabilities()));
        json.put("status", agent.status().name());
        return json;
    }

    private static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    /** The plugin this scorer runs. */
    public String plugin() {
        return name;
    }
}
