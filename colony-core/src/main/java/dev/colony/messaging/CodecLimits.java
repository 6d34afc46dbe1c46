package dev.colony.messaging;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * The bounds a {@link JsonMessageCodec} puts on what it reads, so that no input can cost more than they
 * allow: the message's size, how deep {@code data} nests, and the length of one number, one string and one
 * property name (ADR 0019).
 *
 * <p>Jackson enforces the same bounds while it tokenizes (its {@link StreamReadConstraints}), which is what
 * protects the fast path that binds {@code data} in the middle of the message; the codec's own scan of
 * {@code data} (in {@code CloudEventReader}) enforces them where Jackson would skip values without reading them. Either way
 * a violation is a {@link MalformedMessageException} with a one-line reason.
 *
 * @param maxMessageBytes the largest message, in bytes
 * @param maxDepth how deeply {@code data} may nest objects and arrays ({@code {}} is depth 1)
 * @param maxNumberLength the most digits of one JSON number (its sign, point and exponent marker not counted)
 * @param maxStringLength the most characters of one JSON string
 * @param maxNameLength the most characters of one property name, attributes included
 */
record CodecLimits(int maxMessageBytes, int maxDepth, int maxNumberLength, int maxStringLength, int maxNameLength) {
    static final CodecLimits DEFAULTS = new CodecLimits(MessageCodec.DEFAULT_MAX_MESSAGE_BYTES, 64, 256, 1 << 20, 1024);

    CodecLimits {
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxDepth", maxDepth);
        positive("maxNumberLength", maxNumberLength);
        positive("maxStringLength", maxStringLength);
        positive("maxNameLength", maxNameLength);
        if (maxDepth > 10_000) { // deeper binding would risk the binder's stack
            throw new IllegalArgumentException("maxDepth must be at most 10000, got " + maxDepth);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Jackson's constraints for these limits: the envelope object is one level above {@code data}. */
    StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth + 1)
                .maxNumberLength(maxNumberLength)
                .maxStringLength(maxStringLength)
                .maxNameLength(maxNameLength)
                .build();
    }

    MalformedMessageException tooDeep() {
        return new MalformedMessageException("data nests deeper than " + maxDepth + " levels");
    }

    MalformedMessageException numberTooLong() {
        return new MalformedMessageException("a number has more than " + maxNumberLength + " digits");
    }

    MalformedMessageException stringTooLong() {
        return new MalformedMessageException("a string is longer than " + maxStringLength + " characters");
    }

    MalformedMessageException nameTooLong() {
        return new MalformedMessageException("a property name is longer than " + maxNameLength + " characters");
    }

    /** The reason for a violation Jackson found, told apart by the constraint its message names. */
    MalformedMessageException refusal(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("getMaxNestingDepth")) {
            return tooDeep();
        }
        if (message.contains("getMaxNumberLength")) {
            return numberTooLong();
        }
        if (message.contains("getMaxStringLength")) {
            return stringTooLong();
        }
        if (message.contains("getMaxNameLength")) {
            return nameTooLong();
        }
        if (message.contains("getMaxBigIntegerScale")) {
            return new MalformedMessageException("a number's exponent is out of range");
        }
        return new MalformedMessageException("exceeds a limit of the codec: " + Quote.of(message));
    }
}
