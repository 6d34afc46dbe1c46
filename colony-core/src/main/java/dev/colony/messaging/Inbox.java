package dev.colony.messaging;

import java.util.Set;

/**
 * One agent's address and bounded inbox in a {@link Messenger}: the agent exists for senders from
 * {@link Messenger#open} until {@link #close()}.
 *
 * <p>Messages sent before a handler is {@link #attach attached} wait in the inbox (bounded by its
 * capacity) and are delivered, in order, once it is. The handler runs on the inbox's own virtual thread,
 * one message at a time: highest priority first, and in the order they were sent among messages of one
 * priority from one sending thread.
 *
 * <p>{@link #close()} removes the agent: later sends find {@link SendOutcome#NO_SUCH_AGENT}, the message being
 * handled finishes, and every message still queued becomes a dead letter
 * ({@link DeadLetter.Reason#RECIPIENT_CLOSED}), failing its request if it was one. Close is idempotent and
 * waits for the handler to return, unless called from the handler itself.
 */
public interface Inbox extends AutoCloseable {
    /** The agent's id. */
    AgentId id();

    /** The agent's roles. */
    Set<String> roles();

    /**
     * Starts delivering to {@code handler}, beginning with the messages that are waiting.
     *
     * @throws IllegalStateException if a handler is already attached or the inbox is closed
     */
    void attach(MessageHandler handler);

    /** Messages waiting now. */
    int size();

    /** Whether {@link #close()} was called (or the messenger closed). */
    boolean isClosed();

    @Override
    void close();
}
