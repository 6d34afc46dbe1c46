package dev.colony.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The state's Lua scripts: each is {@code state_common.lua} followed by its own file (resources in
 * {@code dev/colony/redis}), run with EVALSHA on the state's one connection. A script unknown to the
 * server (NOSCRIPT: it restarted, or SCRIPT FLUSH ran) is sent again with EVAL, which also caches it.
 *
 * <p>Script errors with a {@code COLONY_} code become Java exceptions: {@code COLONY_STATE} an
 * {@link IllegalStateException}, {@code COLONY_NOTFOUND} a {@link NoSuchElementException},
 * {@code COLONY_CORRUPT} (and any other script failure, such as WRONGTYPE on a key written by hand) a
 * {@link RedisStateException} naming the script.
 */
final class RedisStateScripts {
    static final List<String> NAMES = List.of(
            "agent_register",
            "agent_heartbeat",
            "agent_transition",
            "agent_deregister",
            "agent_list",
            "task_submit",
            "task_submit_all",
            "task_claim",
            "task_claim_wait",
            "task_assign",
            "task_offer",
            "task_give",
            "task_renew",
            "task_complete",
            "task_complete_claim",
            "task_complete_claim_many",
            "task_fail",
            "task_cancel",
            "task_list",
            "leader_campaign",
            "leader_renew",
            "leader_resign",
            "memory_write",
            "memory_delete",
            "state_sweep",
            "state_snapshot",
            "state_restore");

    private record Script(String name, String source, String sha) {}

    /** How long a script call waits out a Redis Cluster slot move of its swarm (TRYAGAIN answers). */
    static final java.time.Duration MIGRATION_WAIT = java.time.Duration.ofSeconds(30);

    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final String[] keys;
    private final Map<String, Script> scripts = new HashMap<>();

    /** For tests that only read the sources: no anchor key. */
    RedisStateScripts(RedisClusterAsyncCommands<String, byte[]> commands, String prefix) {
        this(commands, prefix, null);
    }

    /**
     * The scripts of the state at {@code prefix} ({@code KEYS[1]}, never a key itself), declaring {@code anchor}
     * (another key of the swarm) as {@code KEYS[2]} when not null. Two declared keys, one of them always missing,
     * make every call a multi-key request with a missing key: while the swarm's Redis Cluster slot is being
     * moved, Redis answers it TRYAGAIN (or ASK, then TRYAGAIN from the importing master) before running it,
     * instead of running it by ASK on a master that has only part of the swarm (ADR 0074). Outside a move the
     * second key changes nothing; the scripts read {@code KEYS[1]} only.
     */
    RedisStateScripts(RedisClusterAsyncCommands<String, byte[]> commands, String prefix, String anchor) {
        this.commands = commands;
        this.keys = anchor == null ? new String[] {prefix} : new String[] {prefix, anchor};
        String common = resource("state_common");
        for (String name : NAMES) {
            String source = common + "\n" + resource(name);
            scripts.put(name, new Script(name, source, sha1(source)));
        }
    }

    /** Whether scripts run by FCALL of the library (else EVALSHA); set by {@link #load()}. */
    private volatile boolean functions;

    /**
     * Loads every script into the server's cache (optional: a missing one is sent on first use) and the
     * Functions library; the scripts then run by FCALL, or by EVALSHA when the server refused the library.
     */
    void load() {
        for (Script script : scripts.values()) {
            await(commands.scriptLoad(script.source()), script.name());
        }
        functions = RedisFunctions.load(commands);
    }

    /** Runs the scripts by EVALSHA from now on (for measuring one path against the other). */
    void useEvalsha() {
        functions = false;
    }

    /** Whether the scripts run by FCALL (the library is loaded) rather than EVALSHA. */
    boolean byFunctions() {
        return functions;
    }

    /** The full source of script {@code name} (the prelude and the script), as sent to Redis. */
    String source(String name) {
        return script(name).source();
    }

    /**
     * Runs script {@code name} with {@code args} (byte arrays as they are, anything else as UTF-8 text). While
     * the swarm's cluster slot is being moved (TRYAGAIN: Redis ran nothing) the call is repeated with growing
     * pauses for up to {@link #MIGRATION_WAIT}.
     */
    List<Object> run(String name, Object... args) {
        Script script = script(name);
        byte[][] values = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i] instanceof byte[] bytes
                    ? bytes
                    : String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
        }
        long deadline = System.nanoTime() + MIGRATION_WAIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(script, values);
            } catch (RedisStateException e) {
                if (!(e.getCause() instanceof RedisCommandExecutionException redis
                                && String.valueOf(redis.getMessage()).startsWith("TRYAGAIN"))
                        || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                pause(Math.min(5L * attempt, 200));
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisStateException("interrupted while waiting for a Redis Cluster slot move", e);
        }
    }

    private List<Object> runOnce(Script script, byte[][] values) {
        String name = script.name();
        if (functions) {
            try {
                return await(
                        commands.<List<Object>>fcall(
                                RedisFunctions.function(name), ScriptOutputType.MULTI, keys, values),
                        name);
            } catch (RedisStateException e) {
                if (!String.valueOf(e.getMessage()).contains("Function not found")) {
                    throw e;
                }
                // the server lost the library (restart without persistence, FUNCTION FLUSH): this call goes by
                // EVALSHA, the next ones by FCALL again if the server takes the library back
                functions = RedisFunctions.load(commands);
            }
        }
        return evalsha(script, values);
    }

    private List<Object> evalsha(Script script, byte[][] values) {
        String name = script.name();
        try {
            return await(commands.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, values), name);
        } catch (RedisNoScriptException e) {
            return await(commands.<List<Object>>eval(script.source(), ScriptOutputType.MULTI, keys, values), name);
        }
    }

    private Script script(String name) {
        Script script = scripts.get(name);
        if (script == null) {
            throw new IllegalArgumentException("no state script named " + name);
        }
        return script;
    }

    private static <T> T await(CompletionStage<T> stage, String name) {
        try {
            return stage.toCompletableFuture()
                    .get(RedisLink.MAX_COMMAND_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisStateException("interrupted while running state script " + name, e);
        } catch (TimeoutException e) {
            throw new RedisStateException("state script " + name + " got no reply in time", e);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), name);
        }
    }

    private static RuntimeException translate(Throwable cause, String name) {
        if (cause instanceof RedisNoScriptException noScript) {
            return noScript;
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (cause instanceof RedisCommandExecutionException) {
            if (message.startsWith("COLONY_STATE ")) {
                return new IllegalStateException(message.substring("COLONY_STATE ".length()));
            }
            if (message.startsWith("COLONY_ARG ")) {
                return new IllegalArgumentException(message.substring("COLONY_ARG ".length()));
            }
            if (message.startsWith("COLONY_NOTFOUND ")) {
                return new NoSuchElementException(message.substring("COLONY_NOTFOUND ".length()));
            }
            if (message.startsWith("COLONY_CORRUPT ")) {
                return new RedisStateException("corrupt coordination state in Redis: "
                        + message.substring("COLONY_CORRUPT ".length()) + " (script " + name + ")");
            }
            return new RedisStateException(
                    "state script " + name + " failed in Redis (is a key of the state corrupt?): " + message, cause);
        }
        return new RedisStateException("state script " + name + " failed: " + message, cause);
    }

    static String resource(String name) {
        String path = name + ".lua";
        try (InputStream in = RedisStateScripts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/colony/redis/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha1(String source) {
        try {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
