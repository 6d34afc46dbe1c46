package dev.colony.messaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A structure-aware generator of hostile CloudEvents for a {@link JsonMessageCodec} with given limits: each
 * case starts from a valid event (random attributes, headers and {@code data}) and breaks it in one way.
 * Every kind except {@link Kind#MUTATED} is certain to be refused; a mutated event may still be valid.
 * Shared by the codec's fuzz test and the messenger supervision contract (both backends).
 */
public final class MalformedCloudEvents {
    /** How a case breaks its event. */
    public enum Kind {
        DEEP_NESTING,
        LONG_NUMBER,
        LONG_NAME,
        LONG_STRING,
        INVALID_UTF8,
        WRONG_TYPE,
        DUPLICATE_KEY,
        TRUNCATED,
        MUTATED
    }

    /** One generated input: how it was made, and its bytes. */
    public record Case(Kind kind, byte[] bytes) {
        @Override
        public String toString() {
            return kind + " (" + bytes.length + " bytes)";
        }
    }

    private static final String MARK = "\u0001MARK\u0001";
    private static final byte[][] INVALID_UTF8 = {
        {(byte) 0xFF},
        {(byte) 0x80},
        {(byte) 0xC3, 0x28},
        {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82},
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
    };
    private static final byte[] SYNTAX = "{}[]\",:0\\".getBytes(StandardCharsets.US_ASCII);
    private static final String[] TYPED = {
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "to",
        "priority",
        "deadline",
        "correlationid",
        "replyto",
        "datacontenttype",
        "data",
        "tenant"
    };

    private final Random random;
    private final JsonMessageCodec limits;

    /** A generator for the limits of {@code limits}, drawing from {@code random}. */
    public MalformedCloudEvents(Random random, JsonMessageCodec limits) {
        this.random = random;
        this.limits = limits;
    }

    /** {@code count} cases, the kinds in turn so that each is equally represented. */
    public List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>(count);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < count; i++) {
            cases.add(next(kinds[i % kinds.length]));
        }
        return cases;
    }

    /** One case of {@code kind}. */
    public Case next(Kind kind) {
        Map<String, String> event = validEvent();
        byte[] bytes = switch (kind) {
            case DEEP_NESTING -> withData(event, nested(limits.maxDepth() + 1 + random.nextInt(limits.maxDepth() * 4)));
            case LONG_NUMBER -> withData(event, "{\"n\":" + longNumber() + "}");
            case LONG_NAME -> longName(event);
            case LONG_STRING ->
                withData(event, "[" + quoted(text(limits.maxStringLength() + 1 + random.nextInt(500))) + "]");
            case INVALID_UTF8 -> invalidUtf8(event);
            case WRONG_TYPE -> wrongType(event);
            case DUPLICATE_KEY -> duplicateKey(event);
            case TRUNCATED -> {
                byte[] whole = json(event);
                yield java.util.Arrays.copyOf(whole, random.nextInt(whole.length));
            }
            case MUTATED -> mutated(json(event));
        };
        return new Case(kind, bytes);
    }

    /** A valid event of this generator (its own unique id), as bytes. */
    public byte[] valid() {
        return json(validEvent());
    }

    private Map<String, String> validEvent() {
        Map<String, String> event = new LinkedHashMap<>();
        event.put("specversion", "\"1.0\"");
        event.put("id", quoted(UUID.nameUUIDFromBytes(longBytes()).toString()));
        event.put("source", "\"colony:agent/fuzzer\"");
        event.put("type", quoted("fuzz." + random.nextInt(100)));
        event.put("time", "\"2026-12-01T10:00:00.123Z\"");
        if (random.nextBoolean()) {
            event.put("to", "\"target\"");
        }
        event.put("priority", Integer.toString(random.nextInt(10)));
        for (int i = random.nextInt(3); i > 0; i--) {
            event.put("h" + random.nextInt(1000), quoted(text(random.nextInt(10))));
        }
        event.put("data", value(3));
        return event;
    }

    private byte[] longBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    private String value(int depth) {
        int choice = random.nextInt(depth > 0 ? 6 : 4);
        return switch (choice) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Double.toString(random.nextGaussian() * 1e6);
            case 2 -> quoted(text(random.nextInt(20)));
            case 3 -> random.nextBoolean() ? "true" : "false";
            case 4 -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.append(object.length() > 1 ? "," : "")
                            .append(quoted("k" + i))
                            .append(':')
                            .append(value(depth - 1));
                }
                yield object.append('}').toString();
            }
            default -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(array.length() > 1 ? "," : "").append(value(depth - 1));
                }
                yield array.append(']').toString();
            }
        };
    }

    private String text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(10) == 0 ? 'é' : (char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private String nested(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (random.nextBoolean()) {
                open.append("[");
                close.append("]");
            } else {
                open.append("{\"d\":");
                close.append("}");
            }
        }
        return open.append(random.nextInt(10)).toString() + close.reverse();
    }

    private String longNumber() {
        int length = limits.maxNumberLength() + 1 + random.nextInt(limits.maxNumberLength() * 3);
        StringBuilder digits = new StringBuilder();
        digits.append(1 + random.nextInt(9));
        while (digits.length() < length) {
            digits.append(random.nextInt(10));
        }
        if (random.nextBoolean()) {
            digits.insert(digits.length() / 2, '.'); // a decimal: the limit counts its digits on both sides
        }
        if (random.nextInt(4) == 0) {
            digits.append("e").append(random.nextInt(10));
        }
        return (random.nextBoolean() ? "-" : "") + digits;
    }

    private byte[] longName(Map<String, String> event) {
        int length = limits.maxNameLength() + 1 + random.nextInt(limits.maxNameLength() * 3);
        StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            name.append((char) ('a' + random.nextInt(26)));
        }
        if (random.nextBoolean()) {
            event.put(name.toString(), "\"x\""); // an extension attribute
            return json(event);
        }
        return withData(event, "{" + quoted(name.toString()) + ":1}");
    }

    private byte[] invalidUtf8(Map<String, String> event) {
        String target = random.nextBoolean() ? "data" : "type";
        event.put(target, quoted("ok" + MARK + "ok"));
        byte[] bytes = json(event);
        byte[] mark = MARK.getBytes(StandardCharsets.UTF_8);
        byte[] bad = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
        int at = indexOf(bytes, mark);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        out.write(bytes, 0, at);
        out.writeBytes(bad);
        out.write(bytes, at + mark.length, bytes.length - at - mark.length);
        return out.toByteArray();
    }

    private byte[] wrongType(Map<String, String> event) {
        String attribute = TYPED[random.nextInt(TYPED.length)];
        String[] wrong = switch (attribute) {
            case "priority" -> new String[] {"\"high\"", "4.5", "true", "{}", "[4]", "10", "-1"};
            case "data" -> new String[] {"null"};
            case "tenant" -> new String[] {"{\"a\":1}", "[\"x\"]"};
            default -> new String[] {"7", "true", "{\"a\":\"b\"}", "[\"x\"]", "1.5"};
        };
        event.put(attribute, wrong[random.nextInt(wrong.length)]);
        return json(event);
    }

    private byte[] duplicateKey(Map<String, String> event) {
        List<String> names = new ArrayList<>(event.keySet());
        String name = names.get(random.nextInt(names.size()));
        String json = new String(json(event), StandardCharsets.UTF_8);
        String repeated = quoted(name) + ":" + (random.nextBoolean() ? event.get(name) : "\"other\"");
        if (random.nextInt(3) == 0) { // a repeated property inside data
            return withData(event, "{\"k\":1,\"j\":[],\"k\":2}");
        }
        // after the original, so that the repetition is what the reader meets first as wrong
        return (json.substring(0, json.length() - 1) + "," + repeated + "}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] mutated(byte[] valid) {
        byte[] bytes = valid.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                default -> bytes[at] = SYNTAX[random.nextInt(SYNTAX.length)];
            }
        }
        return bytes;
    }

    private byte[] withData(Map<String, String> event, String data) {
        event.put("data", data);
        return json(event);
    }

    private static byte[] json(Map<String, String> event) {
        StringBuilder json = new StringBuilder("{");
        event.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                .append(quoted(name))
                .append(':')
                .append(value));
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("marker not found");
    }
}
