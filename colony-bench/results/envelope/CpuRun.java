import com.sun.management.OperatingSystemMXBean;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time per operation, which the load of other processes disturbs much less than wall-clock time (ADR 0073):
 * thread CPU per Envelope.of, process CPU (every thread: sender, inbox, timer, GC) per Envelope.of + send
 * through one inbox, and process CPU per round trip of RequestReplyBenchmark's pattern (100 requests in
 * flight, one server). Run: java -cp colony-bench/target/benchmarks.jar colony-bench/results/envelope/CpuRun.java
 */
public class CpuRun {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static final AgentId SENDER = AgentId.of("sender"), SERVER = AgentId.of("server");
    static final Object PAYLOAD = "payload";
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        StringBuilder of = new StringBuilder(), send = new StringBuilder(), rr = new StringBuilder();
        try (Messenger messenger = Messenger.create()) {
            AtomicLong received = new AtomicLong();
            messenger.open(SENDER, InboxOptions.defaults().withCapacity(4096)).attach(m -> received.incrementAndGet());
            messenger.open(SERVER).attach(m -> messenger.reply(m, (Integer) m.payload() + 1));
            AgentId[] requesters = new AgentId[100];
            for (int r = 0; r < requesters.length; r++) {
                requesters[r] = AgentId.of("requester-" + r);
            }
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                double a = envelopeOf(2_000_000);
                double b = sendNew(messenger, received, 1_000_000);
                double c = requestReply(messenger, requesters, 3_000);
                if (round >= 0) {
                    of.append(String.format(" %.1f", a));
                    send.append(String.format(" %.1f", b));
                    rr.append(String.format(" %.0f", c));
                }
            }
        }
        System.out.println("{\"envelopeOfThreadCpuNs\": [" + of.toString().trim().replace(' ', ',') + "],");
        System.out.println(" \"newEnvelopeSendProcessCpuNs\": [" + send.toString().trim().replace(' ', ',') + "],");
        System.out.println(" \"requestReplyProcessCpuNs\": [" + rr.toString().trim().replace(' ', ',') + "]}");
    }

    static double envelopeOf(int n) {
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sink = Envelope.of(SENDER, SERVER, "targeted", PAYLOAD);
        }
        return (THREADS.getCurrentThreadCpuTime() - start) / (double) n;
    }

    static double sendNew(Messenger messenger, AtomicLong received, int n) {
        long expected = received.get() + n;
        long start = OS.getProcessCpuTime();
        for (int i = 0; i < n; i++) {
            if (messenger.send(Envelope.of(SERVER, SENDER, "targeted", PAYLOAD)) != SendOutcome.DELIVERED) {
                throw new IllegalStateException("refused");
            }
        }
        while (received.get() < expected) {
            Thread.onSpinWait();
        }
        return (OS.getProcessCpuTime() - start) / (double) n;
    }

    @SuppressWarnings("unchecked")
    static double requestReply(Messenger messenger, AgentId[] requesters, int roundsOf100) throws Exception {
        CompletableFuture<Envelope>[] replies = new CompletableFuture[requesters.length];
        long start = OS.getProcessCpuTime();
        for (int round = 0; round < roundsOf100; round++) {
            for (int r = 0; r < requesters.length; r++) {
                replies[r] = messenger.request(Envelope.of(requesters[r], SERVER, "ask", r), Duration.ofSeconds(30));
            }
            for (int r = 0; r < requesters.length; r++) {
                if ((Integer) replies[r].get(30, TimeUnit.SECONDS).payload() != r + 1) {
                    throw new IllegalStateException("wrong reply");
                }
            }
        }
        return (OS.getProcessCpuTime() - start) / (double) roundsOf100 / requesters.length;
    }
}
