package dev.colony.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Colony's goals judged from the figures of a result, not from the scenarios' own flags. */
class GoalsTest {
    static final ScenarioResult.Latency NO_LATENCY = new ScenarioResult.Latency(0, 0, 0, 0, 0);

    @Test
    void atLeastGoal_atExactlyTheGoal_isMetAndJustBelowIsMissed() {
        assertThat(directGoal(50_000_000).verdict()).isEqualTo(Goal.Verdict.MET);
        assertThat(directGoal(49_999_999.9).verdict()).isEqualTo(Goal.Verdict.MISSED);
        assertThat(directGoal(50_000_000).ratio()).isEqualTo(1.0);
    }

    @Test
    void atMostGoal_atExactlyTheGoal_isMetAndJustAboveIsMissed() {
        assertThat(snapshotP50(50).verdict()).isEqualTo(Goal.Verdict.MET);
        assertThat(snapshotP50(50.001).verdict()).isEqualTo(Goal.Verdict.MISSED);
        assertThat(snapshotP50(100).ratio()).isEqualTo(0.5);
    }

    @Test
    void goals_ignoreTheScenariosOwnFlag_andUseTheRecordedGoalValue() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("goal_deliveries_per_sec", 1_000.0);
        details.put("goal_met", false); // a stale flag: the figure says otherwise
        Goal direct = Goals.of(result("event-bus", 2_000, NO_LATENCY, details)).getFirst();

        assertThat(direct.goal()).isEqualTo(1_000.0);
        assertThat(direct.verdict()).isEqualTo(Goal.Verdict.MET);
    }

    @Test
    void goals_aVariantMissingFromTheFile_isNotMeasuredRatherThanMissed() {
        List<Goal> goals = Goals.of(result("event-bus", 1, NO_LATENCY, Map.of()));

        assertThat(goals).extracting(Goal::name).containsExactly("DIRECT deliveries", "ASYNC deliveries");
        assertThat(goals.get(1).verdict()).isEqualTo(Goal.Verdict.NOT_MEASURED);
        assertThat(goals.get(1).goal()).isEqualTo(20_000_000.0);
    }

    @Test
    void fanOutGoal_judgedAt1000SubscribersOnly_withTheOfferedPaceKeptWithin1Percent() {
        Goal quick = Goals.of(result("serve-fanout", 1_000, NO_LATENCY, Map.of("subscribers", 100)))
                .getFirst();
        Goal kept = Goals.of(result("serve-fanout", 999.7, NO_LATENCY, Map.of("subscribers", 1_000)))
                .getFirst();
        Goal slowed = Goals.of(result("serve-fanout", 835, NO_LATENCY, Map.of("subscribers", 1_000)))
                .getFirst();

        assertThat(quick.verdict()).isEqualTo(Goal.Verdict.NOT_MEASURED);
        assertThat(kept.verdict()).isEqualTo(Goal.Verdict.MET);
        assertThat(slowed.verdict()).isEqualTo(Goal.Verdict.MISSED);
    }

    static final java.nio.file.Path FIXTURE = java.nio.file.Path.of("src/test/resources/bench/quick-run.json");

    @Test
    void loadGoals_ofARunThatRecordsNoGoals_applyTo10000Agents() {
        Map<String, Object> details = Map.of("agents", 100, "spawn_ms", 1.0, "heap_per_agent_bytes", 10);

        List<Goal> judged = Goals.of(result("load", 9e9, NO_LATENCY, details));

        assertThat(judged).hasSize(3).allMatch(g -> g.verdict() == Goal.Verdict.NOT_MEASURED);
        assertThat(judged.getFirst().goal()).isEqualTo(2_000_000.0);
    }

    @Test
    void loadGoals_atAnotherAgentCount_areNotMeasured() {
        Map<String, Object> goals = Map.of("applies_to_agents", 10_000, "ops_per_sec_min", 2_000_000.0);
        Map<String, Object> details = Map.of("agents", 100, "spawn_ms", 1.0, "goals", goals);

        List<Goal> judged = Goals.of(result("load", 9e9, NO_LATENCY, details));

        assertThat(judged).hasSize(3).allMatch(g -> g.verdict() == Goal.Verdict.NOT_MEASURED);
        assertThat(judged.getFirst().measuredText()).isEqualTo("applies to 10,000 agents; this run had 100");
    }

    @Test
    void goals_fromTheFixture_areJudgedFromTheReportedFigures() throws Exception {
        BenchReport report = BenchReport.read(FIXTURE);
        List<Goal> goals = Goals.of(report);

        Goal direct = goals.getFirst();
        assertThat(direct.measured())
                .isEqualTo(Figure.THROUGHPUT.value(report.scenarios().getFirst()));
        assertThat(goals).hasSize(17);
        assertThat(Goals.count(goals, Goal.Verdict.MET)).isEqualTo(2);
        assertThat(goals)
                .filteredOn(g -> g.verdict() == Goal.Verdict.MET)
                .extracting(Goal::name)
                .containsExactly("JSON cost over the bare codec, 4.2 KB", "60 KB state, Jackson p50 / Colony p50");
        assertThat(Goals.summary(goals))
                .isEqualTo("Colony's goals: 2 of 14 met, 12 missed; 3 not measured in this run.");
    }

    @Test
    void percentOverheadGoal_ratio_comparesTheTimePerMessage() {
        Goal overhead = new Goal("m", "cost", Goal.Direction.AT_MOST, 25, Goal.Unit.PERCENT, -20.0, null);

        assertThat(overhead.verdict()).isEqualTo(Goal.Verdict.MET);
        assertThat(overhead.ratio()).isCloseTo(1.25 / 0.8, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static Goal directGoal(double throughput) {
        return Goals.of(result("event-bus", throughput, NO_LATENCY, Map.of())).getFirst();
    }

    private static Goal snapshotP50(double p50) {
        ScenarioResult.Latency latency = new ScenarioResult.Latency(p50, p50, p50, p50, p50);
        return Goals.of(result("snapshot", 1, latency, Map.of())).getFirst();
    }

    static ScenarioResult result(
            String name, double throughput, ScenarioResult.Latency latency, Map<String, Object> details) {
        return new ScenarioResult(
                name,
                1,
                1,
                1,
                throughput,
                latency,
                new ScenarioResult.Verified(1, 1),
                ScenarioResult.ORIGINAL_TARGET,
                true,
                details);
    }
}
