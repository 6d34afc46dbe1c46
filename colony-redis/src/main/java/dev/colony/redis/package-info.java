/**
 * Colony's distributed mode: the bus, the messenger and the coordination state over Redis.
 *
 * <p>Applications do not name these types: with this module on the class path,
 * {@code Colony.builder().redis("redis://host:port/swarm")} finds {@link dev.colony.redis.RedisBackend}
 * through {@link java.util.ServiceLoader}. {@link dev.colony.redis.RedisTarget} is the parsed URI. The key
 * layout and message formats are the protocol in {@code docs/redis-protocol.md}; decisions: ADRs 0015 to
 * 0018.
 */
package dev.colony.redis;
