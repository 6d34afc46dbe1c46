package dev.colony.redis;

import dev.colony.Colony;
import dev.colony.messaging.AgentId;
import dev.colony.state.Leadership;
import dev.colony.state.Lease;
import dev.colony.state.LeaseOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One process of {@link MultiProcessSwarmTest}'s swarm: joins the swarm at {@code args[0]} as
 * {@code args[1]}, campaigns for the {@code coordinator} group with a lease of {@code args[2]} ms (renewed
 * every third of it), and works {@code work} tasks until the shared-memory key {@code swarm/stop} exists. It
 * reports on stdout, one line per fact: {@code READY}, {@code LEADER <term>}, {@code DONE <task>} (only
 * after a completion Redis acknowledged), {@code ERROR <message>}.
 */
public final class SwarmNode {

    private SwarmNode() {}

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        AgentId me = AgentId.of(args[1]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
        Duration renewEvery = lease.dividedBy(3);
        try (Colony colony = Colony.builder().redis(uri).swarm("multi").build()) {
            say("READY " + me.value());
            Thread coordinator = Thread.ofVirtual().start(() -> coordinate(colony, me, lease, renewEvery));
            while (!stopped(colony)) {
                try {
                    Optional<Lease> claimed = colony.tasks().claim(me, Set.of("work"), Duration.ofSeconds(2));
                    if (claimed.isEmpty()) {
                        Thread.sleep(10);
                        continue;
                    }
                    byte[] result = me.value().getBytes(StandardCharsets.UTF_8);
                    if (colony.tasks().complete(claimed.get(), result) == LeaseOutcome.OK) {
                        say("DONE " + claimed.get().taskId());
                    }
                } catch (RuntimeException e) {
                    say("ERROR " + e);
                    Thread.sleep(50);
                }
            }
            coordinator.interrupt();
            coordinator.join();
        }
    }

    private static void coordinate(Colony colony, AgentId me, Duration lease, Duration renewEvery) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Optional<Leadership> won = colony.leaders().campaign("coordinator", me, lease);
                if (won.isPresent()) {
                    say("LEADER " + won.get().term());
                    while (colony.leaders().renew(won.get(), lease)) {
                        Thread.sleep(renewEvery);
                    }
                    say("LOST " + won.get().term());
                } else {
                    Thread.sleep(renewEvery.dividedBy(2));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                say("ERROR " + e);
            }
        }
    }

    private static boolean stopped(Colony colony) {
        try {
            return colony.memory().get("swarm", "stop").isPresent();
        } catch (RuntimeException e) {
            say("ERROR " + e);
            return false;
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
