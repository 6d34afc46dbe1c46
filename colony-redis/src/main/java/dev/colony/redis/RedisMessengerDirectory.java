package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;
import static dev.colony.redis.RedisMessengerScripts.text;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.InboxOptions;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The swarm's inbox directory as a {@link RedisMessenger} node sees it (docs/redis-protocol.md "Messages"):
 * the hash {@code colony:{swarm}:inboxes} from agent id to the inbox's node, roles, capacity and overflow
 * policy, and the node's heartbeat key that says the node is alive.
 *
 * <p>Thread-safe: every method runs one or more Redis scripts or commands on the messenger's connection.
 */
final class RedisMessengerDirectory {
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** An inbox's entry in the directory hash. */
    record DirectoryEntry(String node, List<String> roles, int capacity, String overflow) {}

    private final RedisMessenger messenger;
    private final RedisTarget target;
    private final RedisMessengerOptions options;

    RedisMessengerDirectory(RedisMessenger messenger, RedisTarget target, RedisMessengerOptions options) {
        this.messenger = messenger;
        this.target = target;
        this.options = options;
    }

    /** Refreshes this node's key (its time to live is the node TTL) and makes sure its reply stream exists. */
    CompletionStage<List<Object>> heartbeat() {
        long ttl = options.nodeTtl().toMillis();
        return RedisMessengerScripts.HEARTBEAT.run(
                messenger.redis,
                new String[] {messenger.key("node:" + messenger.nodeId()), messenger.replyStream()},
                bytes(Long.toString(ttl)));
    }

    /** Enters {@code inbox} in the directory: answers OK, or TAKEN with the node that holds the agent's inbox. */
    CompletionStage<List<Object>> register(RedisInbox inbox) {
        InboxOptions o = inbox.options();
        StringBuilder json =
                new StringBuilder("{\"node\":\"").append(messenger.nodeId()).append("\",\"roles\":[");
        int i = 0;
        for (String role : o.roles()) { // roles are [A-Za-z0-9_-]: nothing to escape
            json.append(i++ == 0 ? "\"" : ",\"").append(role).append('"');
        }
        json.append("],\"capacity\":")
                .append(o.capacity())
                .append(",\"overflow\":\"")
                .append(o.overflow())
                .append("\"}");
        return RedisMessengerScripts.OPEN.run(
                messenger.redis,
                new String[] {messenger.key("inboxes"), inbox.stream()},
                bytes(inbox.id().value()),
                bytes(json.toString()),
                bytes(messenger.nodeId()),
                bytes(target.prefix()));
    }

    /**
     * Enters {@code inbox} in the directory.
     *
     * @throws IllegalStateException if Redis does not answer, or another node holds the agent's inbox
     */
    void enter(RedisInbox inbox) {
        AgentId id = inbox.id();
        List<Object> answer;
        try {
            answer = RedisMessengerScripts.await(register(inbox));
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not open the inbox of agent \"" + id + "\": " + e.getMessage(), e);
        }
        if (status(answer).equals("TAKEN")) {
            throw new IllegalStateException("agent \"" + id + "\" already has an open inbox, on node "
                    + text(answer.get(1)) + " of swarm " + target.swarm());
        }
    }

    /** After NOGROUP (the streams vanished): registers this node's reply stream and {@code inboxes} again. */
    void registerAgain(Collection<RedisInbox> inboxes) {
        try {
            RedisMessengerScripts.await(heartbeat());
            for (RedisInbox inbox : inboxes) {
                RedisMessengerScripts.await(register(inbox));
            }
        } catch (RuntimeException e) {
            messenger.countFailure();
        }
    }

    /**
     * Every agent in the directory with its roles; entries that do not parse (written by hand, wrongly) are
     * skipped and counted as failures.
     *
     * @throws IllegalStateException if Redis does not answer
     */
    Map<AgentId, Set<String>> agents() {
        Map<String, byte[]> directory;
        try {
            directory = RedisMessengerScripts.await(messenger.redis.hgetall(messenger.key("inboxes")));
        } catch (RuntimeException e) {
            messenger.countFailure();
            throw new IllegalStateException("could not read the inbox directory: " + e.getMessage(), e);
        }
        Map<AgentId, Set<String>> agents = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : directory.entrySet()) {
            AgentId id;
            DirectoryEntry info;
            try {
                id = AgentId.of(entry.getKey());
                info = JSON.readValue(entry.getValue(), DirectoryEntry.class);
            } catch (RuntimeException e) { // not an agent anyone can reach
                messenger.countFailure();
                continue;
            }
            agents.put(id, info.roles() == null ? Set.of() : Set.copyOf(info.roles()));
        }
        return agents;
    }
}
