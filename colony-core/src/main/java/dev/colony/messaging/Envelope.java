package dev.colony.messaging;

import dev.colony.bus.Event;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A message between agents: who sent it to whom, what kind it is, how to answer it, and its payload.
 *
 * <p>Create one with {@link #of(AgentId, AgentId, String, Object)} and adjust it with the {@code with…}
 * methods; every envelope is immutable and validated when it is created.
 *
 * <p>A {@code null} recipient means the envelope is not addressed to a single agent: it is a broadcast
 * to a role or pattern, which the messenger carries beside the envelope. Every other optional field
 * ({@code correlationId}, {@code replyTo}, {@code deadline}) is {@code null} when absent. The deadline is
 * not checked against {@code time}: clocks of different processes differ, and an expired deadline is
 * an outcome the messenger reports, not an invalid value. Both instants must lie in the years 0000 to
 * 9999, the range an RFC 3339 timestamp on the wire can express; use a {@code null} deadline, not
 * {@link Instant#MAX}, for "no deadline".
 *
 * <p>Header names follow the CloudEvents rule for extension attributes, because each header travels as
 * one: 1 to {@value #MAX_HEADER_NAME_LENGTH} characters from {@code [a-z0-9]}, and not one of the names
 * the wire format uses itself ({@link #RESERVED_HEADER_NAMES}).
 *
 * <p>The payload is handed over by reference inside one JVM: send immutable payloads (records, immutable
 * collections).
 *
 * @param id unique per message, non-empty; {@link #of} uses a random UUID
 * @param source the sending agent
 * @param recipient the receiving agent, or {@code null} for a broadcast
 * @param type what kind of message this is, non-empty, such as {@code order.placed}
 * @param correlationId the id that ties a reply to its request, or {@code null}; non-empty when present
 * @param replyTo where replies go, or {@code null}
 * @param time when the message was created
 * @param deadline when the message stops being worth delivering or answering, or {@code null}
 * @param priority from {@link Event#MIN_PRIORITY} to {@link Event#MAX_PRIORITY}, as on the bus
 * @param headers small string metadata, copied
 * @param payload the content, never null
 */
public record Envelope(
        String id,
        AgentId source,
        AgentId recipient,
        String type,
        String correlationId,
        AgentId replyTo,
        Instant time,
        Instant deadline,
        int priority,
        Map<String, String> headers,
        Object payload) {

    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * The bounds as epoch seconds: EARLIEST has no nanoseconds and LATEST all of them, so an instant lies
     * between them exactly when its second does, one comparison each instead of {@code isBefore}/{@code isAfter}.
     */
    private static final long EARLIEST_SECOND = EARLIEST.getEpochSecond();

    private static final long LATEST_SECOND = LATEST.getEpochSecond();

    private static final Map<String, String> NO_HEADERS = Map.of();

    /** The longest header name accepted; CloudEvents recommends at most 20 characters for portability. */
    public static final int MAX_HEADER_NAME_LENGTH = 64;

    /** Names a header cannot take: the CloudEvents attributes and Colony's own extensions. */
    public static final Set<String> RESERVED_HEADER_NAMES = Set.of(
            "specversion",
            "id",
            "source",
            "type",
            "subject",
            "time",
            "datacontenttype",
            "dataschema",
            "data",
            "to",
            "correlationid",
            "replyto",
            "priority",
            "deadline");

    /**
     * Validates every field.
     *
     * @throws NullPointerException if a required field is null
     * @throws IllegalArgumentException if a field is invalid; the message names it and quotes the value
     */
    public Envelope {
        requireNonEmpty(id, "id");
        Objects.requireNonNull(source, "source");
        requireNonEmpty(type, "type");
        if (correlationId != null && correlationId.isEmpty()) {
            throw new IllegalArgumentException("correlationId must be null or non-empty, got \"\"");
        }
        checkInstant(Objects.requireNonNull(time, "time"), "time");
        if (deadline != null) {
            checkInstant(deadline, "deadline");
        }
        if (priority < Event.MIN_PRIORITY || priority > Event.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be between " + Event.MIN_PRIORITY + " and "
                    + Event.MAX_PRIORITY + ", got " + priority);
        }
        headers = copyHeaders(headers);
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * A new random (version 4) UUID in text form, for message ids. It comes from
     * {@link ThreadLocalRandom}, not {@code SecureRandom}: ids must be unique, not unguessable, and the
     * secure generator costs microseconds and a lock per call.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }

    /**
     * An envelope from {@code source} to {@code recipient} with a random UUID id ({@link #newId()}), the current time,
     * {@link Event#NORMAL_PRIORITY normal priority}, no headers, and no correlation, reply-to or deadline.
     *
     * @param recipient the receiving agent, or {@code null} for a broadcast
     */
    public static Envelope of(AgentId source, AgentId recipient, String type, Object payload) {
        return new Envelope(
                newId(),
                source,
                recipient,
                type,
                null,
                null,
                Instant.now(),
                null,
                Event.NORMAL_PRIORITY,
                NO_HEADERS,
                payload);
    }

    public Envelope withId(String newId) {
        return new Envelope(
                newId, source, recipient, type, correlationId, replyTo, time, deadline, priority, headers, payload);
    }

    public Envelope withRecipient(AgentId newRecipient) {
        return new Envelope(
                id, source, newRecipient, type, correlationId, replyTo, time, deadline, priority, headers, payload);
    }

    public Envelope withCorrelationId(String newCorrelationId) {
        return new Envelope(
                id, source, recipient, type, newCorrelationId, replyTo, time, deadline, priority, headers, payload);
    }

    public Envelope withReplyTo(AgentId newReplyTo) {
        return new Envelope(
                id, source, recipient, type, correlationId, newReplyTo, time, deadline, priority, headers, payload);
    }

    public Envelope withTime(Instant newTime) {
        return new Envelope(
                id, source, recipient, type, correlationId, replyTo, newTime, deadline, priority, headers, payload);
    }

    public Envelope withDeadline(Instant newDeadline) {
        return new Envelope(
                id, source, recipient, type, correlationId, replyTo, time, newDeadline, priority, headers, payload);
    }

    public Envelope withPriority(int newPriority) {
        return new Envelope(
                id, source, recipient, type, correlationId, replyTo, time, deadline, newPriority, headers, payload);
    }

    /** This envelope with {@code newHeaders} instead of its headers. */
    public Envelope withHeaders(Map<String, String> newHeaders) {
        return new Envelope(
                id, source, recipient, type, correlationId, replyTo, time, deadline, priority, newHeaders, payload);
    }

    /** This envelope with one header added or replaced. */
    public Envelope withHeader(String name, String value) {
        Map<String, String> newHeaders = new HashMap<>(headers);
        newHeaders.put(Objects.requireNonNull(name, "header name"), value);
        return withHeaders(newHeaders);
    }

    public Envelope withPayload(Object newPayload) {
        return new Envelope(
                id, source, recipient, type, correlationId, replyTo, time, deadline, priority, headers, newPayload);
    }

    /**
     * The payload as a {@code type}.
     *
     * @throws ClassCastException if the payload is not a {@code type}; the message names both types
     */
    public <T> T payload(Class<T> type) {
        if (!type.isInstance(payload)) {
            throw new ClassCastException("payload is a " + payload.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(payload);
    }

    private static void requireNonEmpty(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty, got \"\"");
        }
    }

    private static void checkInstant(Instant instant, String name) {
        long second = instant.getEpochSecond();
        if (second < EARLIEST_SECOND || second > LATEST_SECOND) {
            throw new IllegalArgumentException(name + " must lie in the years 0000 to 9999 (RFC 3339), got " + instant);
        }
    }

    private static Map<String, String> copyHeaders(Map<String, String> headers) {
        if (headers == NO_HEADERS) {
            return headers; // what of() and most envelopes carry: no call through the Map interface
        }
        Objects.requireNonNull(headers, "headers");
        if (headers.isEmpty()) {
            return Map.of(); // the common case, without an iterator or a copy
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            checkHeaderName(header.getKey());
            if (header.getValue() == null) {
                throw new IllegalArgumentException("header \"" + header.getKey() + "\" has a null value");
            }
        }
        return Map.copyOf(headers);
    }

    private static void checkHeaderName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("header name must not be null");
        }
        if (name.isEmpty() || name.length() > MAX_HEADER_NAME_LENGTH) {
            throw new IllegalArgumentException("invalid header name \"" + name + "\": must be 1 to "
                    + MAX_HEADER_NAME_LENGTH + " characters long");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                throw new IllegalArgumentException("invalid header name \"" + name + "\": character '" + c
                        + "' at index " + i + " is not one of [a-z0-9] (a CloudEvents extension name)");
            }
        }
        if (RESERVED_HEADER_NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "invalid header name \"" + name + "\": reserved for the wire format's own attributes");
        }
    }
}
