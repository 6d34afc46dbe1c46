/**
 * The backend service-provider interface: what a module implements to put a colony's bus, messenger and
 * state somewhere else (colony-redis puts them in Redis). {@link dev.colony.spi.ColonyBackend} states the
 * contract as numbered rules; {@link dev.colony.spi.BackendSettings} carries the immutable settings.
 *
 * <p>The building blocks every backend shares are public types of the package whose values they handle,
 * not of this one, because the embedded implementation in those packages uses them too and a package here
 * would then depend on them and they on it (ADR 0025): {@link dev.colony.metrics.LatencyRecorder},
 * the messenger's bounded dead letters and reply table in {@code dev.colony.messaging}, the name rules and
 * the snapshot consistency check in {@code dev.colony.state}.
 */
package dev.colony.spi;
