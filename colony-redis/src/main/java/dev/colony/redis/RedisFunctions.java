package dev.colony.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.AsyncNodeSelection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The coordination state's scripts as a Redis Functions library, so that a client in any language calls
 * them by name ({@code FCALL colony_task_claim 1 <S> <now> <agent> <lease>}) without shipping the Lua
 * source (docs/redis-protocol.md, "Functions"). Generated from the very files the EVALSHA path runs: the
 * helpers of {@code state_common.lua} once, then one function per script whose body is the script's file,
 * with {@code KEYS} and {@code ARGV} as its parameters, so both paths run the same code.
 *
 * <p>Named and versioned: library {@value #LIBRARY}; {@code FCALL colony_version 0} answers
 * {@code <layout>.<first 12 hex digits of the library's SHA-1>}. A Java node loads the library when it opens
 * the state if the server has none or another version ({@code FUNCTION LOAD REPLACE}) and then calls the
 * state's scripts by FCALL (ADR 0041); a server that refuses the load (an ACL without {@code FUNCTION}, a proxy)
 * is logged once and the node goes on with EVALSHA. The messenger's scripts are in the library too
 * ({@code colony_msg_send}, ...), for other languages; Java's messenger runs them by EVALSHA.
 */
final class RedisFunctions {
    static final String LIBRARY = "colony";
    private static final System.Logger LOG = System.getLogger("dev.colony.redis");
    /** The three lines of {@code state_common.lua} that bind a call's keys and arguments. */
    static final String BINDINGS = "local P = KEYS[1]\nlocal NOW = tonumber(ARGV[1])\nlocal changes = {}\n";

    /** The state scripts that only read (FCALL_RO may call them, also on a replica). */
    static final java.util.Set<String> READ_ONLY = java.util.Set.of("agent_list", "task_list", "state_snapshot");

    private static final String CODE = code();
    static final String VERSION =
            RedisLayout.VERSION + "." + RedisStateScripts.sha1(CODE).substring(0, 12);
    private static final String LIBRARY_CODE = CODE.replace("@VERSION@", VERSION);

    private RedisFunctions() {}

    /** The library's source as loaded ({@code #!lua name=colony} and one function per script). */
    static String library() {
        return LIBRARY_CODE;
    }

    /** The function that runs script {@code name}: {@code colony_<name>}. */
    static String function(String name) {
        return LIBRARY + "_" + name;
    }

    /**
     * The library: the helpers of {@code state_common.lua} defined once, at load, over three shared locals that
     * each call rebinds first ({@code begin}); Redis runs one function at a time, so sharing them is safe, and a
     * call does not pay for defining ~25 closures as an EVAL of the same script does (ADR 0041).
     */
    private static String code() {
        String common = RedisStateScripts.resource("state_common");
        if (!common.contains(BINDINGS)) {
            throw new IllegalStateException("state_common.lua no longer starts its bindings with: " + BINDINGS);
        }
        StringBuilder lua = new StringBuilder("#!lua name=" + LIBRARY + "\n")
                .append("-- Colony's coordination state and messenger (docs/redis-protocol.md), generated.\n")
                .append("redis.register_function{function_name='colony_version', flags={'no-writes'},\n")
                .append("  callback=function() return '@VERSION@' end}\n")
                .append(common.replace(BINDINGS, "local P, NOW, changes\n"))
                .append("\nlocal function begin(keys, argv)\n")
                .append("  P = keys[1]\n  NOW = tonumber(argv[1])\n  changes = {}\nend\n");
        for (String name : RedisStateScripts.NAMES) {
            String flags = READ_ONLY.contains(name) ? "flags={'no-writes'}, " : "";
            lua.append("\nredis.register_function{function_name='")
                    .append(function(name))
                    .append("', ")
                    .append(flags)
                    .append("callback=function(KEYS, ARGV)\nbegin(KEYS, ARGV)\n")
                    .append(RedisStateScripts.resource(name))
                    .append("\nend}\n");
        }
        for (RedisMessengerScripts script : RedisMessengerScripts.values()) {
            lua.append("\nredis.register_function('")
                    .append(function(script))
                    .append("', function(KEYS, ARGV)\n")
                    .append(script.source())
                    .append("end)\n");
        }
        return lua.toString();
    }

    /** The function that runs messenger script {@code script}: {@code colony_msg_<name>}. */
    static String function(RedisMessengerScripts script) {
        return LIBRARY + "_msg_" + script.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Loads the library unless the server has this version; logs and answers false when the server refuses,
     * true when the server has this version now. Over a Redis Cluster connection it does so on every master
     * of the connection's topology (FCALL runs on the master of its key's slot, and a slot may move to any
     * of them), and answers true only when all of them have it.
     */
    static boolean load(RedisClusterAsyncCommands<String, byte[]> connection) {
        if (connection instanceof RedisAdvancedClusterAsyncCommands<String, byte[]> cluster) {
            boolean all = true;
            AsyncNodeSelection<String, byte[]> masters = cluster.upstream();
            for (int i = 0; i < masters.size(); i++) {
                RedisURI node = masters.node(i).getUri();
                all &= loadOn(masters.commands(i), "on " + node.getHost() + ":" + node.getPort() + " ");
            }
            return all;
        }
        return loadOn(connection, "");
    }

    private static boolean loadOn(RedisClusterAsyncCommands<String, byte[]> connection, String where) {
        try {
            String found = installed(connection);
            if (!VERSION.equals(found)) {
                connection.functionLoad(LIBRARY_CODE, true).get(30, TimeUnit.SECONDS);
                LOG.log(
                        Level.INFO,
                        "loaded Redis Functions library {0} version {1} {2}(was {3})",
                        LIBRARY,
                        VERSION,
                        where,
                        found);
            }
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(
                    Level.WARNING,
                    "could not load the Redis Functions library {0} {1}(other-language clients cannot FCALL it): {2}",
                    LIBRARY,
                    where,
                    e.getMessage());
            return false;
        }
    }

    /** The version the server's library answers, or {@code none}. */
    private static String installed(RedisClusterAsyncCommands<String, byte[]> connection) throws Exception {
        try {
            byte[] version = connection
                    .<byte[]>fcallReadOnly("colony_version", ScriptOutputType.VALUE, new String[0])
                    .get(30, TimeUnit.SECONDS);
            return version == null ? "none" : new String(version, StandardCharsets.UTF_8);
        } catch (java.util.concurrent.ExecutionException e) {
            return "none"; // ERR Function not found
        }
    }
}
