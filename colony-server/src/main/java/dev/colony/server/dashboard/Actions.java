package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Action;
import dev.colony.server.auth.Guard;
import dev.colony.state.AgentStatus;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's admin actions: requeue one dead task or all of them, cancel, submit a task, drain or
 * deregister an agent, replay a dead letter ({@link Replays}). Each needs the {@code admin} permission ({@code admin.dashboard.<action>}) and is
 * audited on success ({@code dashboard.<action>}).
 *
 * <p>A dead task stays DEAD (final states are final); requeueing it submits a copy named
 * {@code <id>-r<n>}, the next generation, so requeueing twice is refused rather than run twice.
 */
final class Actions {
    /** How many dead tasks one "requeue all" submits again at most. */
    static final int MAX_REQUEUE_ALL = 10_000;

    private static final Pattern GENERATION = Pattern.compile("(.*)-r([0-9]{1,6})");

    /** An action's answer: a message for the operator (the page shows it) and its HTTP status. */
    record Outcome(int status, String message) {}

    private final Colony colony;
    private final Guard guard;
    private final Replays replays;

    Actions(Colony colony, Guard guard, Replays replays) {
        this.colony = colony;
        this.guard = guard;
        this.replays = replays;
    }

    Outcome run(Viewer viewer, String action, Map<String, String> form) {
        try {
            guard.authorize(viewer.principal(), Action.ADMIN, "dashboard." + action);
        } catch (AccessDenied e) {
            return new Outcome(e.status(), e.getMessage());
        }
        Outcome outcome = switch (action) {
            case "requeue" -> requeue(viewer, required(form, "task"));
            case "requeue-all" -> requeueAll(viewer);
            case "cancel" -> cancel(viewer, required(form, "task"));
            case "submit" -> submit(viewer, form);
            case "drain" -> drain(viewer, required(form, "agent"));
            case "deregister" -> deregister(viewer, required(form, "agent"));
            case "replay" -> {
                Replays.Result r = replays.replay(viewer, required(form, "letter"));
                yield new Outcome(r.status(), r.message());
            }
            default -> new Outcome(404, "no dashboard action \"" + action + "\"");
        };
        if (outcome.status() < 300) {
            guard.audit(viewer.principal(), "dashboard." + action, target(form));
        }
        return outcome;
    }

    private Outcome requeue(Viewer viewer, String id) {
        Optional<Task> task = colony.tasks().get(viewer.stored(id));
        if (task.isEmpty()) {
            return new Outcome(404, "no task \"" + id + "\"");
        }
        if (task.get().status() != TaskStatus.DEAD) {
            return new Outcome(409, "task \"" + id + "\" is " + task.get().status() + ", not DEAD");
        }
        String next = nextGeneration(task.get().id());
        if (colony.tasks().get(next).isPresent()) {
            return new Outcome(409, "task \"" + id + "\" was requeued already as \"" + viewer.local(next) + "\"");
        }
        TaskSpec spec = task.get().spec();
        try {
            colony.tasks()
                    .submit(new TaskSpec(
                            next,
                            spec.type(),
                            spec.payload(),
                            spec.priority(),
                            spec.requiredCapabilities(),
                            spec.maxAttempts()));
        } catch (IllegalArgumentException e) {
            return new Outcome(400, e.getMessage());
        }
        return new Outcome(200, "requeued \"" + id + "\" as \"" + viewer.local(next) + "\"");
    }

    private Outcome requeueAll(Viewer viewer) {
        int requeued = 0;
        int skipped = 0;
        for (Task t : colony.tasks().byStatus(TaskStatus.DEAD)) {
            if (!viewer.owns(t.id())) {
                continue;
            }
            if (requeued == MAX_REQUEUE_ALL) {
                break;
            }
            if (requeue(viewer, viewer.local(t.id())).status() == 200) {
                requeued++;
            } else {
                skipped++;
            }
        }
        return new Outcome(200, "requeued " + requeued + " dead tasks (" + skipped + " requeued before or refused)");
    }

    private Outcome cancel(Viewer viewer, String id) {
        return colony.tasks().cancel(viewer.stored(id))
                ? new Outcome(200, "cancelled \"" + id + "\"")
                : new Outcome(409, "task \"" + id + "\" is unknown or already final");
    }

    private Outcome submit(Viewer viewer, Map<String, String> form) {
        String type = required(form, "type");
        String id = form.getOrDefault("id", "").strip();
        if (id.isEmpty()) {
            id = "dash-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        }
        byte[] payload = form.getOrDefault("payload", "").getBytes(StandardCharsets.UTF_8);
        try {
            colony.tasks().submit(TaskSpec.of(viewer.stored(id), viewer.stored(type), payload));
        } catch (IllegalArgumentException e) {
            return new Outcome(400, e.getMessage());
        }
        return new Outcome(200, "submitted \"" + id + "\" of type \"" + type + "\"");
    }

    private Outcome drain(Viewer viewer, String agent) {
        try {
            colony.registry().transition(AgentId.of(viewer.stored(agent)), AgentStatus.STOPPING);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new Outcome(409, "cannot drain \"" + agent + "\": " + e.getMessage());
        }
        return new Outcome(200, "draining \"" + agent + "\" (STOPPING)");
    }

    private Outcome deregister(Viewer viewer, String agent) {
        try {
            return colony.registry().deregister(AgentId.of(viewer.stored(agent)))
                    ? new Outcome(200, "deregistered \"" + agent + "\"")
                    : new Outcome(404, "no agent \"" + agent + "\"");
        } catch (IllegalArgumentException e) {
            return new Outcome(400, e.getMessage());
        }
    }

    /** The id of the next requeued copy of a stored task id: {@code x} → {@code x-r1}, {@code x-r1} → {@code x-r2}. */
    static String nextGeneration(String storedId) {
        Matcher m = GENERATION.matcher(storedId);
        return m.matches() ? m.group(1) + "-r" + (Integer.parseInt(m.group(2)) + 1) : storedId + "-r1";
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw new BadInput("form field " + name + " is missing");
        }
        return value.strip();
    }

    private static String target(Map<String, String> form) {
        for (String name : new String[] {"task", "agent", "letter", "id", "type", "status"}) {
            String value = form.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "";
    }
}
