package dev.colony.cli;

import dev.colony.state.Snapshot;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.SnapshotFormat;
import dev.colony.state.Task;
import dev.colony.validation.scenarios.SnapshotWorkload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Damaged snapshot files for the CLI, from the bench's sample state and a seed: bit flips and truncations of
 * both formats, each field of the first agent, task, group and entry removed or set to a wrong type, and a
 * task claimed with a lease token above the last one handed out (a good checksum: only the check refuses it).
 */
final class VerifyCorpus {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    record Damaged(String name, byte[] bytes) {}

    private VerifyCorpus() {}

    static List<Damaged> of(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Snapshot good = SnapshotWorkload.sample();
        List<Damaged> corpus = new ArrayList<>();
        for (SnapshotFormat format : SnapshotFormat.values()) {
            byte[] bytes = SnapshotCodec.encode(good, format, false);
            for (int i = 0; i < 60; i++) {
                byte[] bad = bytes.clone();
                int at = random.nextInt(bad.length);
                bad[at] ^= (byte) (1 << random.nextInt(8));
                corpus.add(new Damaged(format + " bit flip at " + at, bad));
                int length = random.nextInt(bytes.length);
                corpus.add(new Damaged(format + " cut to " + length, Arrays.copyOf(bytes, length)));
            }
        }
        wrongFields(corpus, SnapshotCodec.encode(good, SnapshotFormat.JSON, false));
        Snapshot tokenAbove = new Snapshot(
                good.revision(),
                good.takenAt(),
                good.agents(),
                good.tasks(),
                good.leaders(),
                good.memory(),
                good.retiredKeys(),
                good.tasks().stream().mapToLong(Task::leaseToken).max().orElse(1) - 1,
                good.memoryVersionFloor());
        corpus.add(new Damaged("lease token above the last (binary)", SnapshotCodec.encode(tokenAbove)));
        corpus.add(new Damaged(
                "lease token above the last (json)", SnapshotCodec.encode(tokenAbove, SnapshotFormat.JSON, false)));
        return corpus;
    }

    private static void wrongFields(List<Damaged> corpus, byte[] json) {
        JsonNode root = MAPPER.readTree(json);
        List<JsonNode> wrong = List.of(
                NODES.stringNode("x"),
                NODES.numberNode(-1),
                NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
                NODES.booleanNode(true),
                NODES.objectNode(),
                NODES.arrayNode());
        for (String parent : List.of(
                "/snapshot", "/snapshot/agents/0", "/snapshot/tasks/0", "/snapshot/leaders/0", "/snapshot/memory/0")) {
            List<String> names = new ArrayList<>();
            root.at(parent).propertyNames().forEach(names::add);
            for (String name : names) {
                corpus.add(new Damaged(parent + "/" + name + " removed", mutate(root, parent, name, null)));
                for (JsonNode value : wrong) {
                    corpus.add(new Damaged(parent + "/" + name + " = " + value, mutate(root, parent, name, value)));
                }
            }
        }
    }

    private static byte[] mutate(JsonNode good, String parent, String name, JsonNode value) {
        JsonNode root = good.deepCopy();
        ObjectNode object = (ObjectNode) root.at(parent);
        if (value == null) {
            object.remove(name);
        } else {
            object.set(name, value);
        }
        return MAPPER.writeValueAsBytes(root);
    }
}
