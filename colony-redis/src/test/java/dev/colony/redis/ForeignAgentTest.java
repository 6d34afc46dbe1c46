package dev.colony.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.bus.Event;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent in another language, played by {@code redis-cli} and a shell only, following
 * docs/redis-protocol.md: it publishes an event a Java subscriber receives, then claims and completes a
 * task a Java producer submitted, with the same Lua scripts the Java side uses.
 */
class ForeignAgentTest {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void aRedisCliAgentPublishesAnEventAndClaimsAndCompletesATask() throws Exception {
        try (Colony colony = redis.server().colony("foreign").build()) {
            List<Event> received = new CopyOnWriteArrayList<>();
            colony.bus().subscribe("reports.>", received::add);
            colony.tasks().submit(TaskSpec.of("t1", "work", "input".getBytes(StandardCharsets.UTF_8)));

            String publish = shell("redis-cli -p $PORT PUBLISH 'colony:{foreign}:ev:reports.cli.done' "
                    + "'{\"specversion\":\"1.0\",\"id\":\"cli-1\",\"source\":\"shell\",\"type\":\"report\","
                    + "\"data\":{\"ok\":true}}'");
            assertThat(publish).isEqualTo("1"); // one subscribing node
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
            assertThat(received.getFirst().subject().value()).isEqualTo("reports.cli.done");

            String session = """
                    S='colony:{foreign}:s:'
                    D=src/main/resources/dev/colony/redis
                    R="redis-cli -p $PORT"
                    CLAIM=$($R SCRIPT LOAD "$(cat $D/state_common.lua; echo; cat $D/task_claim.lua)")
                    COMPLETE=$($R SCRIPT LOAD "$(cat $D/state_common.lua; echo; cat $D/task_complete.lua)")
                    NOW=$(( $(date +%s%N) / 1000000 ))
                    $R EVALSHA "$CLAIM" 1 "$S" "$NOW" cli-agent 30000 > /dev/null
                    TOKEN=$($R HGET "${S}task:t1" token)
                    $R EVALSHA "$COMPLETE" 1 "$S" "$(( $(date +%s%N) / 1000000 ))" t1 "$TOKEN" "the result" "" "" | head -n 1
                    $R EVALSHA "$COMPLETE" 1 "$S" "$(( $(date +%s%N) / 1000000 ))" t1 "$TOKEN" "again" "" "" | head -n 1
                    """;
            assertThat(shell(session).lines().toList()).containsExactly("OK", "NOT_CLAIMED");

            Task task = colony.tasks().get("t1").orElseThrow();
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(new String(task.result(), StandardCharsets.UTF_8)).isEqualTo("the result");
        }
    }

    private static String shell(String script) throws IOException, InterruptedException {
        assertThat(Files.isDirectory(Path.of("src/main/resources/dev/colony/redis")))
                .as("runs in the colony-redis module directory")
                .isTrue();
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(redis.server().port()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
