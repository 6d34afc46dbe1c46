package dev.colony.wasm;

/**
 * A failed plugin call inside the host: its kind and a detail. Thrown and caught between a
 * {@link PluginVersion} and the binding that applies its {@link FailurePolicy}; never escapes to users.
 * Carries no stack trace, since failures may be frequent and the trace would only show the host.
 */
final class CallFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final CallError error;

    CallFailure(CallError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }
}
