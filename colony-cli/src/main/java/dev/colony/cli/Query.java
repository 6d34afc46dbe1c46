package dev.colony.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Small pieces the operator commands share: a query string, a JSON argument, and printing a result. */
final class Query {
    private Query() {}

    /** {@code ?name=value&...} of the pairs whose value is not null, or the empty string. */
    static String of(String... namesAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                query.append(query.isEmpty() ? '?' : '&')
                        .append(namesAndValues[i])
                        .append('=')
                        .append(ServerClient.encode(namesAndValues[i + 1]));
            }
        }
        return query.toString();
    }

    /** {@code text} parsed as JSON, or a usage error quoting it. */
    static JsonNode json(CommandLine commandLine, String what, String text) {
        try {
            return ServerClient.JSON.readTree(text);
        } catch (JacksonException e) {
            throw ServerOptions.usage(
                    commandLine,
                    what + " must be JSON (quote a string as '\"text\"'), got '" + text + "': "
                            + e.getOriginalMessage());
        }
    }

    /** Prints {@code text} and a newline on standard output; returns 0. */
    static int print(CommandLine.Model.CommandSpec spec, String text) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(text);
        out.flush();
        return 0;
    }
}
