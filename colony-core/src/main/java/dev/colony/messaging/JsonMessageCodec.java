package dev.colony.messaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.module.blackbird.BlackbirdModule;

/**
 * The JSON message codec: CloudEvents 1.0 in the JSON structured format, written and read with Jackson.
 *
 * <h2>Mapping</h2>
 *
 * <pre>
 * Envelope        CloudEvents attribute    JSON type
 * -               specversion              "1.0" (required on decode)
 * id              id                       string
 * source          source                   string "colony:agent/&lt;id&gt;"
 * type            type                     string
 * time            time                     string, RFC 3339 (written in UTC with "Z")
 * -               datacontenttype          "application/json" (absent, or any JSON media type, on decode)
 * payload         data                     any JSON value except null
 * recipient       to          (extension)  string agent id; absent for a broadcast
 * correlationId   correlationid (ext.)     string; absent when null
 * replyTo         replyto     (extension)  string agent id; absent when null
 * priority        priority    (extension)  integer 0-9 (a digit string is accepted on decode); default 4
 * deadline        deadline    (extension)  string, RFC 3339; absent when null
 * headers         one extension per header string (numbers and booleans are accepted as text on decode)
 * </pre>
 *
 * <p>Each header is its own top-level extension attribute rather than one nested object: CloudEvents
 * extension values must be scalars, and a client in another language sets a header by adding an
 * attribute. This is why header names must be valid extension names ({@code [a-z0-9]}) and avoid the
 * reserved ones. On decode every unknown attribute becomes a header, so nothing a foreign producer adds
 * is lost; an attribute whose value is JSON {@code null} is absent, as CloudEvents defines it. The
 * {@code subject} and {@code dataschema} attributes are accepted and ignored; {@code data_base64}
 * (binary data) is refused.
 *
 * <h2>Payloads and numbers</h2>
 *
 * <p>Records, classes with properties, maps, lists, strings, numbers and {@link RawJson} are written
 * with Jackson's data binding; {@code RawJson} is checked to be one JSON value and written unchanged.
 * Doubles are written as the shortest decimal that reads back as the same double and read with an exact
 * parser, so every finite {@code double} and {@code float} round-trips bit for bit, including
 * subnormals and {@code -0.0}. JSON has no NaN or infinities: they travel as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"} and bind back to {@code double} fields. In the generic tree of {@link #decode(byte[])}, integers are
 * {@code Integer}, {@code Long} or {@code BigInteger} by magnitude and decimals are {@code Double}; a
 * decimal with more digits than a double holds is exact only when bound to a {@code BigDecimal} field or
 * read as {@code RawJson}. Maps and lists of the tree are mutable, plain {@code LinkedHashMap} and
 * {@code ArrayList}, owned by the caller.
 *
 * <h2>Modules</h2>
 *
 * <p>Jackson binds user types with readers and writers that its Blackbird module generates per type
 * (about twice as fast a typed decode as reflection, ADR 0006), or by reflection where Blackbird cannot
 * start or reach a type: the results are the same. On the module path, the package of a payload type
 * must be opened to Jackson, {@code opens com.example.orders to tools.jackson.databind;}, which is enough
 * for Blackbird too. On the class path nothing is needed; a fat jar needs {@code Multi-Release: true} in
 * its manifest for Blackbird.
 *
 * <h2>The direct path for plain records</h2>
 *
 * <p>A payload that is a plain record (no annotations, no type parameters, components of type {@code
 * String}, {@code double}, {@code long}, {@code int}, {@code boolean}, their boxes, plain records and
 * {@code List}s of them; {@code PlainRecord} has the full rule) is written by the codec itself, and a
 * typed decode to such a record is read by a strict reader of its own, about twice as fast as Jackson's
 * path (ADR 0062). The bytes and the results are the Jackson path's: the reader gives up at anything it
 * does not read exactly as Jackson reads it (an escape or a non-ASCII string, an unknown or missing
 * property, a coercion, anything near a limit, anything malformed) and the message is then decoded by
 * Jackson, which gives its value or its refusal with the reasons below.
 *
 * <h2>Decoding in one pass</h2>
 *
 * <p>{@link #decode(byte[], Class)} reads the attributes and binds {@code data} with the same parser as
 * it passes. Only when the payload does not bind is the message read a second time, attributes first
 * and payload last, so that the error reported does not depend on where {@code data} stands. {@link
 * RawJson} payloads are always read in two steps: the attributes, then the exact text of {@code data}.
 *
 * <h2>Limits</h2>
 *
 * <p>A codec reads bytes from other processes, so it bounds what one message may cost (ADR 0019). Each
 * bound is a {@link Builder} setting; a message over one is a {@link MalformedMessageException} with a
 * one-line reason, such as {@code "data nests deeper than 64 levels"}:
 *
 * <pre>
 * setting            default      what it bounds
 * maxMessageBytes    1 MiB        the message (over it: MessageTooLargeException)
 * maxDepth           64           nesting of objects and arrays in data ({} is depth 1)
 * maxNumberLength    256          digits of one number (a double needs at most 17, a long 19)
 * maxStringLength    1,048,576    characters of one string
 * maxNameLength      1,024        characters of one property name, attributes included
 * </pre>
 *
 * <p>Also refused, with a reason: invalid UTF-8, a repeated attribute or property ({@code "Duplicate
 * Object property"}), an attribute of the wrong JSON type, a truncated message, trailing content.
 * Nothing else escapes {@code decode}: an unexpected failure inside the library is reported as a
 * malformed message too.
 *
 * <p>Instances are thread-safe; they keep no per-thread state, so they suit virtual threads (Jackson's
 * buffer pool is its default, a shared concurrent deque). Their one mutable field is a size hint for the
 * direct path's output buffer, racy on purpose: any value is correct.
 */
