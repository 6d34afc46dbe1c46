package dev.colony.messaging;

import dev.colony.bus.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON codec's direct path for messages whose payload is a {@link PlainRecord}: the whole CloudEvent
 * written and read without Jackson, in the same form as {@link JsonMessageCodec}'s Jackson path (ADR
 * 0062).
 *
 * <p>It is an optimisation, never a second dialect: {@link #encode} writes what the Jackson path writes
 * (the same attributes in the same order, the payload's components in declaration order, doubles in
 * their shortest round-trip form), and {@link #decode} accepts only what it can read exactly as the
 * Jackson path reads it, returning null for anything else (an escape or a non-ASCII byte in a string, an
 * unknown or repeated property, a null, a coercion, anything near a limit, anything malformed) so that
 * the caller decodes the message with Jackson and gets Jackson's result or Jackson's refusal. Both are
 * stateless and thread-safe.
 */
final class PlainRecordCodec {
    private PlainRecordCodec() {}

    private static final byte[] SPEC_VERSION = ascii("{\"specversion\":\"" + JsonMessageCodec.SPEC_VERSION + "\"");
    private static final byte[] ID = ascii(",\"id\":");
    private static final byte[] SOURCE = ascii(",\"source\":");
    private static final byte[] TYPE = ascii(",\"type\":");
    private static final byte[] TIME = ascii(",\"time\":");
    private static final byte[] TO = ascii(",\"to\":");
    private static final byte[] CORRELATION_ID = ascii(",\"correlationid\":");
    private static final byte[] REPLY_TO = ascii(",\"replyto\":");
    private static final byte[] PRIORITY = ascii(",\"priority\":");
    private static final byte[] DEADLINE = ascii(",\"deadline\":");
    private static final byte[] CONTENT_TYPE_AND_DATA =
            ascii(",\"datacontenttype\":\"" + JsonMessageCodec.CONTENT_TYPE + "\",\"data\":");

    /** The attributes the decoder knows, by index; every other name is a header. */
    private static final String[] ATTRIBUTES = {
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "datacontenttype",
        "data",
        "to",
        "correlationid",
        "replyto",
        "priority",
        "deadline"
    };

    private static final byte[][] ATTRIBUTE_NAMES = new byte[ATTRIBUTES.length][];
    private static final int LONGEST_ATTRIBUTE = "datacontenttype".length();

    static {
        for (int i = 0; i < ATTRIBUTES.length; i++) {
            ATTRIBUTE_NAMES[i] = ascii(ATTRIBUTES[i]);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The message, or null when the Jackson path must write it (a string with an unpaired surrogate, an
     * accessor that threw or returned what its type does not allow).
     */
    static byte[] encode(Envelope e, PlainRecord payload, int capacityHint) {
        JsonOutput out = new JsonOutput(capacityHint);
        try {
            out.ascii(SPEC_VERSION);
            out.ascii(ID);
            out.string(e.id());
            out.ascii(SOURCE);
            out.string(JsonMessageCodec.SOURCE_PREFIX + e.source().value());
            out.ascii(TYPE);
            out.string(e.type());
            out.ascii(TIME);
            out.string(CloudEventTime.format(e.time()));
            if (e.recipient() != null) {
                out.ascii(TO);
                out.string(e.recipient().value());
            }
            if (e.correlationId() != null) {
                out.ascii(CORRELATION_ID);
                out.string(e.correlationId());
            }
            if (e.replyTo() != null) {
                out.ascii(REPLY_TO);
                out.string(e.replyTo().value());
            }
            out.ascii(PRIORITY);
            out.number(e.priority());
            if (e.deadline() != null) {
                out.ascii(DEADLINE);
                out.string(CloudEventTime.format(e.deadline()));
            }
            for (Map.Entry<String, String> header : e.headers().entrySet()) {
                out.raw(',');
                out.string(header.getKey());
                out.raw(':');
                out.string(header.getValue());
            }
            out.ascii(CONTENT_TYPE_AND_DATA);
            payload.write(out, e.payload());
            out.raw('}');
        } catch (RuntimeException failure) {
            return null; // PlainRecord.FALLBACK, or an accessor's own failure: Jackson's path reports it
        }
        return out.toByteArray();
    }

    /** The message with its payload bound to {@code payload}'s record, or null to decode it with Jackson. */
    static Envelope decode(byte[] bytes, PlainRecord payload, CodecLimits limits) {
        if (Math.max(payload.longestName(), LONGEST_ATTRIBUTE) > limits.maxNameLength()) {
            return null;
        }
        try {
            return read(new JsonInput(bytes, limits), payload);
        } catch (PlainRecord.Fallback fallback) {
            return null;
        }
    }

    private static Envelope read(JsonInput in, PlainRecord payload) {
        String specVersion = null;
        String id = null;
        AgentId source = null;
        String type = null;
        Instant time = null;
        boolean contentType = false;
        Object data = null;
        AgentId recipient = null;
        String correlationId = null;
        AgentId replyTo = null;
        int priority = Event.NORMAL_PRIORITY;
        Instant deadline = null;
        Map<String, String> headers = null;
        int seen = 0;
        int hint = 0;
        in.expect('{');
        do {
            int i = in.name(ATTRIBUTE_NAMES, hint);
            if (i < 0) {
                headers = header(in, headers);
                continue;
            }
            if ((seen & 1 << i) != 0) {
                throw PlainRecord.FALLBACK; // repeated: Jackson's path refuses it
            }
            seen |= 1 << i;
            hint = i + 1;
            switch (i) {
                case 0 -> specVersion = in.string();
                case 1 -> id = in.string();
                case 2 -> source = source(in.string());
                case 3 -> type = in.string();
                case 4 -> time = timestamp(in.string());
                case 5 -> contentType = in.string().equals(JsonMessageCodec.CONTENT_TYPE);
                case 6 -> data = payload.read(in, 1);
                case 7 -> recipient = agentId(in.string());
                case 8 -> correlationId = in.string();
                case 9 -> replyTo = agentId(in.string());
                case 10 -> priority = priority(in);
                case 11 -> deadline = timestamp(in.string());
                default -> throw new IllegalStateException("attribute index " + i);
            }
        } while (in.consume(','));
        in.expect('}');
        if (!in.atEnd()
                || !JsonMessageCodec.SPEC_VERSION.equals(specVersion)
                || (seen & 1 << 5) != 0 && !contentType
                || id == null
                || source == null
                || type == null
                || time == null
                || data == null) {
            throw PlainRecord.FALLBACK;
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
                    headers == null ? Map.of() : headers,
                    data);
        } catch (IllegalArgumentException invalid) {
            throw PlainRecord.FALLBACK;
        }
    }

    private static Map<String, String> header(JsonInput in, Map<String, String> headers) {
        String name = in.otherName();
        if (name.equals("subject") || name.equals("dataschema") || name.equals("data_base64")) {
            throw PlainRecord.FALLBACK; // attributes the Jackson path reads in its own way
        }
        Map<String, String> map = headers == null ? new HashMap<>() : headers;
        if (map.put(name, in.string()) != null) {
            throw PlainRecord.FALLBACK;
        }
        return map;
    }

    private static AgentId source(String value) {
        if (!value.startsWith(JsonMessageCodec.SOURCE_PREFIX)) {
            throw PlainRecord.FALLBACK;
        }
        return agentId(value.substring(JsonMessageCodec.SOURCE_PREFIX.length()));
    }

    private static AgentId agentId(String value) {
        try {
            return AgentId.of(value);
        } catch (IllegalArgumentException invalid) {
            throw PlainRecord.FALLBACK;
        }
    }

    private static Instant timestamp(String value) {
        Instant instant = CloudEventTime.parseCanonical(value);
        if (instant == null) {
            throw PlainRecord.FALLBACK; // another RFC 3339 form: the Jackson path parses it
        }
        return instant;
    }

    private static int priority(JsonInput in) {
        return in.digit(); // the Jackson path's rule: one digit, 0-9
    }
}
