package dev.colony.messaging;

import java.util.Objects;

/**
 * Completes a {@link Messenger#request request}'s future exceptionally: the request got no reply, for the
 * {@link #failure() reason} given.
 */
public final class ReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ReplyFailure failure;

    /** @param detail what happened, such as the recipient's error message */
    public ReplyException(ReplyFailure failure, String detail) {
        super(Objects.requireNonNull(failure, "failure") + ": " + detail, null, false, false);
        this.failure = failure;
    }

    /** Why there is no reply. */
    public ReplyFailure failure() {
        return failure;
    }
}
