package dev.colony.validation.scenarios;

import dev.colony.Colony;
import dev.colony.bus.Event;
import dev.colony.bus.OverflowPolicy;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.bus.Subscription;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.InboxOptions;
import dev.colony.state.Leadership;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The receiving side of the Redis scenarios, run by node B: the bus subscriber that checks every event, the
 * inbox that checks every message, the task workers, and the campaign that takes a leadership over. It is
 * driven by one-line commands (ADR 0058), the same in both modes: in this JVM ({@link SameJvmNodeB}) or in
 * a child JVM ({@link NodeBMain}). Every command answers with a {@link NodeBReply}.
 *
 * <p>Commands (words separated by one space): {@code clock}; {@code bus.subscribe}, {@code bus.start IT N},
 * {@code bus.await N SECONDS}, {@code bus.close}; {@code inbox.open CAPACITY}, {@code inbox.start IT N},
 * {@code inbox.await N SECONDS}, {@code inbox.close}; {@code tasks.start PREFIX N [PER_CALL]}, {@code tasks.await};
 * {@code leader.campaign GROUP LEASE_MS EVERY_MS SECONDS}.
 *
 * <p>Not thread-safe for commands: one caller sends them one after another.
 */
final class NodeBWork implements AutoCloseable {
    static final String BUS_PATTERN = "bench.>";
    static final AgentId RECIPIENT = AgentId.of("bench-b");

    private final Colony b;
    private final Arrivals events = new Arrivals();
    private final Arrivals messages = new Arrivals();
    private final LongAdder wrongIds = new LongAdder();
    private Subscription subscription;
    private Inbox inbox;
    private TaskWorkers workers;

    NodeBWork(Colony b) {
        this.b = b;
    }

    /** Runs one command; a reply with {@code error} when it is unknown or fails. */
    NodeBReply handle(String command) {
        String[] w = command.strip().split(" ");
        try {
            return switch (w[0]) {
                case "clock" -> NodeBReply.clock(System.nanoTime());
                case "bus.subscribe" -> subscribe();
                case "bus.start" -> start(events, w);
                case "bus.await" -> awaitAll(events, w, null);
                case "bus.close" -> closeSubscription();
                case "inbox.open" -> open(Integer.parseInt(w[1]));
                case "inbox.start" -> start(messages, w);
                case "inbox.await" -> awaitAll(messages, w, wrongIds.sum());
                case "inbox.close" -> closeInbox();
                case "tasks.start" ->
                    startWorkers(w[1], Integer.parseInt(w[2]), w.length > 3 ? Integer.parseInt(w[3]) : 1);
                case "tasks.await" -> awaitWorkers();
                case "leader.campaign" -> campaign(w);
                default -> NodeBReply.failed("unknown command '" + command + "'");
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NodeBReply.failed("interrupted during '" + command + "'");
        } catch (RuntimeException e) {
            return NodeBReply.failed("'" + command + "' failed: " + e);
        }
    }

    private NodeBReply subscribe() {
        subscription = b.bus().subscribe(SubjectPattern.of(BUS_PATTERN), this::event, SubscribeOptions.direct());
        return NodeBReply.OK;
    }

    /** Payload {@code it:seq:sentNanos:...} of {@link RedisBusScenario#PAYLOAD_BYTES} characters. */
    private void event(Event event) {
        long now = System.nanoTime();
        if (event.payload() instanceof String text && text.length() == RedisBusScenario.PAYLOAD_BYTES) {
            String[] parts = text.split(":", 4);
            events.arrived(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]), now);
        }
    }

    private NodeBReply closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        return NodeBReply.dropped(b.bus().metrics().dropped());
    }

    private NodeBReply open(int capacity) {
        InboxOptions options = InboxOptions.defaults()
                .withPayloadType(String.class)
                .withCapacity(capacity)
                .withOverflow(OverflowPolicy.FAIL);
        inbox = b.messenger().open(RECIPIENT, options);
        inbox.attach(this::message);
        return NodeBReply.OK;
    }

    /** Payload {@code it:seq:sentNanos:id:...}: the id the message was sent with is in its payload. */
    private void message(Envelope message) {
        long now = System.nanoTime();
        if (message.payload() instanceof String text && text.length() == RedisMessengerScenario.PAYLOAD_BYTES) {
            // parsed in place: a split would copy the ~500-byte padding of every message (ADR 0071)
            int a = text.indexOf(':');
            int b = text.indexOf(':', a + 1);
            int c = text.indexOf(':', b + 1);
            int d = text.indexOf(':', c + 1);
            String id = message.id();
            if (d < 0 || d - c - 1 != id.length() || !text.regionMatches(c + 1, id, 0, id.length())) {
                wrongIds.increment();
                return;
            }
            messages.arrived(
                    Integer.parseInt(text, 0, a, 10),
                    Integer.parseInt(text, a + 1, b, 10),
                    Long.parseLong(text, b + 1, c, 10),
                    now);
        }
    }

    private NodeBReply closeInbox() {
        if (inbox != null) {
            inbox.close();
            inbox = null;
        }
        return NodeBReply.OK;
    }

    private static NodeBReply start(Arrivals arrivals, String[] w) {
        arrivals.start(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
        return NodeBReply.OK;
    }

    /** Waits until {@code N} units of the iteration arrived, at most {@code SECONDS}; the counts either way. */
    private static NodeBReply awaitAll(Arrivals arrivals, String[] w, Long wrongIds) throws InterruptedException {
        int n = Integer.parseInt(w[1]);
        RedisBench.await(() -> arrivals.good() >= n, Integer.parseInt(w[2]));
        return NodeBReply.counts(arrivals.good(), arrivals.duplicates(), wrongIds, null, arrivals.latency());
    }

    private NodeBReply startWorkers(String prefix, int n, int perCall) {
        if (workers == null) {
            workers = new TaskWorkers(b);
        }
        workers.start(prefix, n, perCall);
        return NodeBReply.OK;
    }

    private NodeBReply awaitWorkers() throws InterruptedException {
        if (workers == null) {
            return NodeBReply.failed("tasks.await before tasks.start");
        }
        return workers.await();
    }

    /**
     * Campaigns for {@code GROUP} with a lease of {@code LEASE_MS} every {@code EVERY_MS} until it wins or
     * {@code SECONDS} passed; on a win, resigns and answers the term and when it won.
     */
    private NodeBReply campaign(String[] w) throws InterruptedException {
        String group = w[1];
        Duration lease = Duration.ofMillis(Long.parseLong(w[2]));
        long every = Long.parseLong(w[3]);
        long until = System.nanoTime() + Long.parseLong(w[4]) * 1_000_000_000L;
        AgentId second = AgentId.of("leader-b");
        while (System.nanoTime() < until) {
            Optional<Leadership> won = b.leaders().campaign(group, second, lease);
            if (won.isPresent()) {
                long at = System.nanoTime();
                b.leaders().resign(won.get());
                return NodeBReply.won(won.get().term(), at);
            }
            Thread.sleep(every);
        }
        return NodeBReply.won(-1, 0);
    }

    /** Closes what the commands opened (not the node). */
    @Override
    public void close() {
        closeSubscription();
        closeInbox();
    }
}
