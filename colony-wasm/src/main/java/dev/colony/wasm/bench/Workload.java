package dev.colony.wasm.bench;

import dev.colony.bus.Event;
import dev.colony.bus.Subject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The events of the plugins benchmark and the Java predicate that decides like the example needle filter:
 * payloads of random letters, a share of which contain the needle, on subjects spread over regions.
 *
 * @param events the events, in publishing order
 * @param needle the needle the filters look for
 * @param accepted how many events contain the needle (the expected decisions)
 */
public record Workload(List<Event> events, byte[] needle, int accepted) {
    /** The needle of the benchmark. */
    public static final String NEEDLE = "vip";

    public Workload {
        events = List.copyOf(events);
        needle = needle.clone();
    }

    /**
     * {@code count} events of {@code payloadBytes} random letters on {@code subjects} distinct subjects;
     * about {@code acceptShare} of them contain the needle. Deterministic for a seed.
     */
    public static Workload generate(int count, int payloadBytes, int subjects, double acceptShare, long seed) {
        Random random = new Random(seed);
        byte[] needle = NEEDLE.getBytes(StandardCharsets.US_ASCII);
        List<Event> events = new ArrayList<>(count);
        int accepted = 0;
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[payloadBytes];
            for (int b = 0; b < payloadBytes; b++) {
                payload[b] = (byte) ('a' + random.nextInt(26));
            }
            if (random.nextDouble() < acceptShare) {
                int at = random.nextInt(payloadBytes - needle.length);
                System.arraycopy(needle, 0, payload, at, needle.length);
            }
            if (contains(payload, needle)) {
                accepted++;
            }
            events.add(new Event(Subject.of("orders.r" + (i % 4) + ".s" + (i % subjects)), payload));
        }
        return new Workload(events, needle, accepted);
    }

    /** The Java predicate: the same needle search over the same bytes as the example filter. */
    public static boolean contains(byte[] payload, byte[] needle) {
        if (needle.length == 0) {
            return true;
        }
        for (int i = 0; i + needle.length <= payload.length; i++) {
            int j = 0;
            while (j < needle.length && payload[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return true;
            }
        }
        return false;
    }

    /** An example plugin shipped in the jar, such as {@code c/needle_filter.wasm}. */
    public static byte[] example(String path) {
        try (InputStream in = Workload.class.getResourceAsStream("/dev/colony/wasm/examples/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no example plugin " + path + " in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
