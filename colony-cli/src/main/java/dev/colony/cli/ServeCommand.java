package dev.colony.cli;

import dev.colony.Colony;
import dev.colony.cli.args.RedisUri;
import dev.colony.server.ColonyServer;
import dev.colony.server.ServerLimits;
import dev.colony.server.Tls;
import dev.colony.server.auth.Guard;
import dev.colony.server.mcp.McpEndpoint;
import dev.colony.state.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code colony serve}: one colony behind the HTTP/JSON and SSE API ({@code docs/serve.md}) until the
 * process is stopped (SIGINT/SIGTERM close the server, then the colony, so every acknowledged operation
 * is in the journal). Embedded by default, durable under {@code --data}; with {@code --redis} the server
 * keeps no state of its own (the token file still lives under {@code --data}); its password comes from
 * {@code --password-file} or the environment, never from the URI (see {@link RedisUri#resolve}).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a colony over HTTP/JSON and SSE (docs/serve.md) until stopped.",
            "Loopback only by default; a non-loopback bind needs --tls-cert/--tls-key or --allow-insecure-bind.",
            "",
            "Exit code 0 after a clean stop, 1 if the server could not start, 2 on a usage error."
        })
public final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port, 0 for any (default: ${DEFAULT-VALUE}).")
    int port = 7070;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Journal, snapshots, token file, dashboard history (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("colony-data");

    @CommandLine.Mixin
    RedisOptions redis; // --redis, --swarm, --password-file

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) for HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Unencrypted PKCS#8 private key (PEM) for HTTPS.")
    Path tlsKey;

    @Option(
            names = "--allow-insecure-bind",
            description = "Allow a non-loopback bind without TLS (tokens cross the network in clear text).")
    boolean allowInsecureBind;

    @Option(
            names = "--allow-origin",
            paramLabel = "ORIGIN",
            description = "A browser origin allowed besides the same origin (repeatable).")
    List<String> origins = List.of();

    @Option(
            names = "--max-body",
            paramLabel = "BYTES",
            description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
    int maxBody = ServerLimits.DEFAULT_MAX_BODY_BYTES;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "DURATION",
            description = "Snapshot interval of the embedded state, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration checkpointEvery = Duration.ofMinutes(1);

    @Override
    public Integer call() throws Exception {
        ServerLimits limits = checkOptions();
        Tls tls = tlsCert == null ? null : tls();
        Files.createDirectories(data);
        Colony colony = redis.given()
                ? redis.connect(spec)
                : Colony.builder()
                        .durability(Durability.in(data.resolve("state")))
                        .build();
        ColonyServer server;
        try {
            ColonyServer.Builder builder = ColonyServer.builder()
                    .port(port)
                    .bind(bind)
                    .colony(colony)
                    .guard(Guard.open(data, colony.bus()))
                    .limits(limits)
                    .allowInsecureBind(allowInsecureBind)
                    .checkpointEvery(checkpointEvery)
                    .dashboardHistory(data.resolve("dashboard-series")) // the overview chart across restarts
                    .endpoint(McpEndpoint::create) // MCP at /mcp (ADR 0046)
                    .statelessMcp(redis.given()); // no MCP sessions: any server behind a balancer answers
            origins.forEach(builder::allowOrigin);
            if (tls != null) {
                builder.tls(tls);
            }
            server = builder.build().start();
        } catch (RuntimeException e) {
            colony.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            colony.close();
                            stopped.countDown();
                        },
                        "colony-serve-stop"));
        spec.commandLine()
                .getOut()
                .println("colony serve: listening on " + server.uri() + " ("
                        + (redis.given() ? "swarm " + redis.swarm + " in redis" : "data in " + data.toAbsolutePath())
                        + ")");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    private ServerLimits checkOptions() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw usage(
                    "--tls-cert and --tls-key go together; got only " + (tlsCert == null ? "--tls-key" : "--tls-cert"));
        }
        if (port < 0 || port > 65_535) {
            throw usage("--port must be from 0 to 65535, got " + port);
        }
        if (tlsCert == null && !allowInsecureBind && !isLoopback()) {
            throw usage("--bind " + bind + " is not loopback: give --tls-cert/--tls-key, or --allow-insecure-bind"
                    + " to send tokens in clear text");
        }
        if (redis.given()) { // a usage error for --swarm or --password-file without --redis
            redis.resolve(spec); // usage errors for the URI, swarm and password before anything is created
        }
        if (checkpointEvery.isNegative() || checkpointEvery.isZero()) {
            throw usage("--checkpoint-every must be positive, got " + checkpointEvery);
        }
        try {
            return ServerLimits.defaults().withMaxBodyBytes(maxBody);
        } catch (IllegalArgumentException e) {
            throw usage("--max-body: " + e.getMessage());
        }
    }

    private boolean isLoopback() {
        try {
            return bind.equalsIgnoreCase("localhost")
                    || java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw usage("--bind " + bind + " does not resolve");
        }
    }

    private Tls tls() {
        try {
            return Tls.pem(tlsCert, tlsKey);
        } catch (IllegalArgumentException e) {
            throw usage("--tls-cert/--tls-key: " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
