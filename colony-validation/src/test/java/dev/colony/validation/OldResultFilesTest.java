package dev.colony.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.validation.report.Comparison;
import dev.colony.validation.report.HtmlReport;
import dev.colony.validation.report.MarkdownReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The result files kept under colony-bench/results/, written by earlier versions of the harness, still read,
 * render, judge and compare: the JSON schema stays compatible (ADR 0028).
 */
class OldResultFilesTest {
    static final Path RESULTS = Path.of("../colony-bench/results");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "report-quiet/colony-bench.json",
                "redis/bench-redis-2026-11-27.json",
                "load/load-10000.json",
                "snapshot/run9.json",
                "final-24e194c/colony-bench-8b29c9d-run1.json"
            })
    void read_anOldResultFile_rendersJudgesAndComparesWithItself(String file) throws Exception {
        BenchReport report = BenchReport.read(RESULTS.resolve(file)).normalized();

        assertThat(report.scenarios()).isNotEmpty().allMatch(r -> r.verified().ok());
        assertThat(Outcome.of(report).lostWork()).isEmpty();
        List<Goal> goals = Goals.of(report);
        assertThat(goals).allMatch(g -> g.scenario() != null);
        assertThat(MarkdownReport.render(report))
                .contains(report.scenarios().getFirst().name());
        assertThat(HtmlReport.render(report)).contains("<html");
        Comparison same = Comparison.of(report, report);
        assertThat(same.changes()).isNotEmpty().allMatch(c -> c.verdict() == Comparison.Verdict.WITHIN_SPREAD);
        StringWriter out = new StringWriter();
        same.print(new PrintWriter(out), file);
        assertThat(out.toString()).contains(file).contains("+0.0%");
    }

    @ParameterizedTest
    @ValueSource(strings = {"report-quiet/colony-bench.json", "redis/bench-redis-2026-11-27.json"})
    void read_anOldResultFile_judgesGoalsFromTheGoalValuesItRecorded(String file) throws Exception {
        BenchReport report = BenchReport.read(RESULTS.resolve(file)).normalized();

        assertThat(Goals.of(report))
                .isNotEmpty()
                .allMatch(g -> g.verdict() != Goal.Verdict.NOT_MEASURED || g.note() != null);
    }
}
