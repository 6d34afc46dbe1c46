package dev.colony.messaging;

/**
 * Turns {@link Envelope envelopes} into bytes and back: the service-provider interface behind every
 * messenger that crosses a process boundary (or marshals on every send to behave as if it did).
 *
 * <p>Implementations are thread-safe and hold no per-message state. {@link JsonMessageCodec} is the
 * interoperable default (CloudEvents 1.0 JSON); a binary codec may sit beside it for speed.
 *
 * <p>Failures: an envelope whose encoded form exceeds {@link #maxMessageBytes()}, or input longer than it,
 * throws {@link MessageTooLargeException}; input that is not a valid message throws
 * {@link MalformedMessageException}; a payload the codec cannot represent throws
 * {@link IllegalArgumentException}. No other exception type, and in particular no exception of the
 * underlying serialization library, escapes.
 */
public interface MessageCodec {
    /** The default size limit: 1 MiB. */
    int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    /** The largest message, in bytes, this codec encodes or decodes. */
    int maxMessageBytes();

    /**
     * Encodes {@code envelope}.
     *
     * @throws MessageTooLargeException if the result would be larger than {@link #maxMessageBytes()}
     * @throws IllegalArgumentException if the payload cannot be encoded
     */
    byte[] encode(Envelope envelope);

    /**
     * Decodes a message, with its payload as a generic tree: {@code Map<String, Object>} (in document
     * order), {@code List<Object>}, {@code String}, {@code Boolean}, {@code Number} or {@code null} at
     * the leaves. The tree is unmodifiable only as far as the implementation documents it.
     *
     * @throws MessageTooLargeException if {@code bytes} is longer than {@link #maxMessageBytes()}
     * @throws MalformedMessageException if {@code bytes} is not a valid message
     */
    Envelope decode(byte[] bytes);

    /**
     * Decodes a message, binding its payload to {@code payloadType}: a record, a class with a public
     * no-argument constructor and properties, a {@code Map}, or {@link RawJson} for the payload's text as
     * received.
     *
     * @throws MessageTooLargeException if {@code bytes} is longer than {@link #maxMessageBytes()}
     * @throws MalformedMessageException if {@code bytes} is not a valid message or its payload does not
     *     fit {@code payloadType}
     */
    Envelope decode(byte[] bytes, Class<?> payloadType);
}
