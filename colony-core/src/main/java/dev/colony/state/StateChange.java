package dev.colony.state;

/**
 * The payload of every state announcement on the bus ({@code colony.agent.…}, {@code colony.task.…},
 * {@code colony.leader.…}, {@code colony.memory.…}): what changed, and the state's revision after the
 * change. Revisions grow by one per change, in the order the changes took effect, so a watcher can
 * order announcements that reach it from different publishing threads.
 *
 * @param revision the state's revision after this change
 * @param change the last token of the subject, such as {@code claimed} or {@code put}
 * @param value the changed item after the change: an {@link AgentRecord}, {@link Task},
 *     {@link Leadership} or {@link MemoryEntry}
 */
public record StateChange(long revision, String change, Object value) {}
