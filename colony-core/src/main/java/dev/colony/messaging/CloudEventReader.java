package dev.colony.messaging;

import dev.colony.bus.Event;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the attributes of a CloudEvents JSON message with the streaming parser, and either binds its
 * {@code data} in the same pass or finds where it lies in the input, so the payload can be bound (or
 * kept as text) without a second parse of the envelope. Every failure becomes a {@link
 * MalformedMessageException} that names the attribute.
 *
 * <p>Binding in the same pass ({@link #readBinding}) is the fast path: the message is parsed once. It
 * does not know yet whether the rest of the message is valid, so when the payload does not bind it gives
 * up with {@link DataMismatch} and the caller decodes again with {@link #read}, which checks every
 * attribute before the payload is bound; the error reported is then the same wherever {@code data}
 * stands and whatever else is wrong with the message.
 *
 * <p><b>Limits.</b> The mapper's constraints bound nesting, numbers, strings and names while Jackson
 * tokenizes; where {@code data} is only passed over, {@link Builder#scan} reads each of its values and
 * applies the same {@link CodecLimits} (Jackson skips a string without decoding it, so neither its
 * length nor its UTF-8 would be checked otherwise).
 */
final class CloudEventReader {
    private CloudEventReader() {}

    /**
     * Thrown by {@link #readBinding} when the payload did not bind (or was not valid JSON): decode again
     * with {@link #read} to find the error to report. Carries no stack trace; it is control flow.
     */
    static final class DataMismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataMismatch() {
            super(null, null, false, false);
        }
    }

    /** The attributes read, and the byte range of {@code data}'s value in the input. */
    record Attributes(
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
            Object payload,
            int dataStart,
            int dataEnd) {

        /** The envelope with the payload bound in the same pass. */
        Envelope toEnvelope() {
            return toEnvelope(payload);
        }

        Envelope toEnvelope(Object payload) {
            if (payload == null) {
                throw new MalformedMessageException("attribute data is null");
            }
            try {
                return new Envelope(
                        id,
                        source,
                        recipient,
                        type,
                        correlationId,
                        replyTo,
                        time,
                        deadline,
                        priority,
                        headers,
                        payload);
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("invalid message: " + Quote.line(e.getMessage()));
            }
        }
    }

    /** Reads the attributes and the range of {@code data}, leaving the payload unbound. */
    static Attributes read(JsonMapper mapper, CodecLimits limits, byte[] bytes) {
        return read(mapper, limits, bytes, null);
    }

    /**
     * Reads the attributes and binds {@code data} to {@code payloadType} as it passes.
     *
     * @throws DataMismatch if the payload does not bind; nothing is known then about the rest
     */
    static Attributes readBinding(JsonMapper mapper, CodecLimits limits, byte[] bytes, Class<?> payloadType) {
        return read(mapper, limits, bytes, payloadType);
    }

    private static Attributes read(JsonMapper mapper, CodecLimits limits, byte[] bytes, Class<?> payloadType) {
        try (JsonParser p = mapper.createParser(bytes)) {
            return readObject(p, new Builder(mapper, limits, payloadType));
        } catch (StreamConstraintsException e) {
            throw limits.refusal(e);
        } catch (JacksonException e) {
            throw new MalformedMessageException("not valid JSON: " + Quote.line(e.getOriginalMessage()) + at(e));
        }
    }

    /** Where the parser stopped, when it says so (a constraint or an I/O failure may carry no location). */
    private static String at(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        return location == null || location.getByteOffset() < 0 ? "" : " (at byte " + location.getByteOffset() + ")";
    }

    private static Attributes readObject(JsonParser p, Builder b) {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new MalformedMessageException("not valid JSON: no content");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new MalformedMessageException("a message must be a JSON object, got " + Builder.describe(first));
        }
        String name;
        // a repeated attribute is refused by the parser's strict duplicate detection
        while ((name = p.nextName()) != null) {
            p.nextToken();
            b.read(name, p);
        }
        if (p.nextToken() != null) {
            throw new MalformedMessageException("content after the message's JSON object");
        }
        return b.build();
    }

    /** Collects attributes as they arrive, in any order. */
    private static final class Builder {
        private final JsonMapper mapper;
        private final CodecLimits limits;
        private final Class<?> payloadType;
        private String specVersion;
        private String id;
        private AgentId source;
        private String type;
        private Instant time;
        private AgentId recipient;
        private String correlationId;
        private AgentId replyTo;
        private int priority = Event.NORMAL_PRIORITY;
        private Instant deadline;
        private final Map<String, String> headers = new HashMap<>();
        private Object payload;
        private int dataStart = -1;
        private int dataEnd = -1;

        /** {@code payloadType} null: record where {@code data} lies; otherwise bind it. */
        Builder(JsonMapper mapper, CodecLimits limits, Class<?> payloadType) {
            this.mapper = mapper;
            this.limits = limits;
            this.payloadType = payloadType;
        }

        void read(String name, JsonParser p) {
            if (p.currentToken() == JsonToken.VALUE_NULL && !name.equals("data")) {
                return; // CloudEvents: an attribute whose value is null is absent
            }
            switch (name) {
                case "specversion" -> specVersion = string(name, p);
                case "id" -> id = string(name, p);
                case "source" -> source = source(string(name, p));
                case "type" -> type = string(name, p);
                case "time" -> time = timestamp(name, string(name, p));
                case "datacontenttype" -> checkContentType(string(name, p));
                case "subject", "dataschema" -> string(name, p);
                case "data" -> data(p);
                case "data_base64" -> throw new MalformedMessageException("binary data (data_base64) is not supported");
                case "to" -> recipient = agentId(name, string(name, p));
                case "correlationid" -> correlationId = string(name, p);
                case "replyto" -> replyTo = agentId(name, string(name, p));
                case "priority" -> priority = priority(p);
                case "deadline" -> deadline = timestamp(name, string(name, p));
                default -> headers.put(name, extensionValue(name, p));
            }
        }

        Attributes build() {
            if (specVersion == null) {
                throw missing("specversion");
            }
            if (!specVersion.equals(JsonMessageCodec.SPEC_VERSION)) {
                throw new MalformedMessageException("unsupported specversion \"" + Quote.of(specVersion)
                        + "\"; expected \""
                        + JsonMessageCodec.SPEC_VERSION + "\"");
            }
            if (id == null) {
                throw missing("id");
            }
            if (source == null) {
                throw missing("source");
            }
            if (type == null) {
                throw missing("type");
            }
            if (time == null) {
                throw missing("time");
            }
            if (dataStart < 0) {
                throw missing("data");
            }
            return new Attributes(
                    id,
                    source,
                    recipient,
                    type,
                    correlationId,
                    replyTo,
                    time,
                    deadline,
                    priority,
                    headers,
                    payload,
                    dataStart,
                    dataEnd);
        }

        private void data(JsonParser p) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                throw new MalformedMessageException("attribute data is null");
            }
            dataStart = (int) p.currentTokenLocation().getByteOffset();
            if (payloadType != null) {
                bind(p);
                return;
            }
            scan(p);
            dataEnd = (int) p.currentLocation().getByteOffset();
        }

        /** Passes over the value at the parser, reading every token of it and applying the limits. */
        private void scan(JsonParser p) {
            JsonToken token = p.currentToken();
            int depth = 0;
            while (true) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > limits.maxDepth()) {
                            throw limits.tooDeep();
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case PROPERTY_NAME -> {
                        if (p.currentName().length() > limits.maxNameLength()) {
                            throw limits.nameTooLong();
                        }
                    }
                    case VALUE_STRING -> {
                        if (p.getStringLength() > limits.maxStringLength()) { // decodes it: checks its UTF-8
                            throw limits.stringTooLong();
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (digits(p.getString()) > limits.maxNumberLength()) {
                            throw limits.numberTooLong();
                        }
                    }
                    default -> {}
                }
                if (depth == 0) {
                    return;
                }
                token = p.nextToken();
                if (token == null) {
                    throw new MalformedMessageException("not valid JSON: the message ends inside data");
                }
            }
        }

        private void bind(JsonParser p) {
            try {
                payload = mapper.readValue(p, payloadType);
            } catch (RuntimeException e) {
                // a JacksonException, or a payload constructor's own: the two-pass decode reports it
                throw new DataMismatch();
            }
        }

        /** Digits of a number's text, as Jackson counts a number's length. */
        private static int digits(String number) {
            int digits = 0;
            for (int i = 0; i < number.length(); i++) {
                char c = number.charAt(i);
                if (c >= '0' && c <= '9') {
                    digits++;
                }
            }
            return digits;
        }

        private static MalformedMessageException missing(String name) {
            return new MalformedMessageException("missing required attribute " + name);
        }

        private static String string(String name, JsonParser p) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw new MalformedMessageException(
                        "attribute " + name + " must be a string, got " + describe(p.currentToken()));
            }
            return p.getString();
        }

        private static AgentId source(String value) {
            if (!value.startsWith(JsonMessageCodec.SOURCE_PREFIX)) {
                throw new MalformedMessageException("attribute source \"" + Quote.of(value) + "\" is not of the form \""
                        + JsonMessageCodec.SOURCE_PREFIX + "<agent id>\"");
            }
            return agentId("source", value.substring(JsonMessageCodec.SOURCE_PREFIX.length()));
        }

        private static AgentId agentId(String name, String value) {
            try {
                return AgentId.of(value);
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("attribute " + name + ": " + Quote.line(e.getMessage()));
            }
        }

        private static Instant timestamp(String name, String value) {
            Instant canonical = CloudEventTime.parseCanonical(value);
            if (canonical != null) {
                return canonical;
            }
            try {
                // RFC 3339 allows a lower-case 't' and 'z'; Java's ISO parser does not
                return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).toInstant();
            } catch (DateTimeParseException e) {
                throw new MalformedMessageException(
                        "attribute " + name + " \"" + Quote.of(value) + "\" is not an RFC 3339 timestamp");
            }
        }

        private static void checkContentType(String value) {
            if (value.equals(JsonMessageCodec.CONTENT_TYPE)) {
                return; // what the codec writes
            }
            String media = value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!media.equals(JsonMessageCodec.CONTENT_TYPE) && !media.endsWith("+json")) {
                throw new MalformedMessageException(
                        "unsupported datacontenttype \"" + Quote.of(value) + "\"; expected a JSON media type");
            }
        }

        private static int priority(JsonParser p) {
            String text = switch (p.currentToken()) {
                case VALUE_NUMBER_INT, VALUE_STRING -> p.getString();
                default ->
                    throw new MalformedMessageException(
                            "attribute priority must be an integer, got " + describe(p.currentToken()));
            };
            if (text.length() != 1 || text.charAt(0) < '0' || text.charAt(0) > '9') {
                throw new MalformedMessageException("attribute priority must be between " + Event.MIN_PRIORITY + " and "
                        + Event.MAX_PRIORITY + ", got " + Quote.of(text));
            }
            return Integer.parseInt(text);
        }

        private static String extensionValue(String name, JsonParser p) {
            return switch (p.currentToken()) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getString();
                default ->
                    throw new MalformedMessageException(
                            "extension attribute " + name + " must be a scalar, got " + describe(p.currentToken()));
            };
        }

        static String describe(JsonToken token) {
            return switch (token) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> token.name();
            };
        }
    }
}
