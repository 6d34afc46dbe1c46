package dev.colony.snapshot;

/**
 * Bytes that are not a valid snapshot: unknown format, unsupported version, truncated, checksum mismatch,
 * content that does not decode (a missing or wrong-typed field, a value out of range), or a snapshot that
 * decodes but breaks a rule of {@link dev.colony.state.SnapshotCheck}. Nothing is restored from them.
 *
 * <p>The message is one line (line breaks in it are folded into spaces, and it is cut at
 * {@value #MAX_MESSAGE} characters), so a tool can print it as it is.
 */
public final class CorruptSnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The longest message kept; longer ones end in "...". */
    public static final int MAX_MESSAGE = 300;

    public CorruptSnapshotException(String message) {
        super(oneLine(message));
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "corrupt snapshot";
        }
        String line = message.replaceAll("\\s*\\R\\s*", " ").strip();
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
