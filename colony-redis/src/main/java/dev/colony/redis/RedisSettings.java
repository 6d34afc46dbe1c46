package dev.colony.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redis backend's own settings, read from {@code Colony.Builder.backendOption(name, value)} (the
 * {@code options} of {@link dev.colony.spi.BackendSettings}); every one has a default, and an unknown name
 * or a bad value is refused naming it. Durations are written {@code 250ms}, {@code 10s}, {@code 2m} or in
 * ISO-8601 ({@code PT10S}).
 *
 * @param commandTimeout how long a command may wait for its reply (when the URI has no {@code timeout})
 * @param connectTimeout how long opening a connection may take
 * @param commandQueue the most commands that wait per connection while it is down; more fail at once
 * @param publishBuffer the most events a node's publishing connection buffers while it is down or slow
 * @param criticalPublishWait how long a critical event (priority 8-9) waits for room in a full buffer
 * @param inboundBuffer the most received events a node buffers before handing them to its subscribers
 * @param messenger the messenger's node lease, claim idle time, read block, batch, remembered ids and
 *     deliveries ({@code nodeTtl}, {@code claimIdle}, {@code readBlock}, {@code readBatch}, {@code readAhead},
 *     {@code recentIds}, {@code maxDeliveries})
 * @param tlsCaFile a PEM file of the certificate authorities to trust for {@code rediss://}, or null for the
 *     JVM's default trust store
 * @param busChannels where the node publishes its events ({@code busChannels}: {@code node}, the default, on its
 *     own node channel, in batches across subjects; {@code subject} on one channel per subject, ADR 0075); the
 *     node receives both kinds either way
 */
record RedisSettings(
        Duration commandTimeout,
        Duration connectTimeout,
        int commandQueue,
        int publishBuffer,
        Duration criticalPublishWait,
        int inboundBuffer,
        RedisMessengerOptions messenger,
        Path tlsCaFile,
        RedisEventBusChannels.Publishing busChannels) {

    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h)");

    RedisSettings {
        positive(commandTimeout, "commandTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(criticalPublishWait, "criticalPublishWait");
        range(commandQueue, 1, 10_000_000, "commandQueue");
        range(publishBuffer, 1, 10_000_000, "publishBuffer");
        range(inboundBuffer, 1, 10_000_000, "inboundBuffer");
        Objects.requireNonNull(messenger, "messenger");
        if (messenger.readBlock().compareTo(commandTimeout.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("readBlock " + messenger.readBlock()
                    + " must be at most half the command timeout " + commandTimeout);
        }
        if (tlsCaFile != null && !Files.isReadable(tlsCaFile)) {
            throw new IllegalArgumentException("tlsCaFile '" + tlsCaFile + "' is not a readable file");
        }
        Objects.requireNonNull(busChannels, "busChannels");
    }

    /**
     * 10 s commands, 5 s connects, 100,000 queued commands, 65,536 buffered events each way, 5 s waits, events
     * published on the node's channel.
     */
    static RedisSettings defaults() {
        return new RedisSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                100_000,
                65_536,
                Duration.ofSeconds(5),
                65_536,
                RedisMessengerOptions.defaults(),
                null,
                RedisEventBusChannels.Publishing.NODE);
    }

    /**
     * The defaults with {@code options} applied.
     *
     * @throws IllegalArgumentException naming an unknown option, or an option and its bad value
     */
    static RedisSettings from(Map<String, String> options) {
        Map<String, String> left = new HashMap<>(options);
        RedisSettings d = defaults();
        RedisMessengerOptions m = d.messenger();
        RedisMessengerOptions messenger = new RedisMessengerOptions(
                take(left, "nodeTtl", RedisSettings::duration, m.nodeTtl()),
                take(left, "claimIdle", RedisSettings::duration, m.claimIdle()),
                take(left, "readBlock", RedisSettings::duration, m.readBlock()),
                take(left, "readBatch", Integer::parseInt, m.batch()),
                take(left, "readAhead", Integer::parseInt, m.readAhead()),
                take(left, "recentIds", Integer::parseInt, m.recentIds()),
                take(left, "maxDeliveries", Integer::parseInt, m.maxDeliveries()));
        RedisSettings settings = new RedisSettings(
                take(left, "commandTimeout", RedisSettings::duration, d.commandTimeout()),
                take(left, "connectTimeout", RedisSettings::duration, d.connectTimeout()),
                take(left, "commandQueue", Integer::parseInt, d.commandQueue()),
                take(left, "publishBuffer", Integer::parseInt, d.publishBuffer()),
                take(left, "criticalPublishWait", RedisSettings::duration, d.criticalPublishWait()),
                take(left, "inboundBuffer", Integer::parseInt, d.inboundBuffer()),
                messenger,
                take(left, "tlsCaFile", Path::of, null),
                take(left, "busChannels", RedisEventBusChannels.Publishing::parse, d.busChannels()));
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown Redis backend option(s) "
                    + left.keySet().stream().sorted().toList()
                    + "; known: commandTimeout, connectTimeout, commandQueue, publishBuffer, criticalPublishWait,"
                    + " inboundBuffer, nodeTtl, claimIdle, readBlock, readBatch, readAhead, recentIds, maxDeliveries,"
                    + " tlsCaFile, busChannels");
        }
        return settings;
    }

    private static <T> T take(Map<String, String> left, String name, Function<String, T> parse, T fallback) {
        String value = left.remove(name);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Redis backend option " + name + " has a bad value '" + value + "'", e);
        }
    }

    /** {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 such as {@code PT10S}. */
    static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Duration.parse(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The event bus's publish path limits. */
    RedisEventBusSender.Limits publishLimits() {
        return new RedisEventBusSender.Limits(publishBuffer, criticalPublishWait, Duration.ofSeconds(2), true);
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, got " + duration);
        }
    }

    private static void range(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
