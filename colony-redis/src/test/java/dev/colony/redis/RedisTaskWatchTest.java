package dev.colony.redis;

import static dev.colony.bus.BusTesting.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.Subscription;
import dev.colony.state.StateChange;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The task watch (ADR 0076): task changes are announced while some node's bus has a subscription that could see
 * them, on any node, and not otherwise; what a subscriber sees is unchanged.
 */
class RedisTaskWatchTest {
    private static final AtomicInteger SWARMS = new AtomicInteger();

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void couldSeeTasks_patternsThatCanMatchATaskSubject() {
        for (String yes : List.of(
                ">",
                "colony.>",
                "colony.task.>",
                "colony.task.*.claimed",
                "colony.*.*.*",
                "*.task.t1.completed",
                "colony.task.t1.completed",
                "*.>")) {
            assertThat(RedisTaskWatch.couldSeeTasks(SubjectPattern.of(yes)))
                    .as(yes)
                    .isTrue();
        }
        for (String no : List.of(
                "bench.>",
                "colony.agent.>",
                "colony.memory.>",
                "colony.*",
                "colony",
                "*",
                "colony.leader.*.elected",
                "task.>")) {
            assertThat(RedisTaskWatch.couldSeeTasks(SubjectPattern.of(no)))
                    .as(no)
                    .isFalse();
        }
        assertThat(RedisTaskWatch.couldSeeTasks(SubjectPattern.regex("colony\\.task\\..*")))
                .isTrue();
        assertThat(RedisTaskWatch.couldSeeTasks(SubjectPattern.regex("col.*"))).isTrue();
        assertThat(RedisTaskWatch.couldSeeTasks(SubjectPattern.regex("(a|b)"))).isTrue();
        assertThat(RedisTaskWatch.couldSeeTasks(SubjectPattern.regex("bench\\..*")))
                .isFalse();
    }

    /**
     * Node A works on tasks with nobody watching: its bus publishes nothing for them. Node B subscribes to {@code
     * colony.task.>}: the watch key exists before {@code subscribe} returns, and B sees A's next change. Once B's
     * subscription closes, the key is gone and A publishes nothing again.
     */
    @Test
    void announcements_onlyWhileANodeWatches_andTheWatcherSeesEveryLaterChange() {
        String swarm = "watch-" + SWARMS.incrementAndGet();
        String key = "colony:{" + swarm + "}:taskwatch";
        try (RedisLink linkA = RedisLink.open(redis.server().target(swarm));
                RedisLink linkB = RedisLink.open(redis.server().target(swarm));
                EventBus busA = RedisEventBus.open(linkA, EventBus.builder());
                EventBus busB = RedisEventBus.open(linkB, EventBus.builder());
                var a = RedisState.open(linkA, busA, StateOptions.defaults().withSweepInterval(Duration.ZERO))) {
            long before = busA.metrics().published();
            a.tasks().submit(task("quiet-1"));
            a.tasks().claim(dev.colony.messaging.AgentId.of("w"), java.util.Set.of(), Duration.ofSeconds(30));
            assertThat(busA.metrics().published()).isEqualTo(before);
            assertThat(redis.server().command("EXISTS " + key)).isEqualTo(":0");
            assertThat(a.revision()).isEqualTo(2); // the changes still took their revisions

            List<String> seen = new CopyOnWriteArrayList<>();
            Subscription watching = busB.subscribe(
                    "colony.task.>",
                    event -> seen.add(event.subject().value() + " " + ((StateChange) event.payload()).change()));
            assertThat(redis.server().command("EXISTS " + key)).isEqualTo(":1");
            a.tasks().submit(task("loud-1"));
            await().atMost(PATIENCE).until(() -> seen.contains("colony.task.loud-1.submitted submitted"));

            watching.close();
            assertThat(redis.server().command("EXISTS " + key)).isEqualTo(":0");
            long quiet = busA.metrics().published();
            a.tasks().submit(task("quiet-2"));
            assertThat(busA.metrics().published()).isEqualTo(quiet);

            // a node's own subscription counts as much as another node's
            List<String> own = new CopyOnWriteArrayList<>();
            Subscription mine = busA.subscribe(
                    "colony.task.*.submitted", event -> own.add(event.subject().value()));
            a.tasks().submit(task("own-1"));
            await().atMost(PATIENCE).until(() -> own.contains("colony.task.own-1.submitted"));
            mine.close();
            assertThat(redis.server().command("EXISTS " + key)).isEqualTo(":0");
        }
    }

    /** A state whose bus is not a Redis bus watches for as long as it is open (its subscribers are unknown). */
    @Test
    void stateWithAnEmbeddedBus_watchesWhileOpen() {
        String swarm = "watch-" + SWARMS.incrementAndGet();
        String key = "colony:{" + swarm + "}:taskwatch";
        try (RedisLink link = RedisLink.open(redis.server().target(swarm));
                EventBus bus = EventBus.create()) {
            var state = RedisState.open(link, bus, StateOptions.defaults().withSweepInterval(Duration.ZERO));
            assertThat(redis.server().command("EXISTS " + key)).isEqualTo(":1");
            assertThat(Long.parseLong(redis.server().command("PTTL " + key).substring(1)))
                    .isPositive();
            state.close();
            assertThat(redis.server().command("EXISTS " + key)).isEqualTo(":0");
        }
    }

    private static TaskSpec task(String id) {
        return TaskSpec.of(id, "work", id.getBytes(StandardCharsets.UTF_8));
    }
}
