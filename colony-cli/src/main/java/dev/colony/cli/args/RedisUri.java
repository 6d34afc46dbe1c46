package dev.colony.cli.args;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Checks a {@code --redis} URI before anything connects, and adds a password kept off the command line.
 *
 * <p>Server URIs (ADR 0034): {@code redis://[[user]:password@]host[:port][/database][?timeout=5s&...]},
 * {@code rediss://} for TLS, {@code redis-sentinel://host:26379[,host2:26379][/database]#master}; the swarm is
 * given with {@code --swarm}. A URI whose path is not a database number (the old form, where the path was the
 * swarm) is a usage error that says to use {@code --swarm}. The backend checks the rest (parameters, ports).
 *
 * <p>A password never needs to be on a command line: {@link #withPassword} takes it from a file or from the
 * environment ({@value #PASSWORD_ENV}, or redis-cli's {@value #REDISCLI_AUTH}) and puts it into the URI that
 * is handed to the client, percent-encoded. Every message quotes the URI with its password masked.
 */
public final class RedisUri {
    /** The environment variable a Redis password is read from. */
    public static final String PASSWORD_ENV = "COLONY_REDIS_PASSWORD";
    /** redis-cli's environment variable for the password, read when {@value #PASSWORD_ENV} is not set. */
    public static final String REDISCLI_AUTH = "REDISCLI_AUTH";

    private static final Pattern SWARM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DATABASE = Pattern.compile("[0-9]{1,9}");

    private RedisUri() {}

    /**
     * Checks a server URI, the value of {@code option}.
     *
     * @throws CommandLine.ParameterException naming what is wrong, with the password masked
     */
    public static void check(CommandLine.Model.CommandSpec spec, String option, String uri) {
        String problem = serverProblem(uri);
        if (problem != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    option + " " + problem
                            + ": expected redis://[user@]host[:port][/database] (or rediss://, redis-sentinel://)"
                            + " and the swarm in --swarm, got '" + Secrets.maskUri(uri) + "'");
        }
    }

    /**
     * Checks a swarm name, the value of {@code option}.
     *
     * @throws CommandLine.ParameterException quoting it unless it is 1 to 64 of {@code [A-Za-z0-9_-]}
     */
    public static void checkSwarm(CommandLine.Model.CommandSpec spec, String option, String swarm) {
        if (swarm == null || !SWARM.matcher(swarm).matches()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), option + " must be 1 to 64 of [A-Za-z0-9_-], got '" + swarm + "'");
        }
    }

    /**
     * The legacy check of {@code colony bench --redis} ({@code redis://[:password@]host[:port]/swarm}, the path
     * the stem of the bench's fresh swarms), kept while the bench moves to its own module.
     *
     * @param swarmRequired whether the URI must name a swarm
     * @throws CommandLine.ParameterException naming what is wrong, with the password masked
     */
    public static void check(CommandLine.Model.CommandSpec spec, String option, String uri, boolean swarmRequired) {
        String problem = legacyProblem(uri, swarmRequired);
        if (problem != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    option + " " + problem
                            + ": expected redis://host:port/swarm (port optional, :password@ before the host if needed), got '"
                            + Secrets.maskUri(uri) + "'");
        }
    }

    /**
     * The URI a command connects with, from its {@code --redis}, {@code --swarm} and {@code --password-file}:
     * both checked ({@link #check}, {@link #checkSwarm}), a password inside {@code uri} refused (it would be
     * visible to other users of the machine), then the password of the file or the environment added ({@link
     * #withPassword}). Every command that takes {@code --redis URI --swarm NAME} resolves it here.
     *
     * @throws CommandLine.ParameterException naming what is wrong, with the password masked
     */
    public static String resolve(
            CommandLine.Model.CommandSpec spec, String uri, String swarm, Path passwordFile, Map<String, String> env) {
        check(spec, "--redis", uri);
        checkSwarm(spec, "--swarm", swarm);
        if (uri.substring(uri.indexOf("://") + 3).matches("[^/@]*:[^/@]*@.*")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--redis must not hold a password (it would be visible to other users): use --password-file or $"
                            + PASSWORD_ENV + ", got '" + Secrets.maskUri(uri) + "'");
        }
        return withPassword(spec, uri, passwordFile, env);
    }

    /**
     * {@code uri} with the password of {@code passwordFile} (its first line), else of the environment, put in
     * its user info; {@code uri} unchanged when there is neither.
     *
     * @throws CommandLine.ParameterException if the URI holds a password too, or the file cannot be read
     */
    public static String withPassword(
            CommandLine.Model.CommandSpec spec, String uri, Path passwordFile, Map<String, String> env) {
        String password = null;
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--password-file '" + passwordFile + "' cannot be read: " + e);
            }
        } else if (env.get(PASSWORD_ENV) != null) {
            password = env.get(PASSWORD_ENV);
        } else if (env.get(REDISCLI_AUTH) != null) {
            password = env.get(REDISCLI_AUTH);
        }
        if (password == null) {
            return uri;
        }
        int start = uri.indexOf("://") + 3;
        int at = uri.lastIndexOf('@');
        String user = at < start ? "" : uri.substring(start, at);
        if (user.contains(":")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--redis holds a password and a password file or environment variable is set too: keep the"
                            + " password out of the URI, got '" + Secrets.maskUri(uri) + "'");
        }
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
        return uri.substring(0, start) + user + ":" + encoded + "@" + uri.substring(at < start ? start : at + 1);
    }

    /** What is wrong with a server URI, or null. */
    static String serverProblem(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("redis-sentinel")) {
            return "is not a redis://, rediss:// or redis-sentinel:// URI";
        }
        if (!scheme.equals("redis-sentinel")) {
            if (parsed.getHost() == null || parsed.getHost().isBlank()) {
                return "has no valid host or port";
            }
            if (parsed.getPort() == 0 || parsed.getPort() > 65_535) {
                return "has a port outside 1..65535";
            }
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
        if (!path.isEmpty() && !DATABASE.matcher(path).matches()) {
            return "has the path '/" + path + "', which must be a database number: name the swarm with --swarm "
                    + (SWARM.matcher(path).matches() ? path : "NAME") + " instead (ADR 0034)";
        }
        return null;
    }

    /** What is wrong with a legacy bench URI, or null. */
    static String legacyProblem(String uri, boolean swarmRequired) {
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            return "is not a URI";
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
