package dev.colony.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The clients of {@link FanOutBench} in a JVM of their own (ADR 0078), so that the server's process CPU is
 * measured without them: connects N {@link FanOutReader}s to {@code /v1/events?pattern=fan.>}, prints
 * {@code connected}; on a line {@code go} from the bench publishes the events at the rate ({@link
 * FanOutBench#publish}) and prints {@code published <nanos>}; then one result line when every subscriber has every
 * event or its stream ended (or after {@code timeoutSeconds}): {@code result <received> <gaps> <outOfOrder>
 * <chunks> <cpuNanos> <p50> <p99> <max> <allDone>}, the CPU being this process's from {@code go} on (readers and
 * publisher). Latency compares {@code System.nanoTime} of the publisher and the readers, both in this process. Run
 * by the bench: {@code java -cp <test classpath> dev.colony.server.FanOutReaders <port> <subscribers> <events>
 * <rate> <timeoutSeconds>}.
 */
public final class FanOutReaders {
    private FanOutReaders() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int subscribers = Integer.parseInt(args[1]);
        int events = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int timeoutSeconds = Integer.parseInt(args[4]);
        CountDownLatch done = new CountDownLatch(subscribers);
        List<FanOutBench.Subscriber> subs = new ArrayList<>();
        List<FanOutReader> readers = new ArrayList<>();
        URI base = URI.create("http://127.0.0.1:" + port);
        for (int i = 0; i < subscribers; i++) {
            FanOutBench.Subscriber sub = new FanOutBench.Subscriber(events, done);
            FanOutReader reader = new FanOutReader(base, "/v1/events?pattern=fan.>", "admin");
            sub.reader = reader;
            subs.add(sub);
            readers.add(reader);
            Thread.ofVirtual().start(() -> reader.read(sub));
        }
        System.out.println("connected");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        if (!"go".equals(in.readLine())) {
            throw new IllegalStateException("the bench did not say go");
        }
        long cpuBefore = FanOutBench.processCpuNanos();
        long start = System.nanoTime();
        FanOutBench.publish(port, events, rate);
        System.out.println("published " + (System.nanoTime() - start));
        System.out.flush();
        boolean all = done.await(timeoutSeconds, TimeUnit.SECONDS);
        long cpu = FanOutBench.processCpuNanos() - cpuBefore;
        Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 2);
        long received = 0;
        long gaps = 0;
        long disorders = 0;
        long chunks = 0;
        for (FanOutBench.Subscriber sub : subs) {
            received += sub.received;
            gaps += sub.gaps;
            disorders += sub.disorders;
            chunks += sub.reader.chunks;
            total.add(sub.latency);
        }
        System.out.printf(
                Locale.ROOT,
                "result %d %d %d %d %d %d %d %d %b%n",
                received,
                gaps,
                disorders,
                chunks,
                cpu,
                total.getValueAtPercentile(50),
                total.getValueAtPercentile(99),
                total.getMaxValue(),
                all);
        System.out.flush();
        for (FanOutReader reader : readers) {
            reader.close();
        }
        System.exit(0);
    }
}
