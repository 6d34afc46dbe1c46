package dev.colony.wasm;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The static checks of ABI v0, run on a parsed module before anything is instantiated: imports, exports
 * and their types, and memory. Every refusal names the offending import, export or size.
 */
final class ModuleCheck {
    static final String LOG = "colony.log";
    static final String NOW_MS = "colony.now_ms";

    private static final FunctionType LOG_TYPE =
            FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32), List.of());
    private static final FunctionType NOW_TYPE = FunctionType.of(List.of(), List.of(ValType.I64));
    private static final FunctionType I32_RESULT = FunctionType.of(List.of(), List.of(ValType.I32));
    private static final FunctionType I64_RESULT = FunctionType.of(List.of(), List.of(ValType.I64));
    private static final FunctionType I32_TO_I32 = FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FunctionType TWO_I32_TO_I32 =
            FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
    private static final FunctionType TWO_I32_TO_I64 =
            FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I64));

    /** Required exports and their types. */
    static final Map<String, FunctionType> REQUIRED = Map.of(
            "colony_abi_version", I32_RESULT,
            "colony_input", I32_RESULT,
            "colony_input_capacity", I32_RESULT,
            "colony_configure", I32_TO_I32);

    /** Optional exports and their types. */
    static final Map<String, FunctionType> OPTIONAL = Map.of(
            "colony_flags",
            I32_RESULT,
            "colony_reason",
            I64_RESULT,
            PluginKind.FILTER.export(),
            TWO_I32_TO_I32,
            PluginKind.TRANSFORM.export(),
            TWO_I32_TO_I64,
            PluginKind.SCORE.export(),
            TWO_I32_TO_I32);

    private ModuleCheck() {}

    /** The lower-case hex sha256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Parses {@code bytes}, refusing what is not a WebAssembly module. */
    static WasmModule parse(byte[] bytes) {
        if (bytes.length < 8) {
            throw new DeployException(
                    DeployException.Reason.MALFORMED,
                    "not a WebAssembly module: " + bytes.length
                            + " bytes, a module has at least 8 (magic and version)");
        }
        try {
            return Parser.parse(bytes);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new DeployException(
                    DeployException.Reason.MALFORMED, "not a valid WebAssembly module: " + e.getMessage());
        }
    }

    /** What the module is, without judging it. */
    static PluginInfo inspect(byte[] bytes, WasmModule module) {
        List<String> imports = new ArrayList<>();
        module.importSection().stream().forEach(i -> imports.add(describe(i)));
        List<String> exports = new ArrayList<>();
        Set<PluginKind> kinds = EnumSet.noneOf(PluginKind.class);
        var section = module.exportSection();
        for (int i = 0; i < section.exportCount(); i++) {
            Export export = section.getExport(i);
            exports.add(export.name() + " (" + export.exportType().name().toLowerCase(java.util.Locale.ROOT) + ")");
            for (PluginKind kind : PluginKind.values()) {
                if (kind.export().equals(export.name()) && export.exportType() == ExternalType.FUNCTION) {
                    kinds.add(kind);
                }
            }
        }
        MemoryLimits memory = memory(module);
        return new PluginInfo(
                sha256(bytes),
                bytes.length,
                imports,
                exports,
                kinds,
                memory == null ? 0 : memory.initialPages(),
                memory == null || memory.maximumPages() >= MemoryLimits.MAX_PAGES ? -1 : memory.maximumPages());
    }

    /** Refuses a module that breaks ABI v0 or cannot fit {@code limits}. */
    static void check(WasmModule module, PluginInfo info, PluginLimits limits) {
        checkImports(module);
        checkExports(module);
        if (info.kinds().isEmpty()) {
            throw new DeployException(
                    DeployException.Reason.EXPORT,
                    "the module exports no entry point: it needs colony_filter, colony_transform or colony_score");
        }
        if (memory(module) == null) {
            throw new DeployException(
                    DeployException.Reason.MEMORY,
                    "the module defines no memory of its own (export one as \"memory\")");
        }
        if (info.initialPages() > limits.maxMemoryPages()) {
            throw new DeployException(
                    DeployException.Reason.MEMORY,
                    "the module's initial memory is " + info.initialPages() + " pages, over the limit of "
                            + limits.maxMemoryPages() + " pages (maxMemoryPages)");
        }
    }

    private static void checkImports(WasmModule module) {
        var section = module.importSection();
        for (int i = 0; i < section.importCount(); i++) {
            Import imp = section.getImport(i);
            String name = imp.module() + "." + imp.name();
            FunctionType expected = switch (name) {
                case LOG -> LOG_TYPE;
                case NOW_MS -> NOW_TYPE;
                default -> null;
            };
            if (expected == null || !(imp instanceof FunctionImport function)) {
                throw new DeployException(
                        DeployException.Reason.IMPORT,
                        "the module imports " + describe(imp) + ", which the host does not provide: only "
                                + "colony.log(i32 level, i32 ptr, i32 len) and colony.now_ms() -> i64 exist");
            }
            FunctionType actual = module.typeSection().getType(function.typeIndex());
            if (!actual.equals(expected)) {
                throw new DeployException(
                        DeployException.Reason.IMPORT,
                        "the module imports " + name + " as " + actual + ", the host provides " + expected);
            }
        }
    }

    private static void checkExports(WasmModule module) {
        Map<String, Export> exports = new java.util.HashMap<>();
        var section = module.exportSection();
        for (int i = 0; i < section.exportCount(); i++) {
            exports.put(section.getExport(i).name(), section.getExport(i));
        }
        Export memory = exports.get("memory");
        if (memory == null || memory.exportType() != ExternalType.MEMORY) {
            throw new DeployException(
                    DeployException.Reason.EXPORT, "the module does not export its memory as \"memory\"");
        }
        for (var required : REQUIRED.entrySet()) {
            checkFunction(module, exports.get(required.getKey()), required.getKey(), required.getValue(), true);
        }
        for (var optional : OPTIONAL.entrySet()) {
            checkFunction(module, exports.get(optional.getKey()), optional.getKey(), optional.getValue(), false);
        }
    }

    private static void checkFunction(
            WasmModule module, Export export, String name, FunctionType expected, boolean required) {
        if (export == null) {
            if (required) {
                throw new DeployException(
                        DeployException.Reason.EXPORT, "the module does not export " + name + " " + expected);
            }
            return;
        }
        if (export.exportType() != ExternalType.FUNCTION) {
            throw new DeployException(
                    DeployException.Reason.EXPORT,
                    "the module exports " + name + " as a "
                            + export.exportType().name().toLowerCase(java.util.Locale.ROOT)
                            + ", ABI v0 needs a function");
        }
        FunctionType actual = functionType(module, export.index());
        if (!actual.equals(expected)) {
            throw new DeployException(
                    DeployException.Reason.EXPORT,
                    "the module exports " + name + " as " + actual + ", ABI v0 needs " + expected);
        }
    }

    private static FunctionType functionType(WasmModule module, int index) {
        int imported = module.importSection().count(ExternalType.FUNCTION);
        if (index < imported) {
            int seen = 0;
            var section = module.importSection();
            for (int i = 0; i < section.importCount(); i++) {
                if (section.getImport(i) instanceof FunctionImport f && seen++ == index) {
                    return module.typeSection().getType(f.typeIndex());
                }
            }
        }
        return module.functionSection().getFunctionType(index - imported, module.typeSection());
    }

    /** The module's own memory's limits, or null when it defines none. */
    static MemoryLimits memory(WasmModule module) {
        return module.memorySection()
                .filter(s -> s.memoryCount() > 0)
                .map(s -> s.getMemory(0).limits())
                .orElse(null);
    }

    private static String describe(Import imp) {
        return imp.module() + "." + imp.name() + " (" + imp.importType().name().toLowerCase(java.util.Locale.ROOT)
                + ")";
    }
}
