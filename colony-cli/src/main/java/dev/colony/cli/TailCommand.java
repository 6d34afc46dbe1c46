package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.bus.EventHandler;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code colony tail PATTERN}: follows the events of a server, like {@code nats sub}: one line per event,
 * {@code subject payload}, or one JSON document per line with {@code --json}. After a {@code gap} (this
 * reader fell behind) it reconnects with the last event id and loses nothing the server's ring still holds;
 * a {@code reset} is reported on standard error. With {@code --redis} it subscribes to the swarm's bus in
 * Redis instead: the same lines (a JSON line's {@code id} is null: pub/sub keeps no history to resume from).
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the events of a colony serve (or, with --redis, of a swarm in Redis) whose subjects match"
                    + " PATTERN (orders.>, task.*.done).",
            "",
            "Exit code 0 after --count events, 1 when the server refuses, cannot be reached or ends the stream,"
                    + " 2 on a usage error."
        })
final class TailCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions server;

    @CommandLine.Mixin
    RedisOptions redis;

    @Parameters(index = "0", paramLabel = "PATTERN", description = "A subject pattern.")
    String pattern;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N events (default: run until stopped).")
    Long count;

    @Option(
            names = "--last-event-id",
            paramLabel = "ID",
            description = "Resume after this event id (printed by --json) instead of starting live.")
    String lastEventId;

    @Override
    public Integer call() {
        if (count != null && count < 1) {
            throw ServerOptions.usage(spec.commandLine(), "--count must be a positive number, got " + count);
        }
        if (redis.given()) {
            return fromRedis();
        }
        ServerClient client = server.client(spec.commandLine());
        AtomicLong printed = new AtomicLong();
        AtomicReference<String> last = new AtomicReference<>(lastEventId);
        AtomicReference<Boolean> gap = new AtomicReference<>(false);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        do {
            gap.set(false);
            client.stream("/v1/events" + Query.of("pattern", pattern), last.get(), frame -> {
                if (frame.id() != null) {
                    last.set(frame.id());
                }
                switch (frame.event()) {
                    case "message" -> {
                        print(
                                out,
                                frame.id(),
                                frame.data().path("subject").asString(),
                                frame.data().path("payload"));
                        return count == null || printed.incrementAndGet() < count;
                    }
                    case "reset" ->
                        err.println("colony tail: reset (the server could not replay from "
                                + frame.data().path("lastEventId").asString("?") + "; events in between are lost)");
                    case "gap" -> {
                        err.println("colony tail: fell behind (" + frame.data().path("dropped") + " dropped);"
                                + " resuming from " + last.get());
                        gap.set(true);
                    }
                    default -> {} // ready, or a frame this version does not know
                }
                err.flush();
                return true;
            });
        } while (gap.get());
        if (count != null && printed.get() >= count) {
            return 0;
        }
        throw new ServerClient.ServerException("the server ended the stream after " + printed.get() + " events;"
                + " resume with --last-event-id " + last.get());
    }

    /**
     * Follows the swarm's bus in Redis: a DIRECT subscription prints on the bus's receiver thread, one event
     * at a time, until {@code --count} events (or forever).
     */
    private int fromRedis() {
        if (lastEventId != null) {
            throw ServerOptions.usage(
                    spec.commandLine(),
                    "--last-event-id goes with --url: Redis pub/sub keeps no history to resume from");
        }
        SubjectPattern subjects = RedisOptions.valid(spec, () -> SubjectPattern.of(pattern));
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong printed = new AtomicLong();
        EventHandler handler = event -> {
            long n = printed.incrementAndGet();
            if (count == null || n <= count) {
                print(out, null, event.subject().value(), RedisOptions.payload(event.payload()));
            }
            if (count != null && n == count) {
                done.countDown();
            }
        };
        try (Colony colony = redis.connect(spec)) {
            colony.bus().subscribe(subjects, handler, SubscribeOptions.direct()); // closed with the colony
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerClient.ServerException("interrupted while following the swarm's bus");
        }
        return 0;
    }

    /** One event: {@code subject payload}, or with {@code --json} a line {@code {id, subject, payload}}. */
    private void print(PrintWriter out, String id, String subject, JsonNode payload) {
        if (server.json) {
            ObjectNode line = ServerClient.JSON.createObjectNode();
            line.put("id", id);
            line.put("subject", subject);
            line.set("payload", payload);
            out.println(ServerClient.JSON.writeValueAsString(line));
        } else {
            out.println(subject + " " + payload);
        }
        out.flush();
    }
}
