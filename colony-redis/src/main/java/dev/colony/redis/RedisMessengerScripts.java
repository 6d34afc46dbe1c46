package dev.colony.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The messenger's Lua scripts (docs/redis-protocol.md, "Messages", gives their contracts for other
 * languages). Each runs by EVALSHA and falls back to EVAL when Redis does not know it (NOSCRIPT, as after a
 * restart), which also loads it again. Every script answers a table whose first element is a status word.
 */
enum RedisMessengerScripts {
    /**
     * KEYS: directory, inbox stream[, request key][, barrier]. ARGV: agent id, message bytes, priority, local
     * ref ("" for none), request value, request ttl ms[, order, barrier ttl ms]. Answers {NO_SUCH_AGENT} |
     * {MAILBOX_FULL, policy} | {FULL, policy} | {OK, entry id} | {EVICTED, entry id, victim id, victim message,
     * victim ref}. Order (ADR 0070; absent or "" as before): "B" answers {FULL, BLOCK} while the barrier (the
     * last key: this node's for this recipient) stands, and sets it when a BLOCK inbox is full; "P" passes:
     * deletes the barrier first, then sets it again if the inbox is full.
     */
    SEND(Lua.SEND_FUNCTION + """
            return send(KEYS, ARGV, {})
            """),
    /**
     * Several SEND calls in one (ADR 0077). KEYS: directory, then each message's SEND keys after the directory
     * (inbox stream[, request key][, barrier]). ARGV: for each message, the number of its keys (1-3) and its 8
     * SEND arguments (order and barrier ttl "" when unordered). Answers a table of SEND answers, one per message
     * in order; a message whose SEND raised an error answers {ERROR, message} and the others go on. The
     * directory is read once per recipient per call.
     */
    SEND_MANY(Lua.SEND_FUNCTION + """
            local answers = {}
            local dir = {}
            local k, a = 2, 1
            while a <= #ARGV do
              local n = tonumber(ARGV[a])
              if not n or n < 1 or n > 3 or k + n - 1 > #KEYS or a + 8 > #ARGV then
                return redis.error_reply('SEND_MANY: bad key count or too few arguments at ARGV[' .. a .. ']')
              end
              local keys = {KEYS[1]}
              for i = 0, n - 1 do keys[i + 2] = KEYS[k + i] end
              local args = {}
              for i = 1, 8 do args[i] = ARGV[a + i] end
              local ok, answer = pcall(send, keys, args, dir)
              if not ok then
                if type(answer) == 'table' then answer = answer.err end
                answer = {'ERROR', tostring(answer)}
              end
              answers[#answers + 1] = answer
              k = k + n
              a = a + 9
            end
            return answers
            """),
    /**
     * KEYS: request key. ARGV: the reply's recipient (the request's reply-to), reply bytes, key prefix.
     * Answers {REPLIED} when the request waits (the reply went to its node's reply stream) or {LATE}.
     */
    REPLY("""
            local v = redis.call('GET', KEYS[1])
            if not v then return {'LATE'} end
            local space = string.find(v, ' ', 1, true)
            if not space or string.sub(v, space + 1) ~= ARGV[1] then return {'LATE'} end
            local stream = ARGV[3] .. 'replies:' .. string.sub(v, 1, space - 1)
            if redis.call('EXISTS', stream) == 0 then return {'LATE'} end
            redis.call('XADD', stream, '*', 'm', ARGV[2])
            return {'REPLIED'}
            """),
    /** KEYS: stream. ARGV: entry ids. Acknowledges and deletes them; answers {OK, deleted}. */
    ACK("""
            redis.call('XACK', KEYS[1], 'colony', unpack(ARGV))
            return {'OK', redis.call('XDEL', KEYS[1], unpack(ARGV))}
            """),
    /**
     * KEYS: directory, inbox stream. ARGV: agent id, directory entry JSON, node id, key prefix. Answers
     * {OK} or {TAKEN, node} when a live other node has the inbox open.
     */
    OPEN("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current then
              local owner = cjson.decode(current).node
              if owner ~= ARGV[3] and redis.call('EXISTS', ARGV[4] .. 'node:' .. owner) == 1 then
                return {'TAKEN', owner}
              end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            pcall(redis.call, 'XGROUP', 'CREATE', KEYS[2], 'colony', '0', 'MKSTREAM')
            return {'OK'}
            """),
    /**
     * KEYS: directory, inbox stream. ARGV: agent id, node id. When this node owns the inbox: removes it from
     * the directory, deletes the stream and answers {OK, entries...} (XRANGE form); otherwise {NOT_OWNER}.
     */
    CLOSE("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if not current or cjson.decode(current).node ~= ARGV[2] then return {'NOT_OWNER'} end
            redis.call('HDEL', KEYS[1], ARGV[1])
            local entries = redis.call('XRANGE', KEYS[2], '-', '+')
            redis.call('DEL', KEYS[2])
            return {'OK', entries}
            """),
    /**
     * KEYS: node key, reply stream. ARGV: node ttl ms. Marks the node alive, creates its reply stream's
     * group when missing (also when a wake-up XADD recreated the stream without it), and lets the stream
     * expire some time after the node would (three times its ttl, at least a minute).
     */
    HEARTBEAT("""
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            pcall(redis.call, 'XGROUP', 'CREATE', KEYS[2], 'colony', '0', 'MKSTREAM')
            redis.call('PEXPIRE', KEYS[2], math.max(3 * tonumber(ARGV[1]), 60000))
            return {'OK'}
            """);

