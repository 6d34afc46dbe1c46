package dev.colony.cli;

import dev.colony.server.auth.TokenInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The table {@code colony token list} prints: one row per token, never a secret or a hash. */
final class TokenTable {
    private static final String[] HEADER = {
        "NAME", "ACCOUNT", "ROLE", "AGENT", "ALLOW", "DENY", "CREATED", "EXPIRES", "STATUS"
    };

    private TokenTable() {}

    static String render(List<TokenInfo> tokens, Instant now) {
        if (tokens.isEmpty()) {
            return "no tokens\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TokenInfo t : tokens) {
            rows.add(new String[] {
                t.name(),
                t.account(),
                t.admin() ? "admin" : "-",
                t.agent().orElse("-"),
                t.allow().isEmpty() ? "-" : String.join(",", t.allow()),
                t.deny().isEmpty() ? "-" : String.join(",", t.deny()),
                t.created().truncatedTo(ChronoUnit.SECONDS).toString(),
                t.expires()
                        .map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString())
                        .orElse("never"),
                t.status(now)
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                table.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            table.append('\n');
        }
        return table.toString();
    }
}
