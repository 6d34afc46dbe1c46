package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.redis.RedisServer;
import dev.colony.state.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every operator command with {@code --redis} against a real Redis, next to the same command with {@code --url}
 * against a real {@code colony serve}: the {@code --json} documents have the same shape (member names and JSON
 * types, recursively), and what pub and send put into the swarm reaches a second node of it.
 */
class OperatorRedisParityTest {
    private static final String SWARM = "parity";

    @TempDir
    static Path dir;

    private static RedisServer redis;
    private static ServedColony served;
    /** Another node of the swarm: it seeds the state and plays the agents the commands reach. */
    private static Colony node;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        served = ServedColony.start(dir);
        node = Colony.builder().redis(redis.uri()).swarm(SWARM).build();
    }

    @AfterAll
    static void stop() {
        node.close();
        served.close();
        redis.close();
    }

    private static Captured ok(Captured result) {
        assertThat(result.code()).as(result.out() + result.err()).isZero();
        return result;
    }

    private static Captured viaUrl(String command, String... args) {
        return ok(capture(with(command, args, "--url", served.url(), "--token-file", served.tokenFile())));
    }

    private static Captured viaRedis(String command, String... args) {
        return ok(runViaRedis(command, args));
    }

    /** {@code colony <command> <args> --redis ... --swarm parity}, whatever its exit code. */
    private static Captured runViaRedis(String command, String... args) {
        return capture(with(command, args, "--redis", redis.uri(), "--swarm", SWARM));
    }

    private static String[] with(String command, String[] args, String... options) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of(args));
        all.addAll(List.of(options));
        return all.toArray(String[]::new);
    }

    private static JsonNode json(Captured result) {
        return ServerClient.JSON.readTree(result.out());
    }

    /** Member names and JSON types, recursively; an array is the distinct shapes of its items. */
    static Object shape(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> members = new TreeMap<>();
            node.properties().forEach(e -> members.put(e.getKey(), shape(e.getValue())));
            return members;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(shape(item)));
            return items.stream().distinct().toList();
        }
        return node.getNodeType();
    }

    private static void sameShape(String command, String... args) {
        JsonNode url = json(viaUrl(command, args));
        JsonNode red = json(viaRedis(command, args));
        assertThat(shape(red))
                .as("%s --redis: %s%n--url: %s", command, red, url)
                .isEqualTo(shape(url));
    }

    @Test
    void agentsTasksLeaders_json_sameShapeEitherWay() throws Exception {
        served.post("/v1/agents", "{\"id\":\"pa1\",\"role\":\"parity\",\"capabilities\":[\"gpu\"]}");
        node.registry().register(AgentId.of("pa1"), "parity", Set.of("gpu"), Map.of());
        served.post("/v1/tasks", "{\"id\":\"pt1\",\"type\":\"ptype\",\"payload\":{\"n\":1}}");
        node.tasks().submit(TaskSpec.of("pt1", "ptype", "{\"n\":1}".getBytes(StandardCharsets.UTF_8)));
        served.post("/v1/leaders/pg/campaign", "{\"agent\":\"pl\",\"lease\":\"1m\"}");
        node.leaders().campaign("pg", AgentId.of("pl"), Duration.ofMinutes(1));

        sameShape("agents", "--role", "parity", "--json");
        sameShape("tasks", "--json");
        sameShape("tasks", "pt1", "--json");
        sameShape("leaders", "pg", "pfree", "--json");
        assertThat(json(viaRedis("tasks", "pt1", "--json"))
                        .path("payload")
                        .path("n")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void memory_putGetCasDel_sameOutputEitherWay() {
        sameShape("memory put", "pcfg", "model", "{\"v\":1}", "--json");
        sameShape("memory put", "pcfg", "model", "{\"v\":2}", "--if-version", "1", "--ttl", "1h", "--json");
        sameShape("memory get", "pcfg", "model", "--json");
        assertThat(viaRedis("memory get", "pcfg", "model").out())
                .isEqualTo(viaUrl("memory get", "pcfg", "model").out());
        assertThat(node.memory().get("pcfg", "model").orElseThrow().valueAsString())
                .isEqualTo("{\"v\":2}");

        Captured conflict = runViaRedis("memory put", "pcfg", "model", "3", "--if-version", "1");
        assertThat(conflict.code()).isEqualTo(1);
        assertThat(conflict.err().strip())
                .isEqualTo("colony memory put: CAS_CONFLICT: entry \"model\" in namespace \"pcfg\" is not at version 1"
                        + " (it is at 2)");
        sameShape("memory put", "pcfg", "fresh", "1", "--if-version", "0", "--json"); // 0: only if absent
        Captured again = runViaRedis("memory put", "pcfg", "fresh", "2", "--if-version", "0");
        assertThat(again.err()).contains("CAS_CONFLICT", "(it is at 1)");

        assertThat(viaRedis("memory del", "pcfg", "model").out())
                .isEqualTo(viaUrl("memory del", "pcfg", "model").out());
        assertThat(node.memory().get("pcfg", "model")).isEmpty();
        Captured gone = runViaRedis("memory get", "pcfg", "model");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err().strip())
                .isEqualTo("colony memory get: NO_SUCH_KEY: no entry \"model\" in namespace \"pcfg\"");
    }

    @Test
    void pub_redis_reachesASubscriberOnAnotherNode() {
        List<Object> received = new CopyOnWriteArrayList<>();
        node.bus().subscribe("ppub.>", event -> received.add(event.payload()), SubscribeOptions.direct());

        sameShape("pub", "ppub.x", "{\"k\":1}", "--json");
        Captured table = viaRedis("pub", "ppub.y", "{\"k\":2}", "--priority", "7");
        assertThat(table.out()).startsWith("published on ppub.y: matched 0, accepted 0, dropped 0");

        await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 2);
        assertThat(received).containsExactly(Map.of("k", 1), Map.of("k", 2));
    }

    @Test
    void send_redis_reachesAnAgentServedByAnotherNode() throws Exception {
        served.post("/v1/agents", "{\"id\":\"pinbox\",\"inbox\":true}");
        List<Envelope> inbox = new CopyOnWriteArrayList<>();
        node.messenger().open(AgentId.of("pinbox")).attach(inbox::add);

        sameShape("send", "--from", "ops", "pinbox", "pause", "{\"why\":\"deploy\"}", "--json");
        Captured sent = viaRedis("send", "pinbox", "resume", "\"now\"", "--priority", "2");
        assertThat(sent.out()).startsWith("delivered message ").contains(" to pinbox");

        await().atMost(Duration.ofMinutes(1)).until(() -> inbox.size() == 2);
        assertThat(inbox.get(0).source()).isEqualTo(AgentId.of("ops"));
        assertThat(inbox.get(0).type()).isEqualTo("pause");
        assertThat(inbox.get(0).payload()).isEqualTo(Map.of("why", "deploy"));
        assertThat(inbox.get(1).source()).isEqualTo(AgentId.of("colony-cli"));
        assertThat(inbox.get(1).priority()).isEqualTo(2);
        assertThat(inbox.get(1).payload()).isEqualTo("now");

        Captured nobody = runViaRedis("send", "pnobody", "pause", "1");
        assertThat(nobody.code()).isEqualTo(1);
        assertThat(nobody.err().strip()).isEqualTo("colony send: NO_SUCH_AGENT: agent \"pnobody\" has no open inbox");
    }

    @Test
    void tail_redis_printsWhatAnotherNodePublishes_inTheShapeOfTheServersStream() throws Exception {
        JsonNode urlLine = tailOne("--url", served.url(), "--token-file", served.tokenFile());
        JsonNode redisLine = tailOne("--redis", redis.uri(), "--swarm", SWARM);

        assertThat(redisLine.path("id").isNull())
                .as("no id to resume from over Redis")
                .isTrue();
        assertThat(redisLine.path("subject").asString()).isEqualTo("ptail.a.b");
        assertThat(redisLine.path("payload").path("n").isNumber()).isTrue();
        assertThat(shape(withoutId(redisLine))).isEqualTo(shape(withoutId(urlLine)));
    }

    private static JsonNode withoutId(JsonNode line) {
        ObjectNode copy = (ObjectNode) line.deepCopy();
        copy.remove("id");
        return copy;
    }

    /**
     * Runs {@code colony tail 'ptail.*.b' --count 2 --json} with {@code options}, publishing on the server and on
     * the other node (events on {@code ptail.a.b}, and {@code ptail.a.c} which the pattern does not match) until
     * it has printed two lines; checks they are two consecutive events and returns the first.
     */
    private static JsonNode tailOne(String... options) throws Exception {
        CompletableFuture<Captured> tail = CompletableFuture.supplyAsync(
                () -> capture(with("tail", new String[] {"ptail.*.b", "--count", "2", "--json"}, options)));
        List<Integer> published = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    int n = published.size();
                    published.add(n);
                    served.post("/v1/events/ptail.a.c", "{\"n\":" + n + "}");
                    served.post("/v1/events/ptail.a.b", "{\"n\":" + n + "}");
                    node.bus().publish("ptail.a.c", Map.of("n", n));
                    node.bus().publish("ptail.a.b", Map.of("n", n));
                    return tail.isDone();
                });
        List<JsonNode> lines =
                ok(tail.get()).out().lines().map(ServerClient.JSON::readTree).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines)
                .allSatisfy(line -> assertThat(line.path("subject").asString()).isEqualTo("ptail.a.b"));
        assertThat(lines.get(1).path("payload").path("n").asInt())
                .isEqualTo(lines.get(0).path("payload").path("n").asInt() + 1);
        return lines.get(0);
    }
}
