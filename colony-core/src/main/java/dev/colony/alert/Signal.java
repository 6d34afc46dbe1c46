package dev.colony.alert;

import dev.colony.metrics.LatencySnapshot;
import dev.colony.metrics.MetricsRegistry;
import dev.colony.metrics.Timer;
import java.util.List;

/**
 * What an {@link AlertRule} watches: a number derived from the registry's metrics at each evaluation.
 * Rates and ratios are taken over the time since the previous evaluation, so the first evaluation has no
 * value for them; a signal with no value leaves the rule's state as it was.
 */
public sealed interface Signal {

    /** The metrics this signal reads. */
    List<String> metrics();

    /** A gauge's level or a counter's total. */
    static Signal value(String metric) {
        return new Value(metric);
    }

    /** A counter's increase per second since the previous evaluation. */
    static Signal rate(String counter) {
        return new Rate(counter);
    }

    /**
     * One counter's increase divided by another's since the previous evaluation, such as handler failures
     * per handler call; no value while the denominator did not grow.
     */
    static Signal ratio(String numerator, String denominator) {
        return new Ratio(numerator, denominator);
    }

    /**
     * A percentile of a latency metric, in nanoseconds: for a registry {@link Timer} over the values recorded
     * since the previous evaluation (no value if none were), for a latency source over everything it saw.
     *
     * @param percentile one of those a {@link LatencySnapshot} keeps: 50, 95, 99, 99.9, or 100 for the maximum
     */
    static Signal percentile(String latency, double percentile) {
        return new Percentile(latency, percentile);
    }

    /** A gauge's level or a counter's total. */
    record Value(String metric) implements Signal {
        public Value {
            MetricsRegistry.checkName(metric);
        }

        @Override
        public List<String> metrics() {
            return List.of(metric);
        }

        @Override
        public String toString() {
            return metric;
        }
    }

    /** A counter's increase per second since the previous evaluation. */
    record Rate(String counter) implements Signal {
        public Rate {
            MetricsRegistry.checkName(counter);
        }

        @Override
        public List<String> metrics() {
            return List.of(counter);
        }

        @Override
        public String toString() {
            return "rate(" + counter + ")";
        }
    }

    /** One counter's increase divided by another's since the previous evaluation. */
    record Ratio(String numerator, String denominator) implements Signal {
        public Ratio {
            MetricsRegistry.checkName(numerator);
            MetricsRegistry.checkName(denominator);
        }

        @Override
        public List<String> metrics() {
            return List.of(numerator, denominator);
        }

        @Override
        public String toString() {
            return "ratio(" + numerator + ", " + denominator + ")";
        }
    }

    /** A percentile of a latency metric, in nanoseconds. */
    record Percentile(String latency, double percentile) implements Signal {
        public Percentile {
            MetricsRegistry.checkName(latency);
            if (percentile != 50 && percentile != 95 && percentile != 99 && percentile != 99.9 && percentile != 100) {
                throw new IllegalArgumentException(
                        "percentile must be 50, 95, 99, 99.9 or 100 (the maximum), got " + percentile);
            }
        }

        /** This percentile of {@code latency}, in nanoseconds. */
        double of(LatencySnapshot latency) {
            if (percentile == 50) {
                return latency.p50();
            } else if (percentile == 95) {
                return latency.p95();
            } else if (percentile == 99) {
                return latency.p99();
            } else if (percentile == 99.9) {
                return latency.p999();
            }
            return latency.max();
        }

        @Override
        public List<String> metrics() {
            return List.of(latency);
        }

        @Override
        public String toString() {
            return "p" + (percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : percentile) + "("
                    + latency + ")";
        }
    }
}
