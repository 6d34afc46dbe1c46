package dev.colony.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.function.Function;

/**
 * A parsed module and, when compiled, its machine factory (the module turned into JVM bytecode): made once
 * per module version and execution mode, at deploy, and shared by every instance and every plugin name
 * that deploys the same bytes.
 *
 * @param module the parsed module
 * @param info what it is
 * @param machines the compiled machine factory, or null for the interpreter
 * @param compileNanos how long compiling took (0 for the interpreter)
 */
record CompiledPlugin(WasmModule module, PluginInfo info, Function<Instance, Machine> machines, long compileNanos) {

    /** Compiles {@code module} (or not, for the interpreter), timing it. */
    static CompiledPlugin of(WasmModule module, PluginInfo info, ExecutionMode mode) {
        if (mode == ExecutionMode.INTERPRETED) {
            return new CompiledPlugin(module, info, null, 0);
        }
        long start = System.nanoTime();
        try {
            Function<Instance, Machine> machines = MachineFactoryCompiler.compile(module);
            return new CompiledPlugin(module, info, machines, System.nanoTime() - start);
        } catch (RuntimeException e) {
            throw new DeployException(DeployException.Reason.MALFORMED, "the module does not compile: " + e);
        }
    }
}
