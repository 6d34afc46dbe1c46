package dev.colony.redis;

/**
 * A failure of the Redis coordination state that is not the caller's mistake: Redis unreachable or too
 * slow, a script failing, or data in a state key that Colony did not write (the message names the key
 * when it is known).
 */
final class RedisStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    RedisStateException(String message) {
        super(message);
    }

    RedisStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
