package dev.colony.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The coordination state's scripts as a Redis Functions library, so that a client in any language calls
 * them by name ({@code FCALL colony_task_claim 1 <S> <now> <agent> <lease>}) without shipping the Lua
 * source (docs/redis-protocol.md, "Functions"). Generated from the very files the Java node runs with
 * EVALSHA: each function is {@code state_common.lua} followed by the script, with {@code KEYS} and
 * {@code ARGV} as its parameters, so both paths run the same code.
 *
 * <p>Named and versioned: library {@value #LIBRARY}; {@code FCALL colony_version 0} answers
 * {@code <layout>.<first 12 hex digits of the library's SHA-1>}. A Java node loads the library when it opens
 * the state if the server has none or another version ({@code FUNCTION LOAD REPLACE}). Loading is a
 * convenience for other clients: a server that refuses it (an ACL without {@code FUNCTION}, a proxy) is logged
 * once and the node goes on with EVALSHA.
 */
final class RedisFunctions {
    static final String LIBRARY = "colony";
    private static final System.Logger LOG = System.getLogger("dev.colony.redis");
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

    private static String code() {
        String common = RedisStateScripts.resource("state_common");
        StringBuilder lua = new StringBuilder("#!lua name=" + LIBRARY + "\n")
                .append("-- Colony's coordination state (docs/redis-protocol.md), generated from its script files.\n")
                .append("redis.register_function{function_name='colony_version', flags={'no-writes'},\n")
                .append("  callback=function() return '@VERSION@' end}\n");
        for (String name : RedisStateScripts.NAMES) {
            lua.append("\nlocal function ")
                    .append(name)
                    .append("(KEYS, ARGV)\n")
                    .append(common)
                    .append('\n')
                    .append(RedisStateScripts.resource(name))
                    .append("\nend\nredis.register_function('")
                    .append(function(name))
                    .append("', ")
                    .append(name)
                    .append(")\n");
        }
        return lua.toString();
    }

    /** Loads the library unless the server has this version; logs and goes on when the server refuses. */
    static void load(StatefulRedisConnection<String, byte[]> connection) {
        try {
            String found = installed(connection);
            if (!VERSION.equals(found)) {
                connection.async().functionLoad(LIBRARY_CODE, true).get(30, TimeUnit.SECONDS);
                LOG.log(
                        Level.INFO,
                        "loaded Redis Functions library {0} version {1} (was {2})",
                        LIBRARY,
                        VERSION,
                        found);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(
                    Level.WARNING,
                    "could not load the Redis Functions library {0} (other-language clients cannot FCALL it): {1}",
                    LIBRARY,
                    e.getMessage());
        }
    }

    /** The version the server's library answers, or {@code none}. */
    private static String installed(StatefulRedisConnection<String, byte[]> connection) throws Exception {
        try {
            byte[] version = connection
                    .async()
                    .<byte[]>fcallReadOnly("colony_version", ScriptOutputType.VALUE, new String[0])
                    .get(30, TimeUnit.SECONDS);
            return version == null ? "none" : new String(version, StandardCharsets.UTF_8);
        } catch (java.util.concurrent.ExecutionException e) {
            return "none"; // ERR Function not found
        }
    }
}
