package dev.colony.validation;

import java.util.Map;
import java.util.Optional;

/** Reads scenario details (nested maps from a run or from a JSON file) by path. */
public final class Details {
    private Details() {}

    /** The value at {@code path} in nested maps, if every step exists. */
    public static Optional<Object> at(Map<String, Object> details, String... path) {
        Object current = details;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return Optional.empty();
            }
            current = map.get(key);
        }
        return Optional.ofNullable(current);
    }

    /** The number at {@code path}; a record such as a latency is not a number. */
    public static Optional<Double> number(Map<String, Object> details, String... path) {
        return at(details, path).filter(Number.class::isInstance).map(n -> ((Number) n).doubleValue());
    }

    /** The text at {@code path}. */
    public static Optional<String> text(Map<String, Object> details, String... path) {
        return at(details, path).filter(String.class::isInstance).map(String.class::cast);
    }
}
