/** The colony command line: bench, and later demo, snapshot tools and serve. */
module dev.colony.cli {
    requires dev.colony.core;
    requires info.picocli;
    requires tools.jackson.databind;
    requires HdrHistogram;

    opens dev.colony.cli to
            info.picocli;
    opens dev.colony.cli.bench to
            info.picocli,
            tools.jackson.databind;
}
