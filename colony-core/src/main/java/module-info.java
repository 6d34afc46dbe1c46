/** Colony's API and its embedded implementation. */
module dev.colony.core {
    requires HdrHistogram;
    requires tools.jackson.databind;

    exports dev.colony;
    exports dev.colony.bus;
    exports dev.colony.messaging;
    exports dev.colony.metrics;
}
