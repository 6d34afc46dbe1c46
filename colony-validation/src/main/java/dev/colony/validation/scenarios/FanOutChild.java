package dev.colony.validation.scenarios;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The fan-out clients' JVM ({@link FanOutClients}) seen from the bench: the same {@code java} binary, GC and
 * heap flags and class path as this JVM, the token in its environment, talked to by lines ({@link ChildJvm}).
 */
final class FanOutChild implements AutoCloseable {
    /** One round's answer (see {@link FanOutClients}); counts are the round's. */
    record Result(
            long publishNanos,
            long answered,
            long deliverNanos,
            long counted,
            long wrong,
            long broken,
            long ended,
            long chunks,
            long cpuNanos,
            Histogram latency) {
        static Result parse(String line) {
            String[] r = line.split(" ");
            if (r.length != 11 || !r[0].equals("result")) {
                throw new IllegalStateException("the fan-out clients answered '" + line + "', not a result");
            }
            byte[] bytes = Base64.getDecoder().decode(r[10]);
            try {
                return new Result(
                        Long.parseLong(r[1]),
                        Long.parseLong(r[2]),
                        Long.parseLong(r[3]),
                        Long.parseLong(r[4]),
                        Long.parseLong(r[5]),
                        Long.parseLong(r[6]),
                        Long.parseLong(r[7]),
                        Long.parseLong(r[8]),
                        Long.parseLong(r[9]),
                        Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("the fan-out clients' latency histogram is unreadable: " + e);
            }
        }
    }

    private final ChildJvm child;

    private FanOutChild(ChildJvm child) {
        this.child = child;
    }

    /**
     * Starts the clients with {@code subscribers} SSE subscribers on the server at {@code port} and waits until
     * every subscription is answered; {@code ignore} ({@code <subscriber> <n>}) is a test's, or null.
     *
     * @throws IllegalStateException when the JVM cannot start or its subscribers cannot connect (then it is stopped)
     */
    static FanOutChild start(int port, String token, int subscribers, long[] ignore, int timeoutSeconds) {
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                FanOutClients.class.getName(),
                Integer.toString(port),
                Integer.toString(subscribers)));
        if (ignore != null) {
            command.addAll(List.of(Long.toString(ignore[0]), Long.toString(ignore[1])));
        }
        FanOutChild child = new FanOutChild(ChildJvm.start(
                "the fan-out clients' JVM", "fan-out-clients", command, Map.of(FanOutClients.TOKEN_ENV, token)));
        try {
            String line = child.child.await("start", timeoutSeconds);
            if (!line.equals("connected")) {
                throw new IllegalStateException("the fan-out clients began with '" + line + "', not connected");
            }
            return child;
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    /** Runs one round (see {@link FanOutClients}) and returns its result. */
    Result round(String subject, long first, int count, int rate, int timeoutSeconds) {
        String command = "round " + subject + " " + first + " " + count + " " + rate + " " + timeoutSeconds;
        // the round's own timeout, then as long again for publishing under load
        return Result.parse(child.call(command, 2 * timeoutSeconds + 60));
    }

    /** Asks the clients to exit, closes their standard input, and kills them if they have not exited in 10 s. */
    @Override
    public void close() {
        child.close();
    }
}
