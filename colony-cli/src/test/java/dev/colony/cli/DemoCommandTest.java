package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DemoCommandTest {
    @Test
    void demo_smallSwarm_holdsEveryInvariantThroughAWorkerKillAndALeaderFailover(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/demo.json");
        Captured result = capture(
                "demo", "--agents", "20", "--tasks", "200", "--seed", "7", "--quiet", "--json", json.toString());

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        // log lines (simplelogger.properties: "LEVEL logger - message") are not progress: the failover logs
        assertThat(result.err().lines().filter(line -> !line.matches("(INFO|WARN|ERROR) [\\w.]+ - .*")))
                .as("--quiet prints no progress")
                .isEmpty();
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        // the story names who was killed, who rescued the task, and the refused late write with its term
        assertThat(result.out())
                .contains(root.get("killed_worker").asString() + " was killed while holding "
                        + root.get("orphaned_task").asString() + "; its lease ran out and "
                        + root.get("orphaned_task_completed_by").asString() + " rescued the task.")
                .contains(root.get("stale_leader").asString() + ", leader in term "
                        + root.get("stale_leader_term").asLong() + ", froze;")
                .contains("its late write under term "
                        + root.get("stale_leader_term").asLong() + " was refused (fenced)")
                .contains("200 of 200 tasks done")
                .contains("half the tasks took at most")
                .contains("no_task_lost")
                .contains("ok: every invariant holds");
        assertThat(root.get("ok").asBoolean()).isTrue();
        JsonNode invariants = root.get("invariants");
        for (String name : new String[] {
            "no_task_lost",
            "no_task_completed_twice",
            "one_leader_per_term",
            "stale_leader_fenced",
            "killed_workers_task_completed_by_another"
        }) {
            assertThat(invariants.get(name).asBoolean()).as(name).isTrue();
        }
        assertThat(root.get("tasks_done").asInt()).isEqualTo(200);
        assertThat(root.get("tasks_submitted").asInt()).isEqualTo(200);
        assertThat(root.get("failovers").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(root.get("late_writes_refused").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(root.get("late_writes_accepted").asInt()).isZero();
        assertThat(root.get("workers_killed").asInt()).isEqualTo(1);
        assertThat(root.get("lease_expiries").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(root.get("orphaned_task_completed_by").asString())
                .isNotEqualTo(root.get("killed_worker").asString());
        assertThat(root.get("snapshots").asLong()).isPositive();
        assertThat(root.get("claim_to_complete_ms").get("max").asDouble())
                .isGreaterThanOrEqualTo(
                        root.get("claim_to_complete_ms").get("p50").asDouble());
    }

    @Test
    void demo_oneTask_everyTaskDoneBeforeAVictimClaims_endsOkWithoutAKill(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("demo.json");
        Captured result = capture("demo", "--agents", "2", "--tasks", "1", "--quiet", "--json", json.toString());

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("No worker was killed");
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(root.get("workers_killed").asInt()).isZero();
        assertThat(root.get("killed_worker").isNull()).isTrue();
        assertThat(root.get("invariants")
                        .get("killed_workers_task_completed_by_another")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void demo_progressOffATerminal_plainLinesNoCarriageReturns() {
        Captured result = capture("demo", "--agents", "4", "--tasks", "50", "--seed", "3");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.err()).doesNotContain("\r");
        assertThat(result.err().lines().filter(line -> line.startsWith("done ")))
                .as("the last progress line is always printed")
                .last()
                .asString()
                .startsWith("done 50/50 | ");
    }

    @Test
    void demo_zeroAgents_isAUsageError() {
        Captured result = capture("demo", "--agents", "0");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--agents must be a positive number");
    }

    @Test
    void demo_negativeTasks_isAUsageError() {
        assertThat(capture("demo", "--tasks", "-5").code()).isEqualTo(2);
    }
}
