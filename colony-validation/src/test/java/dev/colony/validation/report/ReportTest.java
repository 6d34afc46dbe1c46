package dev.colony.validation.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.validation.BenchReport;
import dev.colony.validation.Figure;
import dev.colony.validation.RunEnvironment;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Units;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Golden tests of the reports' structure, rendered from a fixed result file (a real quick run, kept under
 * test resources): the sections, tables and charts, and that the findings name what the figures say. The
 * numbers themselves are not asserted beyond being derived from the file.
 */
class ReportTest {
    static final Path FIXTURE = Path.of("src/test/resources/bench/quick-run.json");
    static final List<String> SCENARIOS = List.of("event-bus", "event-bus-concurrent", "messenger", "snapshot", "load");

    static BenchReport report;

    @BeforeAll
    static void read() throws Exception {
        report = BenchReport.read(FIXTURE);
    }

    @Test
    void fixture_hasEveryScenarioWithSpreadAndBaseline() {
        assertThat(report.scenarios()).extracting(ScenarioResult::name).containsExactlyElementsOf(SCENARIOS);
        for (ScenarioResult r : report.scenarios()) {
            assertThat(r.perIteration().throughputPerSec()).as(r.name()).hasSize(r.iterations());
            assertThat(r.baseline()).as(r.name()).isNotNull();
            assertThat(r.baseline().verified().ok()).as(r.name()).isTrue();
        }
    }

    @Test
    void json_environmentAndQuick_roundTripAndOldFilesReadWithout(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        RunEnvironment environment = new RunEnvironment("abc1234", List.of("-Xmx1g"), 0.5, 1.25);
        BenchReport withEnvironment = new BenchReport(
                report.colonyVersion(),
                report.jdk(),
                report.cpus(),
                report.os(),
                report.startedAt(),
                report.backend(),
                report.scenarios(),
                environment,
                true);
        withEnvironment.write(dir.resolve("new.json"));

        BenchReport read = BenchReport.read(dir.resolve("new.json"));

        assertThat(read.environment()).isEqualTo(environment);
        assertThat(read.quickRun()).isTrue();
        assertThat(report.environment()).isNull();
        assertThat(report.quickRun()).isFalse();
        assertThat(MarkdownReport.render(read))
                .contains("| git commit | abc1234 |")
                .contains("| 0.50 / 1.25 |");
    }

    @Test
    void jvmFlags_thatLookLikeSecrets_areMasked() {
        assertThat(RunEnvironment.mask("-Dredis.password=hunter2")).isEqualTo("-Dredis.password=****");
        assertThat(RunEnvironment.mask("-Xmx1g")).isEqualTo("-Xmx1g");
    }

    @Test
    void markdown_hasTheSectionsInOrder() {
        String md = MarkdownReport.render(report);
        List<String> headings = lines(md, "^#{1,2} .*");
        List<String> expected = new ArrayList<>(List.of(
                "# Colony validation report",
                "## Colony's goals",
                "## Summary",
                "## Findings",
                "## Against the original report",
                "## Baselines measured in the same run"));
        SCENARIOS.forEach(s -> expected.add("## `" + s + "`"));
        expected.addAll(List.of("## Methodology", "## Environment"));
        assertThat(headings).containsExactlyElementsOf(expected);
    }

    @Test
    void markdown_summaryClaimsAndBaselineTables_haveOneRowPerScenario() {
        String md = MarkdownReport.render(report);
        for (String table : List.of("## Summary", "## Against the original report", "## Baselines measured")) {
            List<String> rows = tableAfter(md, table);
            assertThat(rows).as(table).hasSize(SCENARIOS.size());
            for (int i = 0; i < SCENARIOS.size(); i++) {
                assertThat(rows.get(i)).as(table).startsWith("| " + SCENARIOS.get(i) + " |");
            }
        }
        ScenarioResult first = report.scenarios().getFirst();
        assertThat(tableAfter(md, "## Summary").getFirst())
                .startsWith("| event-bus | 0 of 2 | **" + Units.rate(Figure.THROUGHPUT.value(first)) + "/s** |")
                .contains("| " + SummaryCells.target(first) + " |")
                .endsWith("| " + Findings.ratio(first.baseline().ratio()) + "x |");
    }