public final class JsonMessageCodec implements MessageCodec {
    static final String SPEC_VERSION = "1.0";
    static final String SOURCE_PREFIX = "colony:agent/";
    static final String CONTENT_TYPE = "application/json";

    private final JsonMapper mapper;
    private final CodecLimits limits;
    private final int maxMessageBytes;
    /**
     * The size of a recent message of the direct path, to size the next one's buffer; read and written
     * without synchronization on purpose: any value is correct, a stale one only costs a copy.
     */
    private int sizeHint = 256;

    private JsonMessageCodec(CodecLimits limits) {
        this.limits = limits;
        this.maxMessageBytes = limits.maxMessageBytes();
        this.mapper = newMapper(limits);
    }

    /** The codec's mapper: Blackbird's generated binders when it can start, exact doubles, duplicates refused. */
    static JsonMapper newMapper() {
        return newMapper(CodecLimits.DEFAULTS);
    }

    private static JsonMapper newMapper(CodecLimits limits) {
        try {
            return mapperBuilder(limits).addModule(new BlackbirdModule()).build();
        } catch (IllegalStateException | LinkageError e) {
            // Blackbird refuses to start when its Java 25 classes are hidden (a fat jar without
            // "Multi-Release: true"): bind by reflection then, the same results at Jackson's stock speed
            return mapperBuilder(limits).build();
        }
    }

