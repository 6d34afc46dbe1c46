/** WebAssembly plugins for Colony: sandboxed, metered, hot-swappable user logic (ADR 0032, ADR 0033). */
module dev.colony.wasm {
    requires transitive dev.colony.core;
    requires com.dylibso.chicory.runtime;
    requires com.dylibso.chicory.compiler;
    requires tools.jackson.databind;

    exports dev.colony.wasm;
    exports dev.colony.wasm.bench;
}
