package dev.colony.server.dashboard;

/** A dashboard request with a bad parameter: answered with 400 and this message. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message, null, false, false);
    }
}
