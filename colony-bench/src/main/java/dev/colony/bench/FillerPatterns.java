package dev.colony.bench;

/**
 * Subscription patterns that fill a bus without matching the subjects the benchmarks publish
 * ({@code agent.hot.status}, {@code agent.warm.status}, {@code agent.<n>.status}, {@code task.<n>.assign}):
 * a mix of literals and both kinds of wildcard, all distinct.
 */
final class FillerPatterns {
    private FillerPatterns() {}

    /** The {@code i}-th filler pattern: literal, {@code *} last, {@code >} last, {@code *} first, in turn. */
    static String of(int i) {
        return switch (i & 3) {
            case 0 -> "agent.a" + i + ".status";
            case 1 -> "agent.a" + i + ".*";
            case 2 -> "task.t" + i + ".>";
            default -> "*.a" + i + ".heartbeat";
        };
    }
}
