package dev.colony.server.auth;

/**
 * The token file cannot be used: it is unreadable, malformed, or readable by group or others. The message
 * is one line naming the file and what to do; the file is left exactly as it was.
 */
public final class TokenFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TokenFileException(String message) {
        super(message);
    }

    TokenFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
