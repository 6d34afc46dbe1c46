package dev.colony.validation.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The clients of the {@code serve-fanout} scenario in a JVM of their own (ADR 0079; the server's JVM then
 * measures its own CPU alone): connects the SSE subscribers to {@code /v1/events?pattern=fan.>}, each read by a
 * {@link FanOutReader} on a virtual thread and checked by a {@link FanOutSubscriber}, prints {@code connected},
 * then runs the rounds its standard input asks for, one a line:
 *
 * <pre>{@code round <subject> <first> <count> <rate> <timeoutSeconds>}</pre>
 *
 * publishes events {@code {"n":first..first+count-1,"t":nanoTime}} on {@code subject} from one keep-alive
 * connection, event {@code i} not before {@code i/rate} s after the round's start (paced as colony-server's
 * FanOutBench); when the subject is under {@code fan.} it waits (at most {@code timeoutSeconds}) until every
 * subscriber has the round's last event or its stream ended. It answers with one line:
 *
 * <pre>{@code result <publishNanos> <answered2xx> <deliverNanos> <counted> <wrong> <broken> <ended> <chunks>
 * <cpuNanos> <latencyHistogramBase64>}</pre>
 *
 * the counts being this round's (the ended streams: all so far). {@code exit} or the end of standard input
 * closes the readers and exits. The token comes in the environment ({@value #TOKEN_ENV}), never on the command
 * line. Arguments: {@code <port> <subscribers> [<subscriber> <n>]}, the last two for a test: that subscriber
 * ignores event {@code n}, as if it never came. Not an API: started by {@link FanOutChild} only.
 */
final class FanOutClients {
    static final String TOKEN_ENV = "COLONY_BENCH_FANOUT_TOKEN";
    static final String PATTERN = "fan.>";

    private final List<FanOutSubscriber> subs = new ArrayList<>();
    private final List<FanOutReader> readers = new ArrayList<>();
    private final ServeConnection publisher;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(600), 2);
    private long counted;
    private long wrong;
    private long broken;
    private long chunks;

    private FanOutClients(int port, String token, int subscribers, int ignoreAt, long ignore) throws IOException {
        for (int i = 0; i < subscribers; i++) {
            FanOutReader reader = new FanOutReader(port, "/v1/events?pattern=" + PATTERN, token);
            readers.add(reader);
            subs.add(new FanOutSubscriber(i == ignoreAt ? ignore : -1));
        }
        for (int i = 0; i < subscribers; i++) {
            FanOutReader reader = readers.get(i);
            FanOutSubscriber sub = subs.get(i);
            reader.awaitHead();
            Thread.ofVirtual().name("fan-out-reader-" + i).start(() -> reader.read(sub));
        }
        publisher = new ServeConnection(port, token);
    }

    static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        System.setOut(System.err); // only answers on standard output
        String token = System.getenv(TOKEN_ENV);
        if ((args.length != 2 && args.length != 4) || token == null) {
            System.err.println("fan-out clients: usage: " + TOKEN_ENV + "=... java ... " + FanOutClients.class.getName()
                    + " PORT SUBSCRIBERS [SUBSCRIBER N]");
            System.exit(2);
        }
        FanOutClients clients = new FanOutClients(
                Integer.parseInt(args[0]),
                token,
                Integer.parseInt(args[1]),
                args.length == 4 ? Integer.parseInt(args[2]) : -1,
                args.length == 4 ? Long.parseLong(args[3]) : -1);
        out.println("connected");
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
            String[] r = line.split(" ");
            if (r.length != 6 || !r[0].equals("round")) {
                throw new IllegalArgumentException("fan-out clients: unknown command '" + line + "'");
            }
            out.println(clients.round(
                    r[1],
                    Long.parseLong(r[2]),
                    Integer.parseInt(r[3]),
                    Integer.parseInt(r[4]),
                    Integer.parseInt(r[5])));
            out.flush();
        }
        clients.close();
        System.exit(0);
    }

    /** Publishes one round and waits for its deliveries when the subscribers match; the result line. */
    private String round(String subject, long first, int count, int rate, int timeoutSeconds) throws Exception {
        boolean fannedOut = subject.startsWith("fan.");
        CountDownLatch done = new CountDownLatch(fannedOut ? subs.size() : 0);
        FanOutSubscriber.Round round = new FanOutSubscriber.Round(first + count - 1, done);
        if (fannedOut) {
            subs.forEach(s -> s.start(round));
        }
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long answered = publish(subject, first, count, rate, start);
        long published = System.nanoTime() - start;
        done.await(timeoutSeconds, TimeUnit.SECONDS);
        long delivered = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        // the subscribers' counters run on over the rounds: this round's are the sums less the last round's
        long countedNow = sum(s -> s.counted);
        long wrongNow = sum(s -> s.wrong);
        long brokenNow = sum(s -> s.broken);
        long chunksNow = readers.stream().mapToLong(r -> r.chunks).sum();
        String line = String.format(
                Locale.ROOT,
                "result %d %d %d %d %d %d %d %d %d %s",
                published,
                answered,
                delivered,
                countedNow - counted,
                wrongNow - wrong,
                brokenNow - broken,
                subs.stream().filter(FanOutSubscriber::ended).count(),
                chunksNow - chunks,
                cpu,
                latencyOfRound());
        counted = countedNow;
        wrong = wrongNow;
        broken = brokenNow;
        chunks = chunksNow;
        return line;
    }

    private long publish(String subject, long first, int count, int rate, long start) throws IOException {
        long answered = 0;
        for (int i = 0; i < count; i++) {
            long due = start + i * 1_000_000_000L / rate;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            int status = publisher
                    .send(
                            "POST",
                            "/v1/events/" + subject,
                            "{\"n\":" + (first + i) + ",\"t\":" + System.nanoTime() + "}")
                    .status();
            if (status >= 200 && status < 300) {
                answered++;
            }
        }
        return answered;
    }

    private long sum(java.util.function.ToLongFunction<FanOutSubscriber> counter) {
        return subs.stream().mapToLong(counter).sum();
    }

    /** The round's latencies of every subscriber, as a compressed HdrHistogram in base64; resets them. */
    private String latencyOfRound() {
        latency.reset();
        for (FanOutSubscriber s : subs) {
            latency.add(s.latency);
            s.latency.reset();
        }
        ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int length = latency.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    /** CPU time of this process (readers and publisher), user and system. */
    static long processCpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(0L);
    }

    private void close() throws IOException {
        publisher.close();
        for (FanOutReader reader : readers) {
            reader.close();
        }
    }
}
