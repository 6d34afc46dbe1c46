package dev.colony.wasm;

/** The entry points of ABI v0; a module exports one or more of them. */
public enum PluginKind {
    /** {@code colony_filter(subject_len, payload_len) -> i32}: 1 accept, 0 reject, negative error. */
    FILTER("colony_filter"),
    /** {@code colony_transform(subject_len, payload_len) -> i64}: {@code ptr << 32 | len}, -1 reject, -2 unchanged. */
    TRANSFORM("colony_transform"),
    /** {@code colony_score(task_len, n) -> i32}: 0 with {@code n} f64 scores at the input, negative error. */
    SCORE("colony_score");

    private final String export;

    PluginKind(String export) {
        this.export = export;
    }

    /** The name of the exported function. */
    public String export() {
        return export;
    }
}
