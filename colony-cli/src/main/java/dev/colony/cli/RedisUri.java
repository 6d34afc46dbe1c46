package dev.colony.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Checks a {@code --redis} URI before anything connects: {@code redis://[[user]:password@]host[:port][/swarm]},
 * a port 1 to 65535, a swarm of 1 to 64 of {@code [A-Za-z0-9_-]}. {@code rediss://} (TLS) is not supported
 * yet. A bad URI is a usage error whose message quotes the URI with its password masked.
 */
public final class RedisUri {
    private static final Pattern SWARM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private RedisUri() {}

    /**
     * Checks {@code uri}, the value of {@code option}.
     *
     * @param swarmRequired whether the URI must name a swarm
     * @throws CommandLine.ParameterException naming what is wrong, with the password masked
     */
    public static void check(CommandLine.Model.CommandSpec spec, String option, String uri, boolean swarmRequired) {
        String problem = problem(uri, swarmRequired);
        if (problem != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    option + " " + problem
                            + ": expected redis://host:port/swarm (port optional, :password@ before the host if needed), got '"
                            + Secrets.maskUri(uri) + "'");
        }
    }

    /** What is wrong with {@code uri}, or null. */
    static String problem(String uri, boolean swarmRequired) {
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        if ("rediss".equalsIgnoreCase(parsed.getScheme())) {
            return "uses TLS (rediss://), which is not supported yet";
        }
        if (!"redis".equalsIgnoreCase(parsed.getScheme())) {
            return "is not a redis:// URI";
        }
        if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            return "has no valid host or port";
        }
        if (parsed.getPort() == 0 || parsed.getPort() > 65_535) {
            return "has a port outside 1..65535";
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
        if (path.isEmpty() ? swarmRequired : !SWARM.matcher(path).matches()) {
            return "needs a swarm name of 1 to 64 of [A-Za-z0-9_-]";
        }
        if (parsed.getQuery() != null || parsed.getFragment() != null) {
            return "has a query or fragment";
        }
        return null;
    }
}
