/**
 * The plugins benchmark: what a WebAssembly plugin costs beside the same logic in Java, measured in the
 * same run ({@link dev.colony.wasm.bench.PluginsScenario}), for {@code colony plugin bench}, the JMH
 * benchmarks in colony-bench and a later {@code colony bench --scenario plugins}.
 */
package dev.colony.wasm.bench;
