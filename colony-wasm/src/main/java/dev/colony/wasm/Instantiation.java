package dev.colony.wasm;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Makes instances of one plugin version: instantiates the module under its memory limits, checks the ABI
 * version and the input area, and configures the instance, all under a deadline (a start function or a
 * {@code colony_configure} that loops forever is interrupted like a call).
 */
final class Instantiation implements Supplier<PluginInstance> {
    /** Instantiating and configuring gets this many call deadlines, and at least {@value #MIN_SETUP_MILLIS} ms. */
    static final int SETUP_DEADLINES = 10;

    static final long MIN_SETUP_MILLIS = 100;

    private final CompiledPlugin compiled;
    private final ImportValues imports;
    private final MemoryLimits memoryLimits;
    private final byte[] config;
    private final Watchdog watchdog;
    private final long setupNanos;

    Instantiation(CompiledPlugin compiled, DeployOptions options, ImportValues imports, Watchdog watchdog) {
        this.compiled = compiled;
        this.imports = imports;
        this.watchdog = watchdog;
        this.config = options.config().getBytes(StandardCharsets.UTF_8);
        int max = compiled.info().declaredMaxPages() < 0
                ? options.limits().maxMemoryPages()
                : Math.min(compiled.info().declaredMaxPages(), options.limits().maxMemoryPages());
        this.memoryLimits = new MemoryLimits(compiled.info().initialPages(), max);
        this.setupNanos = setupNanos(options.limits());
    }

    /** The deadline of instantiating and configuring, and of an instance's first call. */
    static long setupNanos(PluginLimits limits) {
        return Math.max(limits.deadline().toNanos() * SETUP_DEADLINES, MIN_SETUP_MILLIS * 1_000_000);
    }

    /**
     * A configured instance.
     *
     * @throws DeployException ({@link DeployException.Reason#INSTANTIATE} or {@code EXPORT}) when the module
     *     cannot be instantiated or configured
     */
    @Override
    public PluginInstance get() {
        CallDeadline deadline = new CallDeadline();
        watchdog.watch(deadline);
        deadline.begin(System.nanoTime() + setupNanos);
        PluginInstance instance = null;
        DeployException failure = null;
        boolean late;
        try {
            instance = new PluginInstance(build());
            setup(instance);
        } catch (DeployException e) {
            failure = e;
        } catch (RuntimeException | StackOverflowError e) {
            failure = new DeployException(DeployException.Reason.INSTANTIATE, "instantiating the module failed: " + e);
        } finally {
            late = deadline.end();
            watchdog.unwatch(deadline);
        }
        if (late) {
            throwLate(); // whatever happened, the setup did not finish in time
        }
        if (failure != null) {
            throw failure;
        }
        return instance;
    }

    private void throwLate() {
        throw new DeployException(
                DeployException.Reason.INSTANTIATE,
                "instantiating or configuring the module took longer than " + setupNanos / 1_000_000 + " ms");
    }

    private Instance build() {
        Instance.Builder builder =
                Instance.builder(compiled.module()).withImportValues(imports).withMemoryLimits(memoryLimits);
        if (compiled.machines() != null) {
            builder.withMachineFactory(compiled.machines());
        }
        return builder.build();
    }

    private void setup(PluginInstance instance) {
        long abi = instance.instance.export("colony_abi_version").apply()[0];
        if (abi != 0) {
            throw new DeployException(
                    DeployException.Reason.EXPORT, "colony_abi_version() returned " + abi + ", this host speaks ABI 0");
        }
        int input = (int) instance.instance.export("colony_input").apply()[0];
        int capacity = (int) instance.instance.export("colony_input_capacity").apply()[0];
        long end = (long) input + capacity;
        long memoryBytes = (long) instance.memory.pages() * PluginLimits.PAGE_BYTES;
        if (input < 0 || capacity < 0 || end > memoryBytes) {
            throw new DeployException(
                    DeployException.Reason.EXPORT,
                    "the input area [" + input + ", " + end + ") is not inside the instance's memory of " + memoryBytes
                            + " bytes");
        }
        instance.input = input;
        instance.capacity = capacity;
        if (config.length > capacity) {
            throw new DeployException(
                    DeployException.Reason.INSTANTIATE,
                    "the configuration is " + config.length + " bytes, the input area holds " + capacity);
        }
        instance.memory.write(input, config);
        long configured = instance.instance.export("colony_configure").apply(config.length)[0];
        if ((int) configured < 0) {
            throw new DeployException(
                    DeployException.Reason.INSTANTIATE, "colony_configure returned " + (int) configured);
        }
        var flags = instance.instance.module().exportSection();
        for (int i = 0; i < flags.exportCount(); i++) {
            if (flags.getExport(i).name().equals("colony_flags")) {
                instance.flags = (int) instance.instance.export("colony_flags").apply()[0];
            }
        }
    }
}