    private static JsonMapper.Builder mapperBuilder(CodecLimits limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(limits.constraints())
                .build();
        return JsonMapper.builder(factory)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER, StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                // the payload is bound in the middle of the message (CloudEventReader), where the next
                // attribute is not a trailing token; the end of the message is checked by the reader
                .disable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A codec with the default limit of {@value MessageCodec#DEFAULT_MAX_MESSAGE_BYTES} bytes. */
    public static JsonMessageCodec create() {
        return new JsonMessageCodec(CodecLimits.DEFAULTS);
    }

    /**
     * A codec that refuses messages of more than {@code maxMessageBytes} bytes.
     *
     * @throws IllegalArgumentException if {@code maxMessageBytes} is not positive
     */
    public static JsonMessageCodec create(int maxMessageBytes) {
        return builder().maxMessageBytes(maxMessageBytes).build();
    }

    /** A builder of a codec with other limits than the defaults (see "Limits" above). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public byte[] encode(Envelope envelope) {
        PlainRecord plain = PlainRecord.of(envelope.payload().getClass());
        if (plain != null) {
            byte[] bytes = PlainRecordCodec.encode(envelope, plain, sizeHint);
            if (bytes != null) {
                sizeHint = Math.min(bytes.length, maxMessageBytes) + 64;
                if (bytes.length > maxMessageBytes) {
                    throw new MessageTooLargeException("encoded", bytes.length, maxMessageBytes);
                }
                return bytes;
            }
        }
        return encodeWithJackson(envelope);
    }

    /** The Jackson path of {@link #encode}, for every payload that is not a {@link PlainRecord}. */
    byte[] encodeWithJackson(Envelope envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("specversion", SPEC_VERSION);
            g.writeStringProperty("id", envelope.id());
            g.writeStringProperty("source", SOURCE_PREFIX + envelope.source().value());
            g.writeStringProperty("type", envelope.type());
            g.writeStringProperty("time", CloudEventTime.format(envelope.time()));
            writeExtensions(g, envelope);
            g.writeStringProperty("datacontenttype", CONTENT_TYPE);
            g.writeName("data");
            writePayload(g, envelope.payload());
            g.writeEndObject();
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "payload of type " + envelope.payload().getClass().getName() + " cannot be encoded as JSON: "
                            + e.getOriginalMessage());
        }
        if (out.size() > maxMessageBytes) {
            throw new MessageTooLargeException("encoded", out.size(), maxMessageBytes);
        }
        return out.toByteArray();
    }

    @Override
    public Envelope decode(byte[] bytes) {
        return decode(bytes, Object.class);
    }

    /** How deeply {@code data} may nest objects and arrays. */
    public int maxDepth() {
        return limits.maxDepth();
    }

    /** The most digits of one JSON number. */
    public int maxNumberLength() {
        return limits.maxNumberLength();
    }

    /** The most characters of one JSON string. */
    public int maxStringLength() {
        return limits.maxStringLength();
    }

    /** The most characters of one property name. */
    public int maxNameLength() {
        return limits.maxNameLength();
    }

    @Override
    public Envelope decode(byte[] bytes, Class<?> payloadType) {
        if (bytes.length > maxMessageBytes) {
            throw new MessageTooLargeException("received", bytes.length, maxMessageBytes);
        }
        try {
            return decodeWithin(bytes, payloadType);
        } catch (MalformedMessageException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw limits.refusal(e);
        } catch (RuntimeException e) {
            // the contract: nothing but the codec's own exceptions escapes, whatever the library does
            throw new MalformedMessageException(
                    "could not be decoded: " + e.getClass().getSimpleName() + ": " + Quote.line(e.getMessage()));
        }
    }

    private Envelope decodeWithin(byte[] bytes, Class<?> payloadType) {
        PlainRecord plain = PlainRecord.of(payloadType);
        if (plain != null) {
            Envelope direct = PlainRecordCodec.decode(bytes, plain, limits);
            if (direct != null) {
                return direct;
            }
        }
        if (payloadType != RawJson.class) {
            try {
                return CloudEventReader.readBinding(mapper, limits, bytes, payloadType)
                        .toEnvelope();
            } catch (CloudEventReader.DataMismatch e) {
                // fall through: the two-pass decode checks the whole message first, then reports the payload's error
            }
        }
        CloudEventReader.Attributes attributes = CloudEventReader.read(mapper, limits, bytes);
        return attributes.toEnvelope(bindPayload(bytes, attributes, payloadType));
    }

