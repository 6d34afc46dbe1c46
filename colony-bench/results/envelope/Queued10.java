import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The `messenger` scenario's request/reply as a stand-alone loop (ADR 0073): 10 requesters on virtual threads,
 * one server, each requester awaits 1,000 replies in turn; 8 iterations (first 3 warm-up), p50/p99 of the
 * round trip per iteration, in µs. Run: java -cp colony-bench/target/benchmarks.jar colony-bench/results/envelope/Queued10.java
 */
public class Queued10 {
    public static void main(String[] args) throws Exception {
        AgentId server = AgentId.of("server");
        StringBuilder p50 = new StringBuilder(), p99 = new StringBuilder(), rate = new StringBuilder();
        try (Messenger messenger = Messenger.create()) {
            messenger.open(server).attach(request -> messenger.reply(request, (Integer) request.payload() + 1));
            for (int iteration = 0; iteration < 8; iteration++) {
                Histogram latency = new Histogram(3_600_000_000_000L, 3);
                List<Thread> requesters = new ArrayList<>();
                long start = System.nanoTime();
                for (int q = 0; q < 10; q++) {
                    AgentId client = AgentId.of("client-" + q);
                    requesters.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < 1_000; i++) {
                            long t0 = System.nanoTime();
                            Envelope reply = messenger.request(Envelope.of(client, server, "add-one", i), Duration.ofSeconds(30)).join();
                            long t1 = System.nanoTime();
                            if (!reply.payload().equals(i + 1)) {
                                throw new IllegalStateException("wrong reply");
                            }
                            synchronized (latency) {
                                latency.recordValue(t1 - t0);
                            }
                        }
                    }));
                }
                for (Thread t : requesters) {
                    t.join();
                }
                long elapsed = System.nanoTime() - start;
                if (latency.getTotalCount() != 10_000) {
                    throw new IllegalStateException("count " + latency.getTotalCount());
                }
                if (iteration >= 3) {
                    p50.append(String.format(",%.1f", latency.getValueAtPercentile(50) / 1e3));
                    p99.append(String.format(",%.1f", latency.getValueAtPercentile(99) / 1e3));
                    rate.append(String.format(",%.0f", 10_000 / (elapsed / 1e9)));
                }
            }
        }
        System.out.println("{\"p50us\": [" + p50.substring(1) + "], \"p99us\": [" + p99.substring(1) + "], \"roundTripsPerSecond\": [" + rate.substring(1) + "]}");
    }
}
