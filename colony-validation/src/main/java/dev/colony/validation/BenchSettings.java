package dev.colony.validation;

/**
 * How long to run: warm-up iterations are run and thrown away, then measured iterations are reported.
 *
 * @param warmup iterations before measuring
 * @param iterations measured iterations
 * @param progress where to report progress, or null for none
 */
public record BenchSettings(int warmup, int iterations, Progress progress) {
    public BenchSettings {
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more, got " + warmup);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
    }

    public void progress(String format, Object... args) {
        if (progress != null) {
            progress.line(String.format(format, args));
        }
    }
}