    @Test
    void originalClaim_wasmSpeedups_answeredByTheMeasuredRatio() {
        ScenarioResult any = report.scenarios().getFirst();
        ScenarioResult plugins = new ScenarioResult(
                "plugins",
                any.operations(),
                any.iterations(),
                any.seconds(),
                any.throughputPerSec(),
                any.latencyUs(),
                any.verified(),
                any.target(),
                true,
                java.util.Map.of("wasm_cost_over_java", 2.0));
        OriginalClaim claim = OriginalClaim.of("plugins").orElseThrow();

        assertThat(claim.claim()).contains("52x / 50x / 40x");
        assertThat(claim.colonyFigure(plugins)).isEqualTo(0.5);
        assertThat(claim.format(claim.colonyFigure(plugins))).isEqualTo("0.50x Java");
        assertThat(Findings.ratio(claim.colonyFigure(plugins) / claim.figure())).isEqualTo("0.01");
    }

    @Test
    void markdown_eachScenarioSection_hasVerifiedBaselineAndASpreadRowPerFigure() {
        String md = MarkdownReport.render(report);
        for (String scenario : SCENARIOS) {
            String section = sectionOf(md, "## `" + scenario + "`");
            assertThat(section)
                    .contains("**Verified**")
                    .contains("**Baseline**")
                    .contains("**What runs**");
            List<String> rows = tableAfter(section, "| figure (per iteration) | median |");
            assertThat(rows)
                    .extracting(r -> r.split("\\|")[1].trim())
                    .containsExactly("throughput", "p50", "p95", "p99", "p99.9", "max", "baseline throughput");
        }
    }

    @Test
    void findings_nameTheScenarioTheFiguresPointTo() {
        List<Findings.Finding> findings = Findings.of(report);
        assertThat(findings)
                .extracting(Findings.Finding::title)
                .contains(
                        "Verification",
                        "Nearest to its target",
                        "Largest cost over a plain implementation",
                        "Spread",
                        "Latency tail",
                        "Where latency goes",
                        "Where to look first");
        ScenarioResult nearest = report.scenarios().stream()
                .min(Comparator.comparingDouble(
                        r -> Figure.THROUGHPUT.value(r) / r.target().min()))
                .orElseThrow();
        assertThat(text(findings, "Nearest to its target")).startsWith(nearest.name() + " has the lowest ratio");
        ScenarioResult costliest = report.scenarios().stream()
                .min(Comparator.comparingDouble(r -> r.baseline().ratio()))
                .orElseThrow();
        assertThat(text(findings, "Largest cost over a plain implementation"))
                .startsWith(costliest.name() + ":")
                .contains(Findings.ratio(costliest.baseline().ratio()) + "x");
        assertThat(text(findings, "Verification")).startsWith("every unit of work");
    }

    @Test
    void findings_whenAScenarioLostWork_sayWhich() {
        ScenarioResult first = report.scenarios().getFirst();
        ScenarioResult broken = new ScenarioResult(
                first.name(),
                first.operations(),
                first.iterations(),
                first.seconds(),
                first.throughputPerSec(),
                first.latencyUs(),
                new ScenarioResult.Verified(
                        first.verified().expected(), first.verified().expected() - 1),
                first.target(),
                false,
                first.details(),
                first.perIteration(),
                first.baseline());
        List<ScenarioResult> scenarios = new ArrayList<>(report.scenarios());
        scenarios.set(0, broken);
        BenchReport lossy = new BenchReport(
                report.colonyVersion(),
                report.jdk(),
                report.cpus(),
                report.os(),
                report.startedAt(),
                "embedded",
                scenarios);
        assertThat(text(Findings.of(lossy), "Verification"))
                .startsWith("work went missing")
                .contains(first.name());
        assertThat(MarkdownReport.render(lossy))
                .contains("**work missing or wrong**")
                .contains("VERIFICATION FAILED, work lost, duplicated or wrong: " + first.name() + ":");
    }

