package dev.colony.cli;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A plain-text table for people: a header row, then one row per item, columns padded to their widest cell. */
record TextTable(String[] header, List<String[]> rows) {
    TextTable(String... header) {
        this(header, new ArrayList<>());
    }

    TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    /** The table, or {@code empty} and a newline when it has no rows. */
    String render(String empty) {
        if (rows.isEmpty()) {
            return empty + "\n";
        }
        int[] widths = new int[header.length];
        List<String[]> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                table.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            table.append('\n');
        }
        return table.toString();
    }

    /** A member's text, or {@code -} when it is missing or null; arrays joined by commas. */
    static String cell(JsonNode node, String member) {
        JsonNode value = node.path(member);
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asString()));
            return items.isEmpty() ? "-" : String.join(",", items);
        }
        return value.isValueNode() ? value.asString() : value.toString();
    }
}
