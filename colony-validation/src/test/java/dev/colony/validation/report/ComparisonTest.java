package dev.colony.validation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colony.validation.BenchReport;
import dev.colony.validation.Figure;
import dev.colony.validation.Measurement;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Spread;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    @Test
    void spread_quartilesInterpolateBetweenSortedValues() {
        Spread s = Spread.of(List.of(4.0, 1.0, 3.0, 2.0), 0);
        assertThat(s.n()).isEqualTo(4);
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.q1()).isCloseTo(1.75, within(1e-9));
        assertThat(s.q3()).isCloseTo(3.25, within(1e-9));
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(4.0);
        assertThat(s.iqr()).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void spread_withoutIterations_isTheHeadlineWithNoSpread() {
        Spread s = Spread.of(List.of(), 42);
        assertThat(s.n()).isZero();
        assertThat(s.median()).isEqualTo(42);
        assertThat(s.iqr()).isZero();
    }

    @Test
    void judge_throughputDropBeyondCombinedSpread_isARegression() {
        // old median 100, IQR 10; new median 85, IQR 6: worse by 15 > (10 + 6) / 2 = 8
        Comparison.Change c = Comparison.judge("s", Figure.THROUGHPUT, spread(95, 100, 105), spread(82, 85, 88));
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.REGRESSION);
        assertThat(c.combinedSpread()).isEqualTo(8);
        assertThat(c.changePct()).isEqualTo(-15);
    }

    @Test
    void judge_throughputDropWithinCombinedSpread_isNotFlagged() {
        // worse by 7 < 8
        Comparison.Change c = Comparison.judge("s", Figure.THROUGHPUT, spread(95, 100, 105), spread(90, 93, 96));
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.WITHIN_SPREAD);
    }

    @Test
    void judge_throughputRiseBeyondSpread_isAnImprovement() {
        Comparison.Change c = Comparison.judge("s", Figure.THROUGHPUT, spread(95, 100, 105), spread(117, 120, 123));
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.IMPROVEMENT);
    }

    @Test
    void judge_latencyRiseBeyondSpread_isARegression_andFallAnImprovement() {
        assertThat(Comparison.judge("s", Figure.P99, spread(9, 10, 11), spread(19, 20, 21))
                        .verdict())
                .isEqualTo(Comparison.Verdict.REGRESSION);
        assertThat(Comparison.judge("s", Figure.P99, spread(19, 20, 21), spread(9, 10, 11))
                        .verdict())
                .isEqualTo(Comparison.Verdict.IMPROVEMENT);
    }

    @Test
    void judge_exactlyTheCombinedSpread_isNotFlagged() {
        // worse by exactly 8 = (10 + 6) / 2: the rule is strictly "more than"
        Comparison.Change c = Comparison.judge("s", Figure.THROUGHPUT, spread(95, 100, 105), spread(89, 92, 95));
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.WITHIN_SPREAD);
    }

    @Test
    void compare_fileWithItself_flagsNothing() throws Exception {
        BenchReport run = BenchReport.read(ReportTest.FIXTURE);
        Comparison comparison = Comparison.of(run, run);
        assertThat(comparison.changes()).hasSize(run.scenarios().size() * Figure.values().length);
        assertThat(comparison.regressions()).isZero();
        assertThat(comparison.improvements()).isZero();
    }

    @Test
    void compare_halvedThroughputInEveryIteration_isARegressionOfThatScenarioOnly() throws Exception {
        BenchReport old = BenchReport.read(ReportTest.FIXTURE);
        List<ScenarioResult> scenarios = new ArrayList<>(old.scenarios());
        ScenarioResult load = scenarios.getLast();
        Measurement.PerIteration p = load.perIteration();
        Measurement.PerIteration halved = new Measurement.PerIteration(
                p.throughputPerSec().stream().map(v -> v / 2).toList(), p.p50(), p.p95(), p.p99(), p.p999(), p.max());
        scenarios.set(
                scenarios.size() - 1,
                new ScenarioResult(
                        load.name(),
                        load.operations(),
                        load.iterations(),
                        load.seconds() * 2,
                        load.throughputPerSec() / 2,
                        load.latencyUs(),
                        load.verified(),
                        load.target(),
                        load.pass(),
                        load.details(),
                        halved,
                        load.baseline()));
        BenchReport now = new BenchReport(
                old.colonyVersion(), old.jdk(), old.cpus(), old.os(), old.startedAt(), old.backend(), scenarios);

        Comparison comparison = Comparison.of(old, now);

        assertThat(comparison.changes())
                .filteredOn(c -> c.verdict() == Comparison.Verdict.REGRESSION)
                .extracting(c -> c.scenario() + " " + c.figure())
                .containsExactly("load THROUGHPUT");
        StringWriter text = new StringWriter();
        comparison.print(new PrintWriter(text), "old.json");
        assertThat(text.toString())
                .contains("1 regression(s), 0 improvement(s)")
                .containsPattern("load +throughput .* -50\\.0% .* REGRESSION")
                .contains("Legend: REGRESSION when the new median is worse");
    }

    @Test
    void compare_oldFileWithoutIterations_marksTheSpreadUnknown() throws Exception {
        BenchReport now = BenchReport.read(ReportTest.FIXTURE);
        List<ScenarioResult> scenarios = new ArrayList<>();
        for (ScenarioResult r : now.scenarios()) {
            scenarios.add(new ScenarioResult(
                    r.name(),
                    r.operations(),
                    r.iterations(),
                    r.seconds(),
                    r.throughputPerSec(),
                    r.latencyUs(),
                    r.verified(),
                    r.target(),
                    r.pass(),
                    r.details()));
        }
        BenchReport old = new BenchReport(
                now.colonyVersion(),
                now.jdk(),
                now.cpus(),
                now.os(),
                now.startedAt(),
                now.backend(),
                scenarios.subList(0, 2));

        Comparison comparison = Comparison.of(old, now);

        assertThat(comparison.changes()).allMatch(c -> !c.spreadKnown());
        assertThat(comparison.onlyInNew()).containsExactly("messenger", "snapshot", "load");
        StringWriter text = new StringWriter();
        comparison.print(new PrintWriter(text), "old.json");
        assertThat(text.toString()).contains("(no spread)").contains("messenger              only in the new run");
    }

    private static Spread spread(double q1, double median, double q3) {
        return new Spread(5, median, q1 - 1, q1, q3, q3 + 1);
    }
}
