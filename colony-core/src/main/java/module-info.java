/** Colony's API and its embedded implementation. */
module dev.colony.core {
    requires HdrHistogram;

    exports dev.colony;
    exports dev.colony.bus;
    exports dev.colony.metrics;
}
