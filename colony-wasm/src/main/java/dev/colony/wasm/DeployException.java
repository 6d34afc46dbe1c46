package dev.colony.wasm;

import java.util.Objects;

/**
 * A deploy or validation refused: the module, its checksum, its imports, exports or memory, the memory
 * budget, or its configuration. The message says what was wrong and quotes the offending value; the
 * previous version of the plugin, if any, keeps running.
 */
public final class DeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a deploy was refused. */
    public enum Reason {
        /** The bytes are not a WebAssembly module (bad magic, truncated, undecodable section). */
        MALFORMED,
        /** The bytes' sha256 differs from the one the caller expected. */
        CHECKSUM,
        /** The module imports something the host does not provide (only colony.log and colony.now_ms exist). */
        IMPORT,
        /** A required export is missing or has the wrong type, or the ABI version is not 0. */
        EXPORT,
        /** The module's memory is missing, imported, or larger than the limits allow. */
        MEMORY,
        /** The plugin's pools would exceed the host's plugin memory budget. */
        BUDGET,
        /** Instantiating or configuring an instance failed (start function trapped, configure returned a negative value). */
        INSTANTIATE,
        /** The host is closed. */
        CLOSED
    }

    private final Reason reason;

    /** A refusal for {@code reason}, explained by {@code message}. */
    public DeployException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the deploy was refused. */
    public Reason reason() {
        return reason;
    }
}
