package dev.colony.metrics;

import java.util.Objects;
import java.util.OptionalLong;

/** One metric's value in a {@link MetricsSnapshot}: a count, a gauge level, or a latency distribution. */
public sealed interface Reading {

    /** The metric's name, dotted lowercase such as {@code colony.bus.published}. */
    String name();

    /** What the metric measures, in one sentence. */
    String description();

    /**
     * A counter's value: in a cumulative snapshot the count since the counter was created, in an interval
     * snapshot ({@link MetricsSnapshot#since}) the count within the interval.
     */
    record Count(String name, String description, long value) implements Reading {
        public Count {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }
    }

    /** A gauge's level when the snapshot was taken (NaN if its source had no value). */
    record Gauge(String name, String description, double value) implements Reading {
        public Gauge {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * A latency distribution, in nanoseconds.
     *
     * @param latency percentiles: cumulative in a cumulative snapshot; in an interval snapshot, those of the
     *     interval when {@code windowed} is true, otherwise still cumulative
     * @param sumNanos the sum of the values, when the source keeps one (a registry {@link Timer} does)
     * @param windowed whether the source has intervals: true for a registry {@link Timer}, false for a
     *     source registered with {@link MetricsRegistry#latency}, which only reports percentiles since it
     *     started
     */
    record Latency(String name, String description, LatencySnapshot latency, OptionalLong sumNanos, boolean windowed)
            implements Reading {
        public Latency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(sumNanos, "sumNanos");
        }
    }
}