    private static void writeExtensions(JsonGenerator g, Envelope envelope) {
        if (envelope.recipient() != null) {
            g.writeStringProperty("to", envelope.recipient().value());
        }
        if (envelope.correlationId() != null) {
            g.writeStringProperty("correlationid", envelope.correlationId());
        }
        if (envelope.replyTo() != null) {
            g.writeStringProperty("replyto", envelope.replyTo().value());
        }
        g.writeNumberProperty("priority", envelope.priority());
        if (envelope.deadline() != null) {
            g.writeStringProperty("deadline", CloudEventTime.format(envelope.deadline()));
        }
        for (Map.Entry<String, String> header : envelope.headers().entrySet()) {
            g.writeStringProperty(header.getKey(), header.getValue());
        }
    }

    private void writePayload(JsonGenerator g, Object payload) {
        if (payload instanceof RawJson raw) {
            checkSingleValue(raw.text());
            g.writeRawValue(raw.text());
        } else {
            g.writePOJO(payload);
        }
    }

    private void checkSingleValue(String json) {
        try (JsonParser p = mapper.createParser(json)) {
            JsonToken first = p.nextToken();
            p.skipChildren();
            if (first == null || p.nextToken() != null) {
                throw new IllegalArgumentException("raw JSON payload is not exactly one JSON value");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("raw JSON payload is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private Object bindPayload(byte[] bytes, CloudEventReader.Attributes attributes, Class<?> payloadType) {
        int start = attributes.dataStart();
        int length = attributes.dataEnd() - start;
        if (payloadType == RawJson.class) {
            return new RawJson(new String(bytes, start, length, StandardCharsets.UTF_8));
        }
        try {
            return mapper.readValue(bytes, start, length, payloadType);
        } catch (JacksonException e) {
            throw new MalformedMessageException(
                    "data does not fit " + payloadType.getName() + ": " + Quote.line(e.getOriginalMessage()));
        }
    }

    /**
     * Settings of a {@link JsonMessageCodec}'s limits; each is validated when set and defaults as in the
     * table under "Limits".
     */
    public static final class Builder {
        private int maxMessageBytes = CodecLimits.DEFAULTS.maxMessageBytes();
        private int maxDepth = CodecLimits.DEFAULTS.maxDepth();
        private int maxNumberLength = CodecLimits.DEFAULTS.maxNumberLength();
        private int maxStringLength = CodecLimits.DEFAULTS.maxStringLength();
        private int maxNameLength = CodecLimits.DEFAULTS.maxNameLength();

        private Builder() {}

        /** The largest message, in bytes; default 1 MiB. */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = check("maxMessageBytes", bytes, Integer.MAX_VALUE);
            return this;
        }

        /** How deeply {@code data} may nest objects and arrays, 1 to 10,000; default 64. */
        public Builder maxDepth(int depth) {
            this.maxDepth = check("maxDepth", depth, 10_000);
            return this;
        }

        /** The most digits of one number (sign, point and exponent marker not counted); default 256. */
        public Builder maxNumberLength(int length) {
            this.maxNumberLength = check("maxNumberLength", length, Integer.MAX_VALUE);
            return this;
        }

        /** The most characters of one string; default 1,048,576. */
        public Builder maxStringLength(int length) {
            this.maxStringLength = check("maxStringLength", length, Integer.MAX_VALUE);
            return this;
        }

        /** The most characters of one property name; default 1,024. */
        public Builder maxNameLength(int length) {
            this.maxNameLength = check("maxNameLength", length, Integer.MAX_VALUE);
            return this;
        }

        public JsonMessageCodec build() {
            return new JsonMessageCodec(
                    new CodecLimits(maxMessageBytes, maxDepth, maxNumberLength, maxStringLength, maxNameLength));
        }

        private static int check(String name, int value, int max) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(name + " must be between 1 and " + max + ", got " + value);
            }
            return value;
        }
    }
}
