package dev.colony.server.mcp;

import java.util.Map;

/**
 * A tool call that did not do what it was asked: its result is an MCP tool error ({@code isError: true})
 * carrying Colony's outcome code ({@code STALE_LEASE}, {@code CAS_CONFLICT}, {@code FORBIDDEN}...), a detail a
 * model can act on, and optional extra members (such as the current entry of a CAS conflict).
 */
final class ToolError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final transient Map<String, Object> extra;

    ToolError(String code, String detail, Map<String, Object> extra) {
        super(detail, null, false, false);
        this.code = code;
        this.extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    static ToolError badArgument(String detail) {
        return new ToolError("BAD_REQUEST", detail, Map.of());
    }

    String code() {
        return code;
    }

    Map<String, Object> extra() {
        return extra;
    }
}