    /** Lua shared by scripts (a nested class: enum constants cannot read the enum's own static fields). */
    private static final class Lua {
        /**
         * SEND for one message as a function: K the keys (directory first), A the arguments, D a table the
         * caller keeps for one call (recipient id to directory entry, decoded, or false when absent).
         */
        static final String SEND_FUNCTION = """
            local function send(K, A, D)
              local order = A[7] or ''
              local nkeys = #K
              local barrier = nil
              if order ~= '' then barrier = K[nkeys] nkeys = nkeys - 1 end
              if order == 'P' then redis.call('DEL', barrier) end
              local info = D[A[1]]
              if info == nil then
                local entry = redis.call('HGET', K[1], A[1])
                info = entry and cjson.decode(entry) or false
                D[A[1]] = info
              end
              if not info then return {'NO_SUCH_AGENT'} end
              if order == 'B' and info.overflow == 'BLOCK' and redis.call('EXISTS', barrier) == 1 then
                return {'FULL', 'BLOCK'}
              end
              local capacity = tonumber(info.capacity)
              local prio = tonumber(A[3])
              local victim = nil
              local len = redis.call('XLEN', K[2])
              if len >= capacity then
                local ok, summary = pcall(redis.call, 'XPENDING', K[2], 'colony')
                local pending = 0
                if ok then pending = tonumber(summary[1]) end
                if len - pending >= capacity then
                  local policy = info.overflow
                  local critical = prio >= 8
                  if policy == 'FAIL' then return {'MAILBOX_FULL', policy} end
                  if policy == 'BLOCK' then
                    if barrier then redis.call('SET', barrier, '1', 'PX', A[8]) end
                    return {'FULL', policy}
                  end
                  if policy == 'DROP_NEWEST' and not critical then return {'MAILBOX_FULL', policy} end
                  local last = '0-0'
                  for _, group in ipairs(redis.call('XINFO', 'GROUPS', K[2])) do
                    local fields = {}
                    for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
                    if fields['name'] == 'colony' then last = fields['last-delivered-id'] end
                  end
                  local limit = prio
                  if critical then limit = 7 end
                  local from = '(' .. last
                  local to = '+'
                  while victim == nil do
                    local chunk
                    if policy == 'DROP_OLDEST' then
                      chunk = redis.call('XRANGE', K[2], from, '+', 'COUNT', 64)
                    else
                      chunk = redis.call('XREVRANGE', K[2], to, '(' .. last, 'COUNT', 64)
                    end
                    if #chunk == 0 then break end
                    for _, e in ipairs(chunk) do
                      local f = {}
                      for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
                      local p = tonumber(f['p'] or '4') or 4
                      if p <= limit then victim = {e[1], f['m'] or '', f['r'] or ''} break end
                    end
                    if policy == 'DROP_OLDEST' then from = '(' .. chunk[#chunk][1] else to = '(' .. chunk[#chunk][1] end
                  end
                  if victim == nil then
                    if critical then return {'FULL', policy} end
                    return {'MAILBOX_FULL', policy}
                  end
                  redis.call('XDEL', K[2], victim[1])
                end
              end
              local id
              if A[4] ~= '' then
                id = redis.call('XADD', K[2], '*', 'm', A[2], 'p', A[3], 'r', A[4])
              else
                id = redis.call('XADD', K[2], '*', 'm', A[2], 'p', A[3])
              end
              if nkeys > 2 then redis.call('SET', K[3], A[5], 'PX', A[6]) end
              if victim then return {'EVICTED', id, victim[1], victim[2], victim[3]} end
              return {'OK', id}
            end
            """;
    }

    private final String source;
    private final String sha;

    RedisMessengerScripts(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    String source() {
        return source;
    }

    /**
     * Loads SEND and SEND_MANY into the server's script cache (on every master of a cluster connection), so that
     * a node's first pipelined sends do not meet NOSCRIPT, whose EVAL runs after the calls written behind it
     * (ADR 0077: a batch would then be overtaken). Best effort: a server that refuses SCRIPT LOAD (an ACL) gets
     * EVAL on first use, as before.
     */
    static void preload(RedisClusterAsyncCommands<String, byte[]> redis) {
        for (RedisMessengerScripts script : List.of(SEND, SEND_MANY)) {
            try {
                await(redis.scriptLoad(script.source()), Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                return; // NOSCRIPT falls back to EVAL
            }
        }
    }

    /** Runs the script: EVALSHA, and EVAL on NOSCRIPT. */
    CompletionStage<List<Object>> run(RedisClusterAsyncCommands<String, byte[]> redis, String[] keys, byte[]... args) {
        CompletionStage<List<Object>> first = redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        return first.exceptionallyCompose(error -> unwrap(error) instanceof RedisNoScriptException
                ? redis.<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args)
                : CompletableFuture.failedFuture(error));
    }

    /** The status word of a script's answer. */
    static String status(List<Object> answer) {
        return text(answer.get(0));
    }

    static String text(Object bulk) {
        return bulk instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(bulk);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    /** The answer of {@code stage} within the command timeout and a second, or an IllegalStateException saying why not. */
    static <T> T await(CompletionStage<T> stage) {
        return await(stage, RedisLink.MAX_COMMAND_TIMEOUT.plusSeconds(1));
    }

    /** The answer of {@code stage} within {@code timeout}, or an IllegalStateException saying why not. */
    static <T> T await(CompletionStage<T> stage, Duration timeout) {
        try {
            return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            throw new IllegalStateException(String.valueOf(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Redis within " + timeout, e);
        }
    }
}
