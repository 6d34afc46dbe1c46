package dev.colony.agent;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where the supervisor has one agent, and the only place its moves are allowed or refused. Finer than the
 * public {@link AgentRunState}: a crashed agent first waits out its backoff (BACKING_OFF), then runs
 * {@code onStart} again (RESTARTING); both show as {@link AgentRunState#RESTARTING}.
 *
 * <pre>
 * STARTING    → RUNNING | BACKING_OFF | FAILED | STOPPING     (the first onStart returns, throws; stop)
 * RUNNING     → BACKING_OFF | FAILED | STOPPING               (onMessage throws; stop)
 * BACKING_OFF → RESTARTING | STOPPING                         (the backoff ends; stop cancels the restart)
 * RESTARTING  → RUNNING | BACKING_OFF | FAILED | STOPPING     (onStart returns, throws; stop)
 * STOPPING    → STOPPED                                       (onStop ran, or was not due)
 * STOPPED, FAILED: final
 * </pre>
 *
 * A crash while STOPPING is recorded but moves nothing: the stop finishes the agent.
 */
enum RunState {
    STARTING(AgentRunState.STARTING),
    RUNNING(AgentRunState.RUNNING),
    BACKING_OFF(AgentRunState.RESTARTING),
    RESTARTING(AgentRunState.RESTARTING),
    STOPPING(AgentRunState.STOPPING),
    STOPPED(AgentRunState.STOPPED),
    FAILED(AgentRunState.FAILED);

    private final AgentRunState visible;

    RunState(AgentRunState visible) {
        this.visible = visible;
    }

    /** What {@link AgentHandle#status()} shows for this state. */
    AgentRunState visible() {
        return visible;
    }

    /** The states this one may move to. */
    Set<RunState> next() {
        return switch (this) {
            case STARTING, RESTARTING -> EnumSet.of(RUNNING, BACKING_OFF, FAILED, STOPPING);
            case RUNNING -> EnumSet.of(BACKING_OFF, FAILED, STOPPING);
            case BACKING_OFF -> EnumSet.of(RESTARTING, STOPPING);
            case STOPPING -> EnumSet.of(STOPPED);
            case STOPPED, FAILED -> EnumSet.noneOf(RunState.class);
        };
    }

    /** Whether a stop is under way or done: no restart may begin, the stopper finishes the agent. */
    boolean stopping() {
        return this == STOPPING || this == STOPPED;
    }

    boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }

    /** Whether the agent waits to run onStart again: its messages wait in its inbox meanwhile. */
    boolean restarting() {
        return this == BACKING_OFF || this == RESTARTING;
    }
}
