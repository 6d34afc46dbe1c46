package dev.colony.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The only functions a plugin may import: {@code colony.log(level, ptr, len)} and {@code colony.now_ms()}.
 *
 * <p>A log line is cut to {@value #MAX_LOG_BYTES} bytes and goes to the {@code dev.colony.wasm} logger with
 * the plugin's name; level 0 is DEBUG, 1 INFO, 2 WARNING, 3 and more ERROR. A pointer outside the
 * instance's memory traps the call, as any bad access does.
 */
final class HostImports {
    static final int MAX_LOG_BYTES = 1024;
    private static final System.Logger LOG = System.getLogger("dev.colony.wasm");

    private HostImports() {}

    static ImportValues of(String plugin, LongAdder logLines) {
        HostFunction log = new HostFunction(
                "colony",
                "log",
                FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32), List.of()),
                (instance, args) -> {
                    int len = (int) Math.min(Math.max(args[2], 0), MAX_LOG_BYTES);
                    String text = instance.memory().readString((int) args[1], len);
                    logLines.increment();
                    LOG.log(level((int) args[0]), "plugin " + plugin + ": " + text);
                    return null;
                });
        HostFunction now = new HostFunction(
                "colony", "now_ms", FunctionType.of(List.of(), List.of(ValType.I64)), (instance, args) ->
                        new long[] {System.currentTimeMillis()});
        return ImportValues.builder().addFunction(log, now).build();
    }

    private static System.Logger.Level level(int level) {
        return switch (level) {
            case 0 -> System.Logger.Level.DEBUG;
            case 1 -> System.Logger.Level.INFO;
            case 2 -> System.Logger.Level.WARNING;
            default -> System.Logger.Level.ERROR;
        };
    }
}
