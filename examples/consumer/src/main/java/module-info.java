/** A program that uses Colony as a library, built against the installed artifacts by scripts/consumer-test. */
module colony.consumer {
    requires dev.colony.core;
}
