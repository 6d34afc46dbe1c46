package dev.colony.snapshot;

import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.Leadership;
import dev.colony.state.MemoryEntry;
import dev.colony.state.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A corpus of damaged snapshot files, generated from {@link SnapshotCodecTest#sample()} for a seed: bit flips
 * and truncations of the binary (plain and LZ4) and JSON forms, every JSON field removed or set to each value
 * of a wrong type or out of range, and snapshots whose records are each valid but whose references are not
 * (encoded with a good checksum, so only the consistency check can refuse them). Shared by the core and the
 * CLI tests: whatever the damage, a decode either refuses the file with one line or returns a snapshot a
 * restore accepts.
 */
public final class DamagedSnapshots {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One damaged file: what was done to it, and its bytes. */
    public record Damaged(String name, byte[] bytes) {}

    private DamagedSnapshots() {}

    /** The good snapshot every damaged file starts from. */
    public static Snapshot good() {
        return SnapshotCodecTest.sample();
    }

    /** The corpus for {@code seed}: the same files for the same seed. */
    public static List<Damaged> corpus(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Damaged> corpus = new ArrayList<>();
        for (boolean compress : new boolean[] {false, true}) {
            byte[] binary = SnapshotCodec.encode(good(), SnapshotFormat.BINARY, compress);
            String form = compress ? "lz4" : "binary";
            flipsAndCuts(corpus, form, binary, random);
        }
        byte[] json = SnapshotCodec.encode(good(), SnapshotFormat.JSON, false);
        flipsAndCuts(corpus, "json", json, random);
        wrongFields(corpus, json);
        inconsistent(corpus);
        return corpus;
    }

    private static void flipsAndCuts(List<Damaged> corpus, String form, byte[] good, SplittableRandom random) {
        for (int i = 0; i < 150; i++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(i % 3 == 0 ? 8 : 1);
            StringBuilder where = new StringBuilder();
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(bad.length);
                int bit = random.nextInt(8);
                bad[at] ^= (byte) (1 << bit);
                where.append(f == 0 ? "" : ",").append(at).append('.').append(bit);
            }
            corpus.add(new Damaged(form + " bit flips at " + where, bad));
        }
        for (int i = 0; i < 40; i++) {
            int length = random.nextInt(good.length);
            corpus.add(new Damaged(form + " truncated to " + length + " bytes", Arrays.copyOf(good, length)));
        }
    }

    /** Every field of the JSON form removed, and set to each wrong value in turn. */
    private static void wrongFields(List<Damaged> corpus, byte[] json) {
        JsonNode root = MAPPER.readTree(json);
        List<String> pointers = new ArrayList<>();
        walk(root, "", pointers);
        List<JsonNode> wrong = List.of(
                NODES.stringNode("x"),
                NODES.stringNode("NOT_A_STATUS"),
                NODES.numberNode(-1),
                NODES.numberNode(Long.MAX_VALUE),
                NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
                NODES.numberNode(1.5),
                NODES.booleanNode(true),
                NODES.objectNode(),
                NODES.arrayNode(),
                NODES.nullNode());
        for (String pointer : pointers) {
            corpus.add(new Damaged("json " + pointer + " removed", mutate(root, pointer, null)));
            for (JsonNode value : wrong) {
                corpus.add(new Damaged("json " + pointer + " = " + value, mutate(root, pointer, value)));
            }
        }
    }

    private static void walk(JsonNode node, String pointer, List<String> pointers) {
        if (!pointer.isEmpty()) {
            pointers.add(pointer);
        }
        if (node.isObject()) {
            for (var property : node.properties()) {
                walk(property.getValue(), pointer + "/" + escape(property.getKey()), pointers);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, pointers);
            }
        }
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The JSON with the node at {@code pointer} replaced by {@code value}, or removed when it is null. */
    private static byte[] mutate(JsonNode good, String pointer, JsonNode value) {
        JsonNode root = good.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(last);
            } else {
                object.set(last, value);
            }
        } else if (parent instanceof ArrayNode array) {
            int index = Integer.parseInt(last);
            if (value == null) {
                array.remove(index);
            } else {
                array.set(index, value);
            }
        }
        return MAPPER.writeValueAsBytes(root);
    }

    /** Snapshots of valid records with broken references, in both formats, with good checksums. */
    private static void inconsistent(List<Damaged> corpus) {
        Snapshot s = good();
        AgentRecord alice = s.agents().getFirst();
        Task claimed = s.tasks().get(1);
        List<Task> tasks = new ArrayList<>(s.tasks());
        add(corpus, "agent twice", s, x -> copy(x, List.of(alice, alice), x.tasks(), x.leaders(), x.memory(), 42));
        add(corpus, "task twice", s, x -> copy(x, x.agents(), List.of(claimed, claimed), x.leaders(), x.memory(), 42));
        add(corpus, "lease token above the last", s, x -> copy(x, x.agents(), x.tasks(), x.leaders(), x.memory(), 7));
        tasks.set(1, withHolder(claimed, null));
        List<Task> noHolder = List.copyOf(tasks);
        add(corpus, "claimed task without holder", s, x -> copy(x, x.agents(), noHolder, x.leaders(), x.memory(), 42));
        tasks.set(1, withHolder(claimed, AgentId.of("nobody-knows-me")));
        List<Task> unknownHolder = List.copyOf(tasks);
        add(
                corpus,
                "task claimed by an unknown agent",
                s,
                x -> copy(x, x.agents(), unknownHolder, x.leaders(), x.memory(), 42));
        List<Snapshot.LeaderTerm> otherTerm = List.of(
                new Snapshot.LeaderTerm("planner", 4, new Leadership("planner", AgentId.of("alice"), 3, s.takenAt())));
        add(corpus, "leadership of another term", s, x -> copy(x, x.agents(), x.tasks(), otherTerm, x.memory(), 42));
        List<MemoryEntry> liveAndRetired = List.of(new MemoryEntry("config", "gone", new byte[] {1}, 18, null));
        add(
                corpus,
                "memory key live and retired",
                s,
                x -> copy(x, x.agents(), x.tasks(), x.leaders(), liveAndRetired, 42));
        List<Snapshot.LeaderTerm> badGroup = List.of(new Snapshot.LeaderTerm("bad group", 1, null));
        add(corpus, "group name with a space", s, x -> copy(x, x.agents(), x.tasks(), badGroup, x.memory(), 42));
    }

    private static void add(List<Damaged> corpus, String what, Snapshot good, UnaryOperator<Snapshot> damage) {
        Snapshot bad = damage.apply(good);
        corpus.add(new Damaged("inconsistent (binary): " + what, SnapshotCodec.encode(bad)));
        corpus.add(new Damaged("inconsistent (json): " + what, SnapshotCodec.encode(bad, SnapshotFormat.JSON, false)));
    }

    private static Snapshot copy(
            Snapshot s,
            List<AgentRecord> agents,
            List<Task> tasks,
            List<Snapshot.LeaderTerm> leaders,
            List<MemoryEntry> memory,
            long lastLeaseToken) {
        return new Snapshot(
                s.revision(),
                s.takenAt(),
                agents,
                tasks,
                leaders,
                memory,
                s.retiredKeys(),
                lastLeaseToken,
                s.memoryVersionFloor());
    }

    private static Task withHolder(Task t, AgentId holder) {
        return new Task(
                t.spec(),
                t.status(),
                t.attempts(),
                holder,
                t.leaseToken(),
                t.leaseExpiresAt(),
                t.notBefore(),
                t.result(),
                t.lastError(),
                t.submittedAt());
    }
}
