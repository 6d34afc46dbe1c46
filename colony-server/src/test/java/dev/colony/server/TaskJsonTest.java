package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.state.Lease;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generator-written claim and complete answers (ADR 0059) are byte for byte the JSON the maps of
 * {@link TaskRoutes#task} gave: same members, same order, nulls left out, stored bytes as JSON or as a string.
 */
class TaskJsonTest {
    private static final Namespace NS = new Namespace("acme");
    private static final Instant AT = Instant.parse("2026-12-07T15:30:00.123456Z");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Task> tasks() {
        TaskSpec plain = new TaskSpec(
                "acme_t1", "acme_render", bytes("{\"n\":1,\"s\":\"é\\\"\"}"), 4, Set.of("acme__t-render"), 3);
        TaskSpec rich = new TaskSpec(
                "acme_t2",
                "acme_render",
                bytes("not json {"),
                9,
                Set.of("acme__t-render", "acme_gpu", "acme_big", "other_x"),
                1000);
        TaskSpec empty = new TaskSpec("acme_t3", "acme_encode", new byte[0], 0, Set.of(), 1);
        TaskSpec number = new TaskSpec("acme_t4", "acme_render", bytes("1"), 4, Set.of("acme__t-render"), 3);
        return List.of(
                Task.submitted(plain, AT),
                new Task(
                        plain,
                        TaskStatus.CLAIMED,
                        1,
                        AgentId.of("acme_w1"),
                        7,
                        AT.plusSeconds(30),
                        null,
                        null,
                        null,
                        AT),
                new Task(
                        rich,
                        TaskStatus.CLAIMED,
                        2,
                        AgentId.of("acme_w2"),
                        Long.MAX_VALUE,
                        AT,
                        AT.minusSeconds(5),
                        null,
                        "timed out \"twice\"\n",
                        AT),
                new Task(rich, TaskStatus.COMPLETED, 2, null, 0, null, null, bytes("[1,{\"a\":null}]"), "x", AT),
                new Task(number, TaskStatus.COMPLETED, 1, null, 0, null, null, bytes("plain text result"), null, AT),
                new Task(empty, TaskStatus.COMPLETED, 1, null, 0, null, null, new byte[0], null, AT),
                new Task(empty, TaskStatus.DEAD, 1, null, 0, null, null, null, "gave up", AT));
    }

    @Test
    void lease_anyTask_isTheMapsJsonByteForByte() {
        for (Task task : tasks()) {
            AgentId holder = task.holder() == null ? AgentId.of("acme_w9") : task.holder();
            Lease lease = new Lease(task.spec().id(), holder, 42, AT.plusSeconds(30), 3, task);
            assertThat(new String(TaskJson.lease(NS, lease), StandardCharsets.UTF_8))
                    .as("lease of %s", task)
                    .isEqualTo(new String(Json.write(TaskRoutes.lease(NS, lease)), StandardCharsets.UTF_8));
        }
    }

    @Test
    void ok_anyTaskOrNone_isTheMapsJsonByteForByte() {
        for (Task task : tasks()) {
            assertThat(new String(TaskJson.ok(NS, task), StandardCharsets.UTF_8))
                    .as("outcome of %s", task)
                    .isEqualTo(new String(
                            Json.write(Json.obj("outcome", "OK", "task", TaskRoutes.task(NS, task))),
                            StandardCharsets.UTF_8));
        }
        assertThat(new String(TaskJson.ok(NS, null), StandardCharsets.UTF_8)).isEqualTo("{\"outcome\":\"OK\"}");
    }
}
