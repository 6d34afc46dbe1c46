package dev.colony.messaging;

/**
 * Thrown when bytes cannot be decoded into an {@link Envelope}: they are not JSON, a required attribute
 * is missing, an attribute has the wrong type or value, or the payload does not fit the requested type.
 *
 * <p>The message states the reason. The JSON library's own exception is deliberately not attached as the
 * cause, so that no library type reaches callers; its description is part of the message instead.
 */
public final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A malformed message described by {@code reason}. */
    public MalformedMessageException(String reason) {
        super(reason);
    }
}
