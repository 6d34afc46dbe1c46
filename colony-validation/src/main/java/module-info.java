/**
 * The validation harness behind {@code colony bench} (ADR 0028): workloads that do real work through Colony's
 * public API and check every unit of it, one warm-up/measure loop, typed results in a stable JSON schema
 * (docs/workloads.md), Colony's goals judged from the figures, and the Markdown, HTML and terminal reports.
 * It builds only on colony-core's exported API; colony-redis is on the module path for {@code redis://}.
 */
module dev.colony.validation {
    requires transitive dev.colony.core;
    requires tools.jackson.databind;
    requires dev.colony.wasm; // the plugins scenario's filters (ADR 0032)
    requires dev.colony.server; // the serve scenario: colony serve's HTTP door (issue 17)
    requires transitive HdrHistogram;
    requires java.management; // RunEnvironment records JVM flags and the load average

    exports dev.colony.validation;
    exports dev.colony.validation.scenarios;
    exports dev.colony.validation.report;

    opens dev.colony.validation to
            tools.jackson.databind;
    opens dev.colony.validation.scenarios to
            tools.jackson.databind;
}
