/**
 * The entry point of Colony: {@link dev.colony.Colony}, one colony of agents with its event bus, messenger,
 * coordination state, agent runtime and metrics registry.
 *
 * <p>{@link dev.colony.Colony#embedded()} runs everything in this JVM; {@link dev.colony.Colony#builder()} sets
 * options and, with {@code colony-redis} on the class or module path, connects to a Redis-backed swarm
 * ({@code Colony.builder().redis(uri)}). {@link dev.colony.spi.ColonyBackend} is the service a backend module
 * provides; applications never call it. {@link dev.colony.Colony#version()} is the version in use.
 */
package dev.colony;
