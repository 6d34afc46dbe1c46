/**
 * WebAssembly plugins: user logic, written in any language that compiles to WebAssembly, that runs inside
 * Colony's paths, sandboxed, metered and hot-swappable.
 *
 * <p>{@link dev.colony.wasm.PluginHost} deploys modules that follow ABI v0 (docs/plugins.md) and hands
 * out bindings: a {@link dev.colony.wasm.SubscriptionFilter} for ASYNC bus subscriptions, a
 * {@link dev.colony.wasm.PluginCodec} that validates or rewrites the messenger's CloudEvents bytes, and a
 * {@link dev.colony.wasm.PluginScorer} for task assignment. On the JVM WebAssembly is a sandbox, not an
 * accelerator: see docs/benchmarks/plugins.md for what it costs.
 */
package dev.colony.wasm;
