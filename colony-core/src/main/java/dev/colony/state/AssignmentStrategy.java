package dev.colony.state;

/**
 * How {@link TaskQueue#assign} picks the agent for the next task. Every strategy considers only live
 * (IDLE or BUSY) registered agents that have the task's required capabilities.
 */
public enum AssignmentStrategy {
    /** The agent holding the fewest leases; ties go to the earliest registered. */
    LEAST_LOADED,
    /** The eligible agents in turn, in registration order. */
    ROUND_ROBIN,
    /** The agent with the fewest capabilities beyond those required, keeping versatile agents free. */
    CAPABILITY_MATCH,
    /** The first eligible agent in registration order: tasks go out strictly by priority. */
    PRIORITY
}
