package dev.colony.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The figures of one measured variant of a scenario (ASYNC delivery, small messages, a bigger state): in the
 * JSON, {@code throughput_per_sec}, {@code seconds}, the spread, {@code latency_us} and {@code verified}.
 *
 * @param throughputPerSec verified units per second in the median iteration
 * @param seconds the median iteration's duration
 * @param spread the slowest and fastest iterations
 * @param latencyUs latency percentiles in microseconds, or null when the variant times none
 * @param latencyBasis what the latency measures, or null to say nothing
 * @param verified expected and observed units over the variant's measured iterations
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Variant(
        double throughputPerSec,
        double seconds,
        @JsonUnwrapped ThroughputSpread spread,
        ScenarioResult.Latency latencyUs,
        String latencyBasis,
        ScenarioResult.Verified verified) {

    /** This variant with latency figures from elsewhere (a bus's own histogram) and what they measure. */
    public Variant withLatency(ScenarioResult.Latency latency, String basis) {
        return new Variant(throughputPerSec, seconds, spread, latency, basis, verified);
    }

    /** The variant measured by {@code m}, with its latency when {@code withLatency}. */
    public static Variant of(Measurement m, boolean withLatency, String latencyBasis) {
        return new Variant(
                Measurement.round(m.throughput()),
                Measurement.round(m.medianSeconds()),
                m.spread(),
                withLatency ? m.latencyUs() : null,
                latencyBasis,
                new ScenarioResult.Verified(m.expected(), m.observed()));
    }
}