    @Test
    void html_isWellFormedSelfContainedWithOneChartPerScenarioPlusThroughput() throws Exception {
        String html = HtmlReport.render(report);
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=\"http");
        assertThat(html.replace("http://www.w3.org/2000/svg", ""))
                .doesNotContain("http://")
                .doesNotContain("https://");

        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        for (String id : List.of(
                "goals",
                "summary",
                "findings",
                "throughput",
                "claims",
                "baselines",
                "scenarios",
                "methodology",
                "environment")) {
            assertThat(section(doc, id)).as(id).isNotNull();
        }
        // Colony's goals lead the page, before the summary and every other section
        assertThat(((Element) doc.getElementsByTagName("section").item(0)).getAttribute("id"))
                .isEqualTo("goals");
        assertThat(html.indexOf("Colony's goals: 2 of 14 met")).isLessThan(html.indexOf("id=\"summary\""));
        for (String chart : List.of("goals", "throughput")) {
            Element svg =
                    (Element) section(doc, chart).getElementsByTagName("svg").item(0);
            assertThat(section(doc, chart).getElementsByTagName("svg").getLength())
                    .isEqualTo(1);
            // ratios are dots around 1x, never bars on a log axis; the chart says what its axis is
            assertThat(svg.getElementsByTagName("rect").getLength()).as(chart).isZero();
            assertThat(svg.getElementsByTagName("circle").getLength()).as(chart).isPositive();
            assertThat(svg.getTextContent()).as(chart).contains("log scale").contains("1x = ");
        }
        for (String scenario : SCENARIOS) {
            Element section = section(doc, "scenario-" + scenario);
            assertThat(section).as(scenario).isNotNull();
            assertThat(section.getElementsByTagName("svg").getLength())
                    .as(scenario)
                    .isEqualTo(1);
            // the percentile curve: a point per percentile, p50 to max
            assertThat(((Element) section.getElementsByTagName("svg").item(0))
                            .getElementsByTagName("circle")
                            .getLength())
                    .isEqualTo(5);
        }
        assertThat(doc.getElementsByTagName("svg").getLength()).isEqualTo(SCENARIOS.size() + 2);
        // summary table: header plus one row per scenario
        assertThat(section(doc, "summary").getElementsByTagName("tr").getLength())
                .isEqualTo(SCENARIOS.size() + 1);
    }

    private static Element section(Document doc, String id) {
        NodeList sections = doc.getElementsByTagName("section");
        for (int i = 0; i < sections.getLength(); i++) {
            Element e = (Element) sections.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        return null;
    }

    private static String text(List<Findings.Finding> findings, String title) {
        return findings.stream()
                .filter(f -> f.title().equals(title))
                .findFirst()
                .orElseThrow()
                .text();
    }

    private static List<String> lines(String text, String regex) {
        return text.lines().filter(l -> l.matches(regex)).toList();
    }

    /** The data rows of the first table after the line starting with {@code marker}. */
    static List<String> tableAfter(String text, String marker) {
        List<String> all = text.lines().toList();
        int at = 0;
        while (!all.get(at).startsWith(marker)) {
            at++;
        }
        while (!all.get(at).startsWith("|---")) {
            at++;
        }
        List<String> rows = new ArrayList<>();
        for (int i = at + 1; i < all.size() && all.get(i).startsWith("|"); i++) {
            rows.add(all.get(i));
        }
        return rows;
    }

    private static String sectionOf(String md, String heading) {
        Matcher m = Pattern.compile(Pattern.quote(heading) + "\\n(.*?)(?=\\n## |\\z)", Pattern.DOTALL)
                .matcher(md);
        assertThat(m.find()).as(heading).isTrue();
        return m.group(1);
    }
}
