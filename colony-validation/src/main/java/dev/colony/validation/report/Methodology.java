package dev.colony.validation.report;

import java.util.List;

/** How {@code colony bench} measures, in the words both report formats print. */
final class Methodology {
    private Methodology() {}

    static final List<String> TEXT = List.of(
            "Each scenario runs warm-up iterations (thrown away, so the JIT settles) and then measured iterations"
                    + " (`--warmup`, `--iterations`).",
            "One statistic everywhere: every figure the summary, the scenario tables and `--compare` state is the"
                    + " median over the measured iterations of that iteration's figure. Throughput is each iteration's"
                    + " verified units over its duration; p50 is the median of the iterations' p50s, p99 the median of"
                    + " their p99s, max the median of their maxima. Nested variants (ASYNC, 500 B, request/reply) have"
                    + " one histogram over all their iterations and say so.",
            "Throughput counts only verified work: a delivery a handler received and checked, a message its"
                    + " recipient decoded and compared, a snapshot that was encoded (every 100th restored and compared"
                    + " byte for byte), a load operation whose event, message and memory update all arrived. Each"
                    + " scenario reports expected and observed counts and fails when they differ.",
            "Latency comes from HdrHistogram (3 significant digits): p50, p95, p99, p99.9 and the maximum, which is"
                    + " never called a percentile. The spread tables give each figure's median, quartiles and extremes over"
                    + " the iterations.",
            "Quartiles are interpolated linearly between the sorted iteration values; the IQR is Q3 - Q1.",
            "Every scenario has a baseline measured in the same run that does the same verified work without"
                    + " Colony; the ratio Colony / baseline divides the median throughputs, so machine noise that hits"
                    + " both cancels out.",
            "`--compare OLD.json` flags a REGRESSION when a figure's new median is worse than its old median by more"
                    + " than the combined spread, (IQR old + IQR new) / 2, and an improvement when it is better by more"
                    + " (ADR 0013).",
            "Colony's own goals (docs/workloads.md) come first: each is judged met or missed from the figure the report"
                    + " shows, with the goal value the run recorded; load's goals apply at 10,000 agents only. The"
                    + " original report's 10k/s-style targets (10,000 per second; 1,000 snapshots per second) stand beside"
                    + " them, far below the goals.",
            "Exit code: 1 when any unit of work was lost, duplicated or wrong; a missed target or goal exits 1 only"
                    + " with `--fail-on-goals` (ADR 0027). Durations are written in ns, µs, ms or s and rates with k or"
                    + " M, to 3 significant digits.",
            "The machine is small and may be shared: compare figures from one run as ratios where you can.");
}
