package dev.colony.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real three-master Redis Cluster for tests: three {@link RedisServer}s started with
 * {@code --cluster-enabled yes} and joined by {@code redis-cli --cluster create --cluster-yes} (no replicas by
 * default, or some per master for failover), ready when every node reports {@code cluster_state:ok}.
 *
 * <p>Every key of a swarm carries the hash tag {@code {<swarm>}}, so the whole swarm is one slot on one master;
 * {@link #target(String)} points at another master, so a suite that passes through it proves that the link
 * connects through the cluster client and follows the slot (a script that touches a key outside its node's
 * slots fails, so it also proves that the swarm's keys, scripts and functions stay in the slot).
 */
final class RedisCluster implements AutoCloseable {
    private final List<RedisServer> servers;

    private RedisCluster(List<RedisServer> servers) {
        this.servers = servers;
    }

    /** Starts three masters and creates the cluster; fails with the output of redis-cli when it cannot. */
    static RedisCluster start() {
        return start(0, List.of());
    }

    /**
     * Starts three masters, each with {@code replicasPerMaster} replicas, every server with {@code extraArgs}
     * added to its command line (TLS, say: {@code {port2}} is each server's second port), and creates the
     * cluster through the plain ports; ready when every server reports {@code cluster_state:ok} and each master
     * has its replicas.
     */
    static RedisCluster start(int replicasPerMaster, List<String> extraArgs) {
        List<RedisServer> servers = new ArrayList<>();
        try {
            List<String> args = new ArrayList<>(List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-node-timeout",
                    replicasPerMaster > 0 ? "2000" : "5000"));
            args.addAll(extraArgs);
            for (int i = 0; i < 3 * (1 + replicasPerMaster); i++) {
                servers.add(RedisServer.start(false, args));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            servers.forEach(m -> create.add("127.0.0.1:" + m.port()));
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            run(create);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> servers.stream()
                            .allMatch(m -> m.command("CLUSTER INFO").contains("cluster_state:ok")));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> servers.stream()
                                    .filter(m -> m.command("ROLE").contains("master"))
                                    .count()
                            == 3);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> servers.stream()
                            .map(m -> m.command("INFO replication"))
                            .filter(info -> info.contains("role:slave"))
                            .allMatch(info -> info.contains("master_link_status:up")));
            return new RedisCluster(servers);
        } catch (RuntimeException e) {
            servers.forEach(RedisServer::close);
            throw e;
        }
    }

    /** The servers that are running masters now (three, unless one was killed and not yet replaced). */
    List<RedisServer> masters() {
        return servers.stream()
                .filter(RedisServer::isRunning)
                .filter(m -> m.command("ROLE").contains("master"))
                .toList();
    }

    /** Every server of the cluster, masters and replicas, running or not. */
    List<RedisServer> servers() {
        return servers;
    }

    /** The master that serves the slot of swarm {@code swarm}'s hash tag. */
    RedisServer masterOf(String swarm) {
        String probe = "GET " + RedisTarget.of("redis://127.0.0.1", swarm).key("layout");
        for (RedisServer master : masters()) {
            if (!master.command(probe).startsWith("-MOVED")) {
                return master;
            }
        }
        throw new IllegalStateException("no master of the cluster serves swarm " + swarm);
    }

    /** A master that does not serve the slot of swarm {@code swarm}'s hash tag. */
    RedisServer otherThanMasterOf(String swarm) {
        RedisServer owner = masterOf(swarm);
        return masters().stream().filter(m -> m != owner).findFirst().orElseThrow();
    }

    /**
     * The target of swarm {@code swarm} on a master that does <em>not</em> serve its slot: the link finds the
     * cluster there and routes every command to the slot's master (ADR 0074).
     */
    RedisTarget target(String swarm) {
        return otherThanMasterOf(swarm).target(swarm);
    }

    /**
     * Moves the slot of swarm {@code swarm}'s hash tag to master {@code to} with the manual resharding steps
     * (https://redis.io/docs/latest/commands/cluster-setslot/): SETSLOT IMPORTING on {@code to}, MIGRATING on
     * the owner, MIGRATE of the slot's keys in batches, then SETSLOT NODE on every master (the owner and the
     * importer first). Returns the number of keys moved.
     */
    long moveSlot(String swarm, RedisServer to) {
        return moveSlot(swarm, to, () -> {});
    }

    /** As {@link #moveSlot(String, RedisServer)}, running {@code whileMigrating} once the slot is MIGRATING. */
    long moveSlot(String swarm, RedisServer to, Runnable whileMigrating) {
        RedisServer from = masterOf(swarm);
        if (from == to) {
            throw new IllegalArgumentException("swarm " + swarm + " is already on :" + to.port());
        }
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> source = client.connect(uri(from));
                StatefulRedisConnection<String, String> target = client.connect(uri(to))) {
            int slot =
                    SlotHash.getSlot(RedisTarget.of("redis://127.0.0.1", swarm).prefix());
            String fromId = source.sync().clusterMyId();
            String toId = target.sync().clusterMyId();
            target.sync().clusterSetSlotImporting(slot, fromId);
            source.sync().clusterSetSlotMigrating(slot, toId);
            whileMigrating.run();
            long moved = 0;
            for (List<String> keys = source.sync().clusterGetKeysInSlot(slot, 100);
                    !keys.isEmpty();
                    keys = source.sync().clusterGetKeysInSlot(slot, 100)) {
                source.sync().migrate("127.0.0.1", to.port(), 0, 10_000, MigrateArgs.Builder.keys(keys));
                moved += keys.size();
            }
            target.sync().clusterSetSlotNode(slot, toId);
            source.sync().clusterSetSlotNode(slot, toId);
            for (RedisServer master : masters()) {
                if (master != from && master != to) {
                    try (StatefulRedisConnection<String, String> other = client.connect(uri(master))) {
                        other.sync().clusterSetSlotNode(slot, toId);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> masterOf(swarm) == to);
            return moved;
        } finally {
            client.shutdown();
        }
    }

    private static RedisURI uri(RedisServer server) {
        return RedisURI.create("127.0.0.1", server.port());
    }

    @Override
    public void close() {
        servers.forEach(RedisServer::close);
    }

    private static void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }
}
