/**
 * Colony's distributed mode: the {@code redis://} backend behind {@code Colony.builder().redis(uri)}. The
 * bus runs over pub/sub, the messenger over streams with consumer groups, the coordination state in Lua
 * scripts; the key layout is documented in docs/redis-protocol.md. It builds only on colony-core's
 * exported API and SPI, and exports nothing: applications never name its classes.
 */
module dev.colony.redis {
    requires dev.colony.core;
    requires lettuce.core; // automatic module (Automatic-Module-Name of lettuce-core)
    requires reactor.core; // Lettuce's connection events, watched by RedisLinkWatch
    requires tools.jackson.databind;

    provides dev.colony.spi.ColonyBackend with
            dev.colony.redis.RedisBackend;
}
