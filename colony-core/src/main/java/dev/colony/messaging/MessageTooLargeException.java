package dev.colony.messaging;

/**
 * Thrown when a message is larger than the codec's limit, on encoding (the encoded form is too large) or
 * on decoding (the received bytes are too many). Nothing is decoded from an oversized message.
 */
public final class MessageTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final int limit;

    /** A message of {@code size} bytes refused against {@code limit}; {@code action} is "encoded" or "received". */
    public MessageTooLargeException(String action, long size, int limit) {
        super(action + " message is " + size + " bytes; the limit is " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    /** The size of the refused message, in bytes. */
    public long size() {
        return size;
    }

    /** The limit it exceeded, in bytes. */
    public int limit() {
        return limit;
    }
}
