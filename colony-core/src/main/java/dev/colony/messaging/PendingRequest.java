package dev.colony.messaging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A request waiting for its reply: the future, and the timeout task to cancel when something else
 * completes it first.
 *
 * <p>Completing is claimed first ({@link #claim()}, once), then the caller removes the request from the
 * pending map and cancels the timeout, and only then completes the future: whoever sees the future
 * done also sees that no state of the request is left.
 */
final class PendingRequest {
    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(PendingRequest.class, "claimed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String correlationId;
    final String requestId;
    final AgentId replyTo;
    final long startNanos;
    final CompletableFuture<Envelope> future = new CompletableFuture<>();
    private volatile ScheduledFuture<?> timeout;
    private volatile boolean claimed;

    PendingRequest(String correlationId, String requestId, AgentId replyTo, long startNanos) {
        this.correlationId = correlationId;
        this.requestId = requestId;
        this.replyTo = replyTo;
        this.startNanos = startNanos;
    }

    /** Records the timeout task; cancels it at once if the request was claimed meanwhile. */
    void armed(ScheduledFuture<?> task) {
        timeout = task;
        if (claimed) {
            task.cancel(false);
        }
    }

    /** True for the one caller that gets to complete this request. */
    boolean claim() {
        return CLAIMED.compareAndSet(this, false, true);
    }

    /** Cancels the timeout task, if it was armed; if not yet, {@link #armed} will see the claim. */
    void cancelTimeout() {
        ScheduledFuture<?> task = timeout;
        if (task != null) {
            task.cancel(false);
        }
    }
}
