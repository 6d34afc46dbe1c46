/** Colony's API and its embedded implementation. */
module dev.colony.core {
    requires HdrHistogram;
    requires tools.jackson.databind;
    requires tools.jackson.module.blackbird;

    exports dev.colony;
    exports dev.colony.bus;
    exports dev.colony.messaging;
    exports dev.colony.metrics;
    exports dev.colony.state;
}
