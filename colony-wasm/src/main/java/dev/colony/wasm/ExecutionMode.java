package dev.colony.wasm;

/** How a plugin's code runs. */
public enum ExecutionMode {
    /** Compiled to JVM bytecode once per module version at deploy: the default, about 100 times faster. */
    COMPILED,
    /** Chicory's interpreter: no compile step, for debugging and for comparison in benchmarks only. */
    INTERPRETED
}
