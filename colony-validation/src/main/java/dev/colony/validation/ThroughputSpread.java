package dev.colony.validation;

/**
 * The throughput of the slowest and fastest measured iterations, and the spread between them as a percentage
 * of the median; in the details of a scenario or variant, unwrapped into its three fields.
 *
 * @param throughputMin the slowest iteration's units per second
 * @param throughputMax the fastest iteration's units per second
 * @param spreadPct (max - min) / median, in percent
 */
public record ThroughputSpread(double throughputMin, double throughputMax, double spreadPct) {}
