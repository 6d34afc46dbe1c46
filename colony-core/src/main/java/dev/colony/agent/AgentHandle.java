package dev.colony.agent;

import dev.colony.messaging.AgentId;
import java.time.Duration;
import java.util.Optional;

/**
 * A spawned agent, seen from outside: its state, its restarts, and how to stop it. Thread-safe.
 *
 * <p><b>Supervision.</b> When {@link Behavior#onStart} or {@link Behavior#onMessage} throws, the agent is
 * RESTARTING: subscriptions it made through its context are closed, new messages wait in its inbox, and
 * after the {@link RestartPolicy#backoff backoff} {@code onStart} runs again on the same behavior
 * ({@code onStop} is not called on the crashed incarnation). The message whose handling threw is not
 * redelivered; if it was a request, the requester gets {@code RECIPIENT_FAILURE}. After
 * {@link RestartPolicy#maxRestarts} restarts the next crash makes the agent FAILED: its inbox is closed
 * (queued messages become dead letters) and it is marked FAILED in the registry, which releases its task
 * leases.
 *
 * <p><b>Stop.</b> {@link #stop} closes the agent's inbox (later sends find no agent; queued messages become
 * dead letters, failing requests among them), lets the current message finish, calls {@code onStop} once,
 * closes the agent's subscriptions and moves it to STOPPING then STOPPED in the registry (the record stays,
 * for observers; spawning the same id again replaces it).
 */
public interface AgentHandle extends AutoCloseable {

    /** How long {@link #close()} waits before interrupting the agent. */
    Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    AgentId id();

    AgentRunState status();

    /** How many times the agent was restarted. */
    int restarts();

    /** The last exception the behavior threw (crash, or failed onStop), if any. */
    Optional<Throwable> lastFailure();

    /**
     * Stops the agent gracefully and waits at most {@code timeout} for it. If it has not terminated by
     * then, the thread running its behavior is interrupted and this returns false; the agent still
     * terminates once the behavior returns. True at once if the agent had already terminated. A behavior
     * stopping its own agent calls {@link AgentContext#stop()} instead: this would wait for itself.
     */
    boolean stop(Duration timeout);

    /** Waits at most {@code timeout} for the agent to be STOPPED or FAILED; whether it is. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** {@link #stop(Duration)} with {@link #DEFAULT_STOP_TIMEOUT}; idempotent. */
    @Override
    void close();
}
