package dev.colony.validation.scenarios;

import dev.colony.validation.Measurement;
import dev.colony.validation.ScenarioResult;
import dev.colony.validation.Spread;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the Redis scenarios of {@code colony bench --redis} run: the server of the URI, and a fresh swarm
 * per scenario named after the URI's swarm ({@code <swarm>-bench-<epochmillis>-<scenario>}). The colony
 * nodes talk to Redis through the public API only; {@code redis-benchmark} (the same-run baseline) and
 * {@code redis-cli} (to delete the fresh swarm's keys afterwards) are run as processes when they are on
 * the PATH.
 *
 * @param host the server's host
 * @param port the server's port
 * @param swarm the URI's swarm, the stem of the scenarios' swarms
 * @param password the URI's password, or null
 * @param size units of work per iteration for every scenario, or 0 for each scenario's default
 * @param quick smaller default sizes
 */
public record RedisBench(String host, int port, String swarm, String password, int size, boolean quick) {
    private static final Pattern SWARM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern RPS = Pattern.compile("([0-9]+(?:\\.[0-9]+)?) requests per second");

    /** Reads {@code redis://[:password@]host[:port]/swarm}; a clear message when it is not one. */
    public static RedisBench parse(String uri, int size, boolean quick) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--redis must be redis://host:port/swarm, got '" + masked(uri) + "'");
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
        if (!"redis".equals(parsed.getScheme())
                || parsed.getHost() == null
                || !SWARM.matcher(path).matches()) {
            throw new IllegalArgumentException("--redis must be redis://host:port/swarm (swarm: 1 to 64 of"
                    + " [A-Za-z0-9_-]), got '" + masked(uri) + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("--redis-size must be 0 or more, got " + size);
        }
        String password = null;
        if (parsed.getUserInfo() != null) {
            String info = parsed.getUserInfo();
            password = info.substring(info.indexOf(':') + 1);
        }
        return new RedisBench(
                parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort(), path, password, size, quick);
    }

    /** {@code uri} with the password of its user info, if any, replaced by {@code ****}. */
    static String masked(String uri) {
        int start = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (start < 0 || at < start) {
            return uri;
        }
        String info = uri.substring(start + 3, at);
        int colon = info.indexOf(':');
        String user = colon < 0 ? "" : info.substring(0, colon + 1);
        return uri.substring(0, start + 3) + user + "****" + uri.substring(at);
    }

    /** The {@code baseline} detail of a Redis scenario without redis-benchmark. */
    static final String NO_BASELINE = "none: redis-benchmark is not on the PATH or failed";

    /** Whether redis-cli runs, to delete a swarm's keys. */
    boolean hasCli() {
        return run(List.of("redis-cli", "--version"), 10).isPresent();
    }

    /** Units per iteration: {@code --redis-size} when given, else the scenario's default or quick size. */
    int size(int normal, int small) {
        return size > 0 ? size : quick ? small : normal;
    }

    /** A fresh swarm for one scenario run, within the 64 characters a swarm may have. */
    String freshSwarm(String scenario) {
        String suffix = "-bench-" + System.currentTimeMillis() + "-" + scenario;
        String stem = swarm.length() + suffix.length() > 64 ? swarm.substring(0, 64 - suffix.length()) : swarm;
        return stem + suffix;
    }

    /** A colony builder for {@code swarmName} on this server (the swarm is no longer the URI's path: ADR 0034). */
    dev.colony.Colony.Builder colony(String swarmName) {
        return dev.colony.Colony.builder().redis(uri()).swarm(swarmName);
    }

    /** {@code redis://[:password@]host:port} of this server, with the password if any (never print it). */
    String uri() {
        String auth = password == null
                ? ""
                : ":"
                        + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8)
                                .replace("+", "%20") + "@";
        return "redis://" + auth + host + ":" + port;
    }

    /** The key prefix of a swarm (docs/redis-protocol.md, Naming). */
    static String prefix(String swarmName) {
        return "colony:{" + swarmName + "}:";
    }

    /**
     * Runs {@code redis-benchmark -P 16 -n requests -q <command>} against this server and returns its own
     * requests-per-second figure, or empty when redis-benchmark is not on the PATH or failed.
     */
    Optional<Double> redisBenchmark(int requests, String... command) {
        List<String> args = new ArrayList<>(List.of(
                "redis-benchmark", "-h", host, "-p", String.valueOf(port), "-P", "16", "-n", String.valueOf(requests)));
        if (password != null) {
            args.addAll(List.of("-a", password));
        }
        args.add("-q");
        args.addAll(List.of(command));
        return run(args, 300).flatMap(out -> {
            Matcher m = RPS.matcher(out);
            Double last = null;
            while (m.find()) {
                last = Double.parseDouble(m.group(1));
            }
            return Optional.ofNullable(last);
        });
    }

    /** The redis-benchmark command line, for the report. */
    String benchmarkCommand(int requests, String command) {
        return "redis-benchmark -h " + host + " -p " + port + " -P 16 -n " + requests + " -q " + command;
    }

    /**
     * Deletes every key of {@code swarmName} with redis-cli (SCAN, then DEL in batches); returns how many were
     * deleted, or -1 when redis-cli is not on the PATH or failed (the keys are then left in Redis).
     */
    long deleteKeys(String swarmName) {
        List<String> scan = new ArrayList<>(cli());
        scan.addAll(List.of("--scan", "--pattern", prefix(swarmName) + "*"));
        Optional<String> keys = run(scan, 60);
        if (keys.isEmpty()) {
            return -1;
        }
        List<String> all =
                keys.get().lines().filter(k -> !k.isBlank()).distinct().toList();
        for (int from = 0; from < all.size(); from += 500) {
            List<String> del = new ArrayList<>(cli());
            del.add("DEL");
            del.addAll(all.subList(from, Math.min(all.size(), from + 500)));
            if (run(del, 60).isEmpty()) {
                return -1;
            }
        }
        return all.size();
    }

    private List<String> cli() {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-h", host, "-p", String.valueOf(port)));
        if (password != null) {
            args.addAll(List.of("--no-auth-warning", "-a", password));
        }
        return args;
    }

    /** Runs a process and returns its standard output, or empty when it cannot start or exits non-zero. */
    private static Optional<String> run(List<String> args, int timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(args)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * redis-benchmark's figures as a same-run baseline: one run per measured iteration, each of {@code
     * requests} requests; empty when it is missing or failed.
     */
    Optional<ScenarioResult.Baseline> baseline(
            String name, String what, int iterations, int requests, double colonyThroughput, String... command) {
        List<Double> rps = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            Optional<Double> one = redisBenchmark(requests, command);
            if (one.isEmpty()) {
                return Optional.empty();
            }
            rps.add(one.get());
        }
        double median = Spread.of(rps, 0).median();
        return Optional.of(new ScenarioResult.Baseline(
                name,
                what,
                requests,
                Measurement.round(median),
                rps,
                null,
                new ScenarioResult.Verified(0, 0), // redis-benchmark counts its own requests and checks nothing
                Measurement.round(colonyThroughput / median)));
    }

    /** A payload of exactly {@code bytes} characters that starts with {@code head} and is padded with 'x'. */
    static String padded(String head, int bytes) {
        if (head.length() > bytes) {
            throw new IllegalArgumentException("payload head longer than " + bytes);
        }
        return head + "x".repeat(bytes - head.length());
    }

    /** Waits until {@code done} holds, at most {@code seconds}; whether it held. Yields, never spins hot. */
    static boolean await(java.util.function.BooleanSupplier done, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(0, 200_000);
        }
        return true;
    }
}
