package dev.colony.messaging;

import java.util.Objects;

/**
 * A payload that is already JSON text: the JSON codec writes it into the message's {@code data}
 * unchanged (after checking that it is one well-formed JSON value), and
 * {@link MessageCodec#decode(byte[], Class) decode(bytes, RawJson.class)} returns the {@code data} exactly
 * as it was received, digit for digit.
 *
 * <p>Use it to forward a message without binding it to a type, or to hand it to another JSON library.
 *
 * @param text one JSON value, such as {@code {"a":1}}, {@code [1,2]} or {@code "x"}
 */
public record RawJson(String text) {
    public RawJson {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("raw JSON text must not be blank");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
