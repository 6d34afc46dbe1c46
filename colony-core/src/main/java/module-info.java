/** Colony's API and its embedded implementation. */
module dev.colony.core {
    requires HdrHistogram;
    requires org.lz4.java;
    requires tools.jackson.databind;
    requires tools.jackson.module.blackbird;

    exports dev.colony;
    exports dev.colony.agent;
    exports dev.colony.bus;
    exports dev.colony.messaging;
    exports dev.colony.metrics;
    exports dev.colony.snapshot;
    exports dev.colony.state;

    uses dev.colony.ColonyBackend;
}
