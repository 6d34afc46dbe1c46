package dev.colony.validation.scenarios;

import dev.colony.validation.Loop;
import dev.colony.validation.Measurement;
import dev.colony.validation.ScenarioResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The rounds of the {@code serve-fanout} scenario ({@link FanOutScenario}): asks the clients' JVM for each
 * round, measures this JVM's process CPU around it (the server's: the clients run elsewhere), turns each answer
 * into the loop's tally and keeps the measured rounds' figures for the details. Events are numbered on across
 * rounds, so that a subscriber checks one unbroken sequence for the whole run. One thread uses it.
 */
final class FanOutRounds {
    private final FanOutChild clients;
    private final FanOutScenario.Size size;
    private final int timeoutSeconds;
    private final List<Double> deliveriesPerSec = new ArrayList<>();
    private final List<Double> deliverSeconds = new ArrayList<>();
    private final List<Double> serverCpuUs = new ArrayList<>();
    private final List<Double> clientsCpuUs = new ArrayList<>();
    private final List<Double> eventsPerWrite = new ArrayList<>();
    private long next;
    private long published;
    private long answered;
    private long wrong;
    private long broken;
    private long ended;

    FanOutRounds(FanOutChild clients, FanOutScenario.Size size, int timeoutSeconds) {
        this.clients = clients;
        this.size = size;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The figures under {@code details}.
     *
     * @param offeredEventsPerSec the publisher's pace; the headline is the rate it reached
     * @param deliveriesPerSec verified deliveries over the time until every subscriber had every event, median
     *     over the measured iterations
     * @param deliverSeconds from the first publish until every subscriber had the last event, median
     * @param serverCpuUsPerDelivery this JVM's process CPU (the server, its GC and JIT) over the round, per
     *     verified delivery, median
     * @param clientsCpuUsPerDelivery the clients' JVM's (readers and publisher), per verified delivery, median
     * @param serverWritesEventsPerWrite deliveries per chunk the readers read (one per server flush), median
     * @param publishes publishing requests answered 2xx, of those sent (warm-up, fan-out and floor rounds)
     * @param wrongOrder messages that were not the next a subscriber expected (lost before, repeated, reordered)
     * @param brokenFrames {@code gap} and {@code reset} frames received
     * @param endedStreams subscriber streams that ended before the run did
     */
    record Details(
            int subscribers,
            int eventsPerIteration,
            int offeredEventsPerSec,
            double deliveriesPerSec,
            List<Double> deliveriesPerIteration,
            double deliverSeconds,
            double serverCpuUsPerDelivery,
            double clientsCpuUsPerDelivery,
            double serverWritesEventsPerWrite,
            String latencyBasis,
            ScenarioResult.Verified publishes,
            long wrongOrder,
            long brokenFrames,
            long endedStreams) {}

    /** One fan-out round on {@code fan.x}: its tally, verified per delivery; figures kept when {@code measured}. */
    Loop.Tally fanOut(boolean measured) {
        long cpuBefore = FanOutClients.processCpuNanos();
        FanOutChild.Result r = clients.round("fan.x", next, size.events(), size.rate(), timeoutSeconds);
        long serverCpu = FanOutClients.processCpuNanos() - cpuBefore;
        next += size.events();
        count(r);
        if (measured) {
            double delivered = Math.max(1, r.counted());
            deliveriesPerSec.add(Measurement.round(r.counted() / (r.deliverNanos() / 1e9)));
            deliverSeconds.add(Measurement.round(r.deliverNanos() / 1e9));
            serverCpuUs.add(Measurement.round(serverCpu / 1e3 / delivered));
            clientsCpuUs.add(Measurement.round(r.cpuNanos() / 1e3 / delivered));
            eventsPerWrite.add(Measurement.round(r.counted() / (double) Math.max(1, r.chunks())));
        }
        return new Loop.Tally(span(r), size.deliveries(), r.counted(), r.latency());
    }

    /** One floor round on {@code floor.x}, which no subscriber matches: verified per answered publish. */
    Loop.Tally floor() {
        // numbered from 0 each time: no subscriber sees them, so they do not touch the fan-out's sequence
        FanOutChild.Result r = clients.round("floor.x", 0, size.events(), size.rate(), timeoutSeconds);
        count(r);
        return Loop.Tally.of(span(r), r.answered());
    }

    private void count(FanOutChild.Result r) {
        published += size.events();
        answered += r.answered();
        wrong += r.wrong();
        broken += r.broken();
        ended = r.ended();
    }

    /**
     * The time the publisher took to have every event answered, but never less than the offered pace allows
     * ({@code events / rate}): a publisher that kept the pace reached the offered rate, not a hair under it.
     */
    private long span(FanOutChild.Result r) {
        return Math.max(r.publishNanos(), size.events() * 1_000_000_000L / size.rate());
    }

    Details details() {
        return new Details(
                size.subscribers(),
                size.events(),
                size.rate(),
                median(deliveriesPerSec),
                List.copyOf(deliveriesPerSec),
                median(deliverSeconds),
                median(serverCpuUs),
                median(clientsCpuUs),
                median(eventsPerWrite),
                "publish -> received: the publisher's System.nanoTime just before its POST, written into the event,"
                        + " against the subscriber's on reading the frame; both in the clients' JVM",
                new ScenarioResult.Verified(published, answered),
                wrong,
                broken,
                ended);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : Measurement.round((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }
}
