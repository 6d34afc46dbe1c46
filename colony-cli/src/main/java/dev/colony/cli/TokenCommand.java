package dev.colony.cli;

import dev.colony.server.auth.IssuedToken;
import dev.colony.server.auth.TokenInfo;
import dev.colony.server.auth.TokenSpec;
import dev.colony.server.auth.TokenStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code colony token}: creates, lists and revokes the bearer tokens of {@code colony serve}, in the tokens
 * file of its data directory (docs/serve.md, "Tokens and permissions"; ADR 0031). A running server picks up
 * every change within a second. Exit codes: 0 ok, 1 a bad or unreadable tokens file or no such token, 2 a
 * usage error. A malformed tokens file ({@link dev.colony.server.auth.TokenFileException}) reaches
 * {@link Main}'s failure handler, which prints its one line; the file is never rewritten then.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Creates, lists and revokes the bearer tokens of colony serve (stored hashed in DIR/tokens.json).",
            "",
            "A running server sees a change within a second. Exit code 0 on success, 1 when the tokens file is"
                    + " malformed or unreadable or the token does not exist, 2 on a usage error."
        },
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
    private static final Pattern SHORT_DURATION = Pattern.compile("([1-9][0-9]{0,8})([smhd])");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create, list or revoke");
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or an ISO-8601 duration ({@code P30D}, {@code PT12H}). */
    static Duration lifetime(CommandLine commandLine, String option, String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            Duration d = Duration.parse(text);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // falls through to the usage error, which says what is accepted
        }
        throw new CommandLine.ParameterException(
                commandLine,
                "invalid " + option + " \"" + text + "\": give a positive duration such as 30d, 12h, 90m, 45s or P30D");
    }

    /** The store of {@code data}, or a usage error when {@code data} exists and is not a directory. */
    static TokenStore store(CommandLine commandLine, Path data) {
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new CommandLine.ParameterException(commandLine, "--data " + data + " is not a directory");
        }
        return TokenStore.of(data);
    }

    /** A store that must already hold a tokens file; null after printing why not. */
    static TokenStore existing(CommandLine commandLine, Path data) {
        TokenStore store = store(commandLine, data);
        if (!store.exists()) {
            PrintWriter err = commandLine.getErr();
            err.printf(
                    "colony token: no tokens file %s (colony serve creates it on first start; so does colony token"
                            + " create)%n",
                    store.file());
            err.flush();
            return null;
        }
        return store;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates a token and prints its value once, on standard output (only its hash is stored).",
                "",
                "Examples:",
                "  colony token create --data DIR --name w1 --account acme --agent 'worker-*' --allow 'task.claim.>'",
                "  colony token create --data DIR --name ops --account acme --admin --expires 30d"
            })
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The server's data directory.")
        Path data;

        @Option(names = "--name", required = true, description = "The token's unique name ([A-Za-z0-9_-]{1,64}).")
        String name;

        @Option(names = "--account", required = true, description = "Its account ([A-Za-z0-9]{1,32}).")
        String account;

        @Option(
                names = "--allow",
                paramLabel = "PATTERN",
                description = "A permission it has, as a subject pattern over <action>.<resource>"
                        + " (pub.>, task.claim.render.*, memory.read.notes.>); repeatable.")
        List<String> allow = new ArrayList<>();

        @Option(
                names = "--deny",
                paramLabel = "PATTERN",
                description = "A permission it never has, whatever --allow says; repeatable.")
        List<String> deny = new ArrayList<>();

        @Option(
                names = "--agent",
                paramLabel = "GLOB",
                description = "The agent ids it may act as (* for any run of characters: worker-*).")
        String agent;

        @Option(names = "--admin", description = "It may do everything (no --allow, --deny or --agent).")
        boolean admin;

        @Option(names = "--expires", paramLabel = "DURATION", description = "Lifetime: 30d, 12h, 90m, 45s, P30D.")
        String expires;

        @Override
        public Integer call() {
            CommandLine commandLine = spec.commandLine();
            Optional<Duration> lifetime =
                    Optional.ofNullable(expires).map(text -> lifetime(commandLine, "--expires", text));
            if (!admin && allow.isEmpty() && agent == null) {
                throw new CommandLine.ParameterException(
                        commandLine, "give --allow, --agent or --admin: a token with none of them may do nothing");
            }
            TokenSpec tokenSpec;
            try {
                tokenSpec = new TokenSpec(name, account, admin, allow, deny, Optional.ofNullable(agent), lifetime);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
            TokenStore store = store(commandLine, data);
            IssuedToken issued;
            try {
                issued = store.create(tokenSpec);
            } catch (IllegalArgumentException e) { // an active token has this name: the store's state, not usage
                return fail(commandLine, e.getMessage());
            }
            commandLine.getOut().println(issued.secret());
            commandLine.getOut().flush();
            PrintWriter err = commandLine.getErr();
            err.printf(
                    "created token \"%s\" (account %s%s) in %s; this is the only time its value is shown%n",
                    issued.info().name(),
                    issued.info().account(),
                    issued.info()
                            .expires()
                            .map(at -> ", expires " + at.truncatedTo(ChronoUnit.SECONDS))
                            .orElse(""),
                    store.file());
            err.flush();
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the tokens (never their values): a table, or JSON with --json.")
    static final class ListTokens implements Callable<Integer> {
        private static final JsonMapper JSON =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The server's data directory.")
        Path data;

        @Option(names = "--json", description = "Print a JSON array instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            CommandLine commandLine = spec.commandLine();
            TokenStore store = existing(commandLine, data);
            if (store == null) {
                return 1;
            }
            List<TokenInfo> tokens = store.list();
            Instant now = Instant.now();
            PrintWriter out = commandLine.getOut();
            out.print(json ? JSON.writeValueAsString(json(tokens, now)) + "\n" : TokenTable.render(tokens, now));
            out.flush();
            return 0;
        }

        private static ArrayNode json(List<TokenInfo> tokens, Instant now) {
            ArrayNode array = JSON.createArrayNode();
            for (TokenInfo t : tokens) {
                ObjectNode n = array.addObject();
                n.put("name", t.name());
                n.put("id", t.id());
                n.put("account", t.account());
                n.put("admin", t.admin());
                t.allow().forEach(n.putArray("allow")::add);
                t.deny().forEach(n.putArray("deny")::add);
                n.put("agent", t.agent().orElse(null));
                n.put("created", t.created().toString());
                n.put("expires", t.expires().map(Instant::toString).orElse(null));
                n.put("revoked", t.revoked());
                n.put("status", t.status(now));
            }
            return array;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes the active token of this name; a running server refuses it within a second.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The server's data directory.")
        Path data;

        @Parameters(paramLabel = "NAME", description = "The token's name.")
        String name;

        @Override
        public Integer call() {
            CommandLine commandLine = spec.commandLine();
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new CommandLine.ParameterException(
                        commandLine, "invalid token name \"" + name + "\": names are 1-64 of [A-Za-z0-9_-]");
            }
            TokenStore store = existing(commandLine, data);
            if (store == null) {
                return 1;
            }
            if (!store.revoke(name)) {
                return fail(commandLine, "no active token named \"" + name + "\" in " + store.file());
            }
            commandLine.getOut().printf("revoked token \"%s\"%n", name);
            commandLine.getOut().flush();
            return 0;
        }
    }

    private static int fail(CommandLine commandLine, String message) {
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
        commandLine.getErr().flush();
        return 1;
    }
}
