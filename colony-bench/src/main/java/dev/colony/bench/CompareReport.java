package dev.colony.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the JMH results of {@code bench/compare} into Colony/peer ratios: a JSON file and a Markdown
 * table (ADR 0014). Every row pairs one Colony benchmark with one peer benchmark measured in the same
 * run; the ratio is how many times better Colony is (higher throughput, or lower time or heap), so a
 * ratio below 1 means the peer wins, and the table says so.
 *
 * <p>Usage: {@code CompareReport OUT_BASE HEAP_JSON JMH_JSON...}; writes {@code OUT_BASE.json} and
 * {@code OUT_BASE.md}. A pair whose results are missing is listed as not measured, never dropped.
 */
public final class CompareReport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One measured figure. */
    record Score(double value, double error, String unit) {}

    /** One row: a Colony figure beside a peer's, and the goal the issue set for the ratio. */
    record Pair(
            String workload,
            String colony,
            String colonyKey,
            String peer,
            String peerKey,
            boolean higherIsBetter,
            double goal) {}

    private CompareReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: CompareReport OUT_BASE HEAP_JSON JMH_JSON...");
        }
        Map<String, Score> scores = new HashMap<>();
        String jdk = "?";
        for (int i = 2; i < args.length; i++) {
            for (JsonNode result : JSON.readTree(Path.of(args[i]).toFile())) {
                scores.put(key(result), score(result.get("primaryMetric")));
                jdk = result.path("jdkVersion").asString() + " ("
                        + result.path("vmName").asString() + ")";
            }
        }
        Path heap = Path.of(args[1]);
        if (Files.exists(heap)) {
            JSON.readTree(heap.toFile())
                    .get("heap_bytes_per_agent")
                    .properties()
                    .forEach(e -> scores.put(
                            "heap." + e.getKey(), new Score(e.getValue().asDouble(), Double.NaN, "B/agent")));
        }
        List<Pair> pairs = pairs();
        String date = Instant.now().toString();
        String machine = Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        Files.writeString(
                Path.of(args[0] + ".md"), markdown(pairs, scores, date, jdk, machine), StandardCharsets.UTF_8);
        Files.writeString(Path.of(args[0] + ".json"), json(pairs, scores, date, jdk, machine), StandardCharsets.UTF_8);
        System.out.println("wrote " + args[0] + ".md and " + args[0] + ".json");
    }

    /** {@code SimpleClass.method[p=v,...]}, parameters in name order. */
    static String key(JsonNode result) {
        String name = result.get("benchmark").asString();
        String simple = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
        Map<String, String> params = new TreeMap<>();
        result.path("params")
                .properties()
                .forEach(e -> params.put(e.getKey(), e.getValue().asString()));
        return params.isEmpty()
                ? simple
                : simple + params.toString().replace(" ", "").replace('{', '[').replace('}', ']');
    }

    private static Score score(JsonNode metric) {
        return new Score(
                metric.get("score").asDouble(),
                metric.path("scoreError").asDouble(Double.NaN),
                metric.get("scoreUnit").asString());
    }

    /** The comparisons of issue 8, in the order of its table. */
    static List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (String p : List.of("1", "2")) {
            String workload = "hand-off " + p + " → 1";
            String params = "[producers=" + p + "]";
            for (String colony : List.of("colonyBus", "colonyMessenger", "colonyMessengerNewEnvelope")) {
                String colonyName = switch (colony) {
                    case "colonyBus" -> "bus ASYNC";
                    case "colonyMessenger" -> "messenger send (one envelope)";
                    default -> "messenger send (new envelope each)";
                };
                String colonyKey = "HandoffBenchmark." + colony + params;
                pairs.add(new Pair(
                        workload,
                        colonyName,
                        colonyKey,
                        "ArrayBlockingQueue (floor)",
                        "HandoffBenchmark.arrayBlockingQueue" + params,
                        true,
                        1));
                if (colony.equals("colonyMessengerNewEnvelope")) {
                    pairs.add(new Pair(
                            workload,
                            colonyName,
                            colonyKey,
                            "ArrayBlockingQueue, new envelope each",
                            "HandoffBenchmark.arrayBlockingQueueNewEnvelope" + params,
                            true,
                            1));
                }
                pairs.add(new Pair(
                        workload,
                        colonyName,
                        colonyKey,
                        "Disruptor, blocking wait",
                        "HandoffBenchmark.disruptorBlocking" + params,
                        true,
                        1));
                pairs.add(new Pair(
                        workload,
                        colonyName,
                        colonyKey,
                        "Disruptor, yielding wait",
                        "HandoffBenchmark.disruptorYielding" + params,
                        true,
                        0));
                pairs.add(new Pair(
                        workload,
                        colonyName,
                        colonyKey,
                        "Vert.x event bus send",
                        "HandoffBenchmark.vertx" + params,
                        true,
                        2));
                pairs.add(new Pair(
                        workload,
                        colonyName,
                        colonyKey,
                        "Pekko typed tell",
                        "HandoffBenchmark.pekko" + params,
                        true,
                        4));
            }
        }
        for (String n : List.of("10", "100", "1000")) {
            String workload = "fan-out 1 → " + n;
            String params = "[subscribers=" + n + "]";
            pairs.add(new Pair(
                    workload,
                    "bus DIRECT",
                    "FanoutBenchmark.colonyDirect" + params,
                    "Guava EventBus",
                    "FanoutBenchmark.guava" + params,
                    true,
                    2));
            pairs.add(new Pair(
                    workload,
                    "bus ASYNC",
                    "FanoutBenchmark.colonyAsync" + params,
                    "Vert.x publish",
                    "FanoutBenchmark.vertx" + params,
                    true,
                    1));
            pairs.add(new Pair(
                    workload,
                    "bus ASYNC",
                    "FanoutBenchmark.colonyAsync" + params,
                    "Pekko, tell each actor",
                    "FanoutBenchmark.pekko" + params,
                    true,
                    1));
        }
        for (String n : List.of("10000", "100000")) {
            String params = "[subscriptions=" + n + "]";
            pairs.add(new Pair(
                    "routing, " + n + " subscriptions",
                    "bus DIRECT (1% wildcards)",
                    "RoutingBenchmark.colonyRoute" + params,
                    "Vert.x send (exact addresses)",
                    "RoutingBenchmark.vertxRoute" + params,
                    true,
                    1));
            pairs.add(new Pair(
                    "subscribe + close, " + n + " subscriptions",
                    "bus",
                    "RoutingBenchmark.colonyChurn" + params,
                    "Vert.x consumer + unregister",
                    "RoutingBenchmark.vertxChurn" + params,
                    true,
                    1));
        }
        pairs.add(new Pair(
                "request/reply, 100 requesters",
                "messenger request",
                "RequestReplyBenchmark.colony",
                "Vert.x request",
                "RequestReplyBenchmark.vertx",
                true,
                2));
        pairs.add(new Pair(
                "request/reply, 100 requesters",
                "messenger request",
                "RequestReplyBenchmark.colony",
                "Pekko ask",
                "RequestReplyBenchmark.pekko",
                true,
                4));
        for (String peer : List.of("pekko", "vertx")) {
            String peerName = peer.equals("pekko") ? "Pekko actors" : "Vert.x verticles";
            pairs.add(new Pair(
                    "spawn 10,000 agents (time)",
                    "agent runtime",
                    "SpawnPeersBenchmark.spawn[swarm=colony]",
                    peerName,
                    "SpawnPeersBenchmark.spawn[swarm=" + peer + "]",
                    false,
                    1));
            pairs.add(new Pair(
                    "heap per idle agent", "agent runtime", "heap.colony", peerName, "heap." + peer, false, 1));
        }
        for (String size : List.of("500", "4k")) {
            String workload = "codec round trip, " + (size.equals("500") ? "500 B" : "4.2 KB") + " (time)";
            String colonyKey = "CodecBenchmark.colonyCodec[size=" + size + "]";
            pairs.add(new Pair(
                    workload,
                    "codec (JSON)",
                    colonyKey,
                    "Jackson",
                    "CodecBenchmark.stockJackson[size=" + size + "]",
                    false,
                    size.equals("4k") ? 2 : 1));
            pairs.add(new Pair(
                    workload,
                    "codec (JSON)",
                    colonyKey,
                    "Jackson + Blackbird",
                    "CodecBenchmark.jacksonBlackbird[size=" + size + "]",
                    false,
                    1));
            pairs.add(new Pair(
                    workload,
                    "codec (JSON)",
                    colonyKey,
                    "DSL-JSON (exact doubles)",
                    "CodecBenchmark.dslJson[size=" + size + "]",
                    false,
                    1));
            pairs.add(new Pair(
                    workload,
                    "codec (JSON)",
                    colonyKey,
                    "Jackson Smile (binary)",
                    "CodecBenchmark.jacksonSmile[size=" + size + "]",
                    false,
                    0));
        }
        return pairs;
    }

    /** How many times better Colony is than the peer, or NaN when either figure is missing. */
    static double ratio(Pair pair, Map<String, Score> scores) {
        Score colony = scores.get(pair.colonyKey());
        Score peer = scores.get(pair.peerKey());
        if (colony == null || peer == null || colony.value() <= 0 || peer.value() <= 0) {
            return Double.NaN;
        }
        return pair.higherIsBetter() ? colony.value() / peer.value() : peer.value() / colony.value();
    }

    static String verdict(Pair pair, double ratio) {
        if (Double.isNaN(ratio)) {
            return "not measured";
        }
        String winner = ratio >= 1 ? "Colony" : "**peer wins**";
        if (pair.goal() <= 0) {
            return winner + " (no goal)";
        }
        String goal = "goal ≥ " + format(pair.goal()) + "x " + (ratio >= pair.goal() ? "met" : "missed");
        return winner + ", " + goal;
    }

    private static String markdown(
            List<Pair> pairs, Map<String, Score> scores, String date, String jdk, String machine) {
        StringBuilder md = new StringBuilder();
        md.append("Colony beside its peers, ")
                .append(date)
                .append("; JDK ")
                .append(jdk)
                .append("; ")
                .append(machine)
                .append(
                        ".\nRatio = how many times better Colony is (throughput: Colony/peer; time and heap: peer/Colony); below 1 the peer wins.\n\n");
        md.append("| workload | Colony | peer | Colony score | peer score | ratio | verdict |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Pair pair : pairs) {
            double ratio = ratio(pair, scores);
            md.append("| ")
                    .append(pair.workload())
                    .append(" | ")
                    .append(pair.colony())
                    .append(" | ")
                    .append(pair.peer())
                    .append(" | ")
                    .append(show(scores.get(pair.colonyKey())))
                    .append(" | ")
                    .append(show(scores.get(pair.peerKey())))
                    .append(" | ")
                    .append(Double.isNaN(ratio) ? "-" : format(ratio) + "x")
                    .append(" | ")
                    .append(verdict(pair, ratio))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String json(List<Pair> pairs, Map<String, Score> scores, String date, String jdk, String machine) {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", date).put("jdk", jdk).put("machine", machine);
        ArrayNode rows = root.putArray("comparisons");
        for (Pair pair : pairs) {
            ObjectNode row = rows.addObject();
            row.put("workload", pair.workload()).put("colony", pair.colony()).put("peer", pair.peer());
            row.put("colony_benchmark", pair.colonyKey()).put("peer_benchmark", pair.peerKey());
            putScore(row, "colony_score", scores.get(pair.colonyKey()));
            putScore(row, "peer_score", scores.get(pair.peerKey()));
            double ratio = ratio(pair, scores);
            if (!Double.isNaN(ratio)) {
                row.put("ratio", ratio);
            }
            row.put("higher_is_better", pair.higherIsBetter()).put("goal_ratio", pair.goal());
            row.put("verdict", verdict(pair, ratio).replace("**", ""));
        }
        Map<String, Score> sorted = new TreeMap<>(scores);
        ObjectNode all = root.putObject("scores");
        sorted.forEach((key, score) -> putScore(all, key, score));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static void putScore(ObjectNode node, String name, Score score) {
        if (score != null) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("score", score.value());
            if (!Double.isNaN(score.error())) {
                value.put("error", score.error());
            }
            value.put("unit", score.unit());
            node.set(name, JSON.valueToTree(value));
        }
    }

    private static String show(Score score) {
        if (score == null) {
            return "-";
        }
        double v = score.value();
        String unit = score.unit();
        if (unit.equals("ops/s")) {
            return v >= 1e6 ? format(v / 1e6) + " M/s" : v >= 1e3 ? format(v / 1e3) + " k/s" : format(v) + " /s";
        }
        return format(v) + " " + unit.replace("us/op", "µs/op");
    }

    static String format(double v) {
        return v >= 100
                ? String.format(Locale.ROOT, "%,.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the CPU count alone will do
        }
        return "unknown CPU";
    }
}
