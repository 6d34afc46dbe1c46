package dev.colony.redis;

import dev.colony.bus.Event;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire frame of one event: a CloudEvents 1.0 JSON object (docs/redis-protocol.md, "Events").
 *
 * <p>Written: {@code colonynode} (the publishing node, first, so a node recognises its own echo by the
 * frame's first bytes), {@code specversion}, {@code id}, {@code source}, {@code type}, {@code subject},
 * {@code priority}, {@code colonytype} (only for a record payload: its class name),
 * {@code datacontenttype} and {@code data}. Read: only {@code data} is required; {@code specversion}, if
 * present, must be "1.0"; {@code priority} defaults to 4; {@code subject}, if present, must equal the
 * channel's subject; unknown attributes are ignored.
 *
 * <p>Payloads: {@code data} is the payload written by Jackson's data binding. It is read as the plain
 * JSON tree (String, Integer/Long/BigInteger, Double, Boolean, LinkedHashMap, ArrayList), except when
 * {@code colonytype} names a record class the receiver can load: then it is bound to that record.
 *
 * <p>Thread-safe; the mapper keeps no per-call state.
 */
final class RedisEventBusFrame {
    static final String TYPE = "dev.colony.event";
    static final String SOURCE_PREFIX = "colony:node/";
    private static final int MAX_CACHED_TYPES = 1024;

    /**
     * A decoded frame: its id and sender (null when a foreign publisher left them out), sequence number (0 when
     * absent), priority, subject, and payload (null when the reader did not want the frame's subject: its
     * {@code data} was skipped, not read).
     */
    record Decoded(String id, String node, long seq, int priority, String subject, Object payload) {}

    /** Thrown for a frame that cannot be read; the message says why. */
    static final class MalformedFrame extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedFrame(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER, StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // an object without properties would travel as {}: refuse it rather than lose it silently
            .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    private final ClassLoader loader;
    private final Map<String, Class<?>> types = new ConcurrentHashMap<>();

    RedisEventBusFrame(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * Joins frames of one channel into one batch message, a JSON array, in order.
     *
     * @param bytes the frames' total length
     */
    static byte[] batch(List<byte[]> frames, int bytes) {
        byte[] message = new byte[bytes + frames.size() + 1];
        int at = 0;
        for (byte[] frame : frames) {
            message[at] = (byte) (at == 0 ? '[' : ',');
            System.arraycopy(frame, 0, message, at + 1, frame.length);
            at += 1 + frame.length;
        }
        message[at] = ']';
        return message;
    }

    /** The bytes every frame written by {@code node} starts with. */
    static byte[] echoPrefix(String node) {
        return ("{\"colonynode\":\"" + node + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes an event published by {@code node}.
     *
     * @throws IllegalArgumentException if the payload cannot be written as JSON
     */
    byte[] encode(String node, String id, Event event) {
        if (event.payload() instanceof String text) {
            byte[] plain =
                    RedisEventBusPlainFrame.encode(node, id, event.subject().value(), event.priority(), text);
            if (plain != null) {
                return plain;
            }
        }
        return encodeWithJackson(node, id, event);
    }

    /** {@link #encode} by Jackson's generator, whatever the payload. */
    byte[] encodeWithJackson(String node, String id, Event event) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(128 + event.subject().value().length());
        Object payload = event.payload();
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("colonynode", node);
            g.writeStringProperty("specversion", "1.0");
            g.writeStringProperty("id", id);
            g.writeStringProperty("source", SOURCE_PREFIX + node);
            g.writeStringProperty("type", TYPE);
            g.writeStringProperty("subject", event.subject().value());
            g.writeNumberProperty("priority", event.priority());
            if (payload.getClass().isRecord()) {
                g.writeStringProperty("colonytype", payload.getClass().getName());
            }
            g.writeStringProperty("datacontenttype", "application/json");
            g.writeName("data");
            if (payload instanceof String text) {
                g.writeString(text);
            } else {
                g.writePOJO(payload);
            }
            g.writeEndObject();
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "payload of type " + payload.getClass().getName()
                            + " cannot be written as JSON for the Redis event bus: " + e.getOriginalMessage());
        }
        return out.toByteArray();
    }

    /** {@link #decode(byte[], String, Predicate)} of a message on a subject channel, every payload read. */
    List<Decoded> decode(byte[] bytes, String subject) {
        return decode(bytes, subject, null);
    }

    /**
     * Decodes a message: one frame (a JSON object) or a batch of frames (a JSON array of objects), in order.
     *
     * @param subject the channel's subject, or null for a node channel, whose frames must each name theirs
     * @param wanted whether the reader wants a subject's payloads, or null for all: the {@code data} of a frame
     *     whose subject (named before it) is not wanted is skipped without building any value (ADR 0075)
     * @throws MalformedFrame naming what is wrong; nothing of a malformed batch is delivered
     */
    List<Decoded> decode(byte[] bytes, String subject, Predicate<String> wanted) {
        try (JsonParser p = mapper.createParser(bytes)) {
            JsonToken first = p.nextToken();
            List<Decoded> frames;
            if (first == JsonToken.START_ARRAY) {
                frames = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (next != JsonToken.START_OBJECT) {
                        throw new MalformedFrame("a batch must be an array of JSON objects, got " + next);
                    }
                    frames.add(object(p, subject, wanted));
                }
                if (frames.isEmpty()) {
                    throw new MalformedFrame("an empty batch");
                }
            } else if (first == JsonToken.START_OBJECT) {
                frames = List.of(object(p, subject, wanted));
            } else {
                throw new MalformedFrame("an event frame must be a JSON object (or an array of them)");
            }
            if (p.nextToken() != null) {
                throw new MalformedFrame("content after the frame");
            }
            return frames;
        } catch (JacksonException e) {
            throw new MalformedFrame("not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Reads one frame, the parser being on its START_OBJECT; leaves it on its END_OBJECT. */
    private Decoded object(JsonParser p, String channelSubject, Predicate<String> wanted) {
        String id = null;
        String node = null;
        long seq = 0;
        int priority = Event.NORMAL_PRIORITY;
        Class<?> type = null;
        Object payload = null;
        String subject = channelSubject;
        boolean skip = false;
        boolean skipped = false;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken token = p.nextToken();
            if (token == JsonToken.VALUE_NULL && !name.equals("data")) {
                continue; // CloudEvents: a null attribute is absent
            }
            switch (name) {
                case "colonynode" -> node = string(name, p);
                case "colonyseq" -> seq = sequence(p);
                case "id" -> id = string(name, p);
                case "specversion" -> {
                    String version = string(name, p);
                    if (!version.equals("1.0")) {
                        throw new MalformedFrame("unsupported specversion \"" + version + "\"; expected \"1.0\"");
                    }
                }
                case "subject" -> {
                    String stated = string(name, p);
                    if (channelSubject == null) {
                        subject = stated;
                        skip = wanted != null && !wanted.test(stated);
                    } else if (!stated.equals(channelSubject)) {
                        throw new MalformedFrame("attribute subject \"" + stated
                                + "\" differs from the channel's subject \"" + channelSubject + "\"");
                    }
                }
                case "priority" -> priority = priority(p);
                case "colonytype" -> type = type(string(name, p));
                case "data" -> {
                    if (skip && p.currentToken() != JsonToken.VALUE_NULL) {
                        p.skipChildren(); // a string is only scanned, never built; nobody here wants it
                        skipped = true;
                    } else {
                        payload = data(p, type);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (subject == null) {
            throw new MalformedFrame("missing attribute subject (a frame on a node channel must name its subject)");
        }
        if (payload == null && !skipped) {
            throw new MalformedFrame("missing attribute data (or data is null)");
        }
        if (skip) {
            return new Decoded(id, node, seq, priority, subject, null);
        }
        if (type != null && !type.isInstance(payload)) {
            Object tree = payload; // colonytype came after data
            Class<?> target = type;
            payload = bind(() -> mapper.convertValue(tree, target), target);
        }
        return new Decoded(id, node, seq, priority, subject, payload);
    }

    private Object data(JsonParser p, Class<?> type) {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (type == null) {
            return switch (p.currentToken()) {
                case VALUE_STRING -> p.getString(); // the common scalars without the data binding's dispatch
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> mapper.readValue(p, Object.class);
            };
        }
        return bind(() -> mapper.readValue(p, type), type);
    }

    private static Object bind(Supplier<Object> binder, Class<?> type) {
        try {
            return binder.get();
        } catch (RuntimeException e) {
            throw new MalformedFrame(
                    "data does not fit " + type.getName() + " (named by colonytype): " + e.getMessage());
        }
    }

    /** The record class named by {@code colonytype}, or null when this JVM has no such record. */
    private Class<?> type(String name) {
        Class<?> cached = types.get(name);
        if (cached == null) {
            cached = load(name);
            if (types.size() < MAX_CACHED_TYPES) {
                types.put(name, cached);
            }
        }
        return cached == Void.class ? null : cached;
    }

    private Class<?> load(String name) {
        try {
            // not initialised here: a name that is not a record is refused without running any code
            Class<?> type = Class.forName(name, false, loader);
            return type.isRecord() ? type : Void.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return Void.class;
        }
    }

    private static String string(String name, JsonParser p) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new MalformedFrame("attribute " + name + " must be a string, got " + p.currentToken());
        }
        return p.getString();
    }

    private static long sequence(JsonParser p) {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new MalformedFrame("attribute colonyseq must be a positive integer, got " + p.currentToken());
        }
        long value = p.getLongValue();
        if (value < 1) {
            throw new MalformedFrame("attribute colonyseq must be a positive integer, got " + value);
        }
        return value;
    }

    private static int priority(JsonParser p) {
        int value;
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            value = p.getIntValue();
        } else if (p.currentToken() == JsonToken.VALUE_STRING && p.getString().matches("[0-9]")) {
            value = Integer.parseInt(p.getString());
        } else {
            throw new MalformedFrame("attribute priority must be an integer 0-9, got " + p.currentToken());
        }
        if (value < Event.MIN_PRIORITY || value > Event.MAX_PRIORITY) {
            throw new MalformedFrame("attribute priority must be 0-9, got " + value);
        }
        return value;
    }
}
