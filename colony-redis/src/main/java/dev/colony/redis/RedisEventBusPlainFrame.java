package dev.colony.redis;

import java.nio.charset.StandardCharsets;

/**
 * The frame of an event whose payload is a {@code String}, written without Jackson when no character of the
 * node, id, subject or text needs escaping: the very bytes {@link RedisEventBusFrame#encode} writes through
 * Jackson for it (same attributes, same order, no whitespace), one array sized once (ADR 0069).
 *
 * <p>"Needs no escaping" is printable ASCII other than {@code "} and {@code \}: JSON writes those characters
 * as they are, and Jackson's generator does too. Anything else (a control character, a quote, a backslash, a
 * character beyond ASCII) returns null, and the caller writes the frame with Jackson. Stateless; thread-safe.
 */
final class RedisEventBusPlainFrame {
    private static final byte[] NODE = ascii("{\"colonynode\":\"");
    private static final byte[] ID = ascii("\",\"specversion\":\"1.0\",\"id\":\"");
    private static final byte[] SOURCE = ascii("\",\"source\":\"" + RedisEventBusFrame.SOURCE_PREFIX);
    private static final byte[] SUBJECT = ascii("\",\"type\":\"" + RedisEventBusFrame.TYPE + "\",\"subject\":\"");
    private static final byte[] PRIORITY = ascii("\",\"priority\":");
    private static final byte[] DATA = ascii(",\"datacontenttype\":\"application/json\",\"data\":\"");
    private static final byte[] END = ascii("\"}");
    private static final int FIXED =
            NODE.length + ID.length + SOURCE.length + SUBJECT.length + PRIORITY.length + DATA.length + END.length;

    private RedisEventBusPlainFrame() {}

    /** The frame, or null when a character needs escaping (then Jackson writes it). */
    static byte[] encode(String node, String id, String subject, int priority, String text) {
        if (priority < 0 || priority > 9 || !plain(node) || !plain(id) || !plain(subject) || !plain(text)) {
            return null;
        }
        byte[] out = new byte[FIXED + 2 * node.length() + id.length() + subject.length() + 1 + text.length()];
        int at = put(out, 0, NODE);
        at = put(out, at, node);
        at = put(out, at, ID);
        at = put(out, at, id);
        at = put(out, at, SOURCE);
        at = put(out, at, node);
        at = put(out, at, SUBJECT);
        at = put(out, at, subject);
        at = put(out, at, PRIORITY);
        out[at++] = (byte) ('0' + priority);
        at = put(out, at, DATA);
        at = put(out, at, text);
        put(out, at, END);
        return out;
    }

    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** Writes a text {@link #plain} accepted: one byte per character. */
    private static int put(byte[] out, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            out[at + i] = (byte) text.charAt(i);
        }
        return at + text.length();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
