package dev.colony.cli.demo;

import java.time.Duration;

/**
 * The leases and heartbeat periods of a demo run, scaled to the backend. In one JVM a lease renewal is a
 * method call, so short leases keep the failover quick; over Redis each renewal and each fenced submit is a
 * round trip that a busy machine can delay by a few hundred milliseconds, and a 300 ms leader lease then
 * expires on its own (dozens of failovers instead of the one the story stages). The Redis timings leave a
 * leader ten renewal periods of slack, so only the deliberate failover happens on an idle machine.
 *
 * @param taskLease how long a worker's claim holds before another worker may take the task
 * @param leaderLease how long a coordinator's leadership holds without a renewal
 * @param renewEvery how often the leader renews (and the longest it submits between renewals)
 * @param heartbeatInterval how often each agent beats
 * @param heartbeatTimeout how long without a beat before the registry marks an agent failed
 */
public record Timings(
        Duration taskLease,
        Duration leaderLease,
        Duration renewEvery,
        Duration heartbeatInterval,
        Duration heartbeatTimeout) {

    public Timings {
        if (renewEvery.multipliedBy(3).compareTo(leaderLease) > 0) {
            throw new IllegalArgumentException(
                    "renewEvery must be at most a third of leaderLease, got " + renewEvery + " and " + leaderLease);
        }
    }

    /** The timings for the embedded colony: a failover within a third of a second. */
    public static Timings embedded() {
        return new Timings(
                Duration.ofMillis(200),
                Duration.ofMillis(300),
                Duration.ofMillis(20),
                Duration.ofMillis(250),
                Duration.ofSeconds(2));
    }

    /** The timings over Redis: leases that outlast round trips on a busy machine, a failover within 2 s. */
    public static Timings redis() {
        return new Timings(
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofSeconds(5));
    }
}
