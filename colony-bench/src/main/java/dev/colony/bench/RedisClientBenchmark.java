package dev.colony.bench;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Which Redis client should colony-redis use (ADR 0015)? Lettuce and Jedis on the three access patterns
 * the backend has: one caller waiting for each reply (a Lua claim, a CAS), pipelined batches (the bus's
 * publish path), and several threads sharing the client (agents on virtual threads). The benchmark starts
 * its own {@code redis-server} (Debian's package) on a free loopback port; every reply is checked.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
@State(Scope.Benchmark)
public class RedisClientBenchmark {
    static final int BATCH = 100;

    private Process server;
    private Path dir;
    private io.lettuce.core.RedisClient lettuce;
    private StatefulRedisConnection<String, String> shared;
    private StatefulRedisConnection<String, String> batching;
    private redis.clients.jedis.RedisClient jedis;
    private final String payload = "x".repeat(200);

    @Setup(Level.Trial)
    public void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        dir = Files.createTempDirectory("colony-redis-bench-");
        server = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile())
                .start();
        awaitListening(port);
        lettuce = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + port);
        shared = lettuce.connect();
        batching = lettuce.connect();
        batching.setAutoFlushCommands(false);
        jedis = redis.clients.jedis.RedisClient.create("127.0.0.1", port);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        shared.close();
        batching.close();
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        jedis.close();
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** One caller, one SET then one GET, each waiting for its reply. Ops = round trips / 2. */
    @Benchmark
    @Threads(1)
    public String lettuceSyncSetGet() {
        shared.sync().set("bench:k", payload);
        return checked(shared.sync().get("bench:k"));
    }

    @Benchmark
    @Threads(1)
    public String jedisSyncSetGet() {
        jedis.set("bench:k", payload);
        return checked(jedis.get("bench:k"));
    }

    /** 100 PUBLISH commands written as one batch, then every reply awaited. Ops = commands. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long lettucePipelinedPublish() {
        RedisAsyncCommands<String, String> async = batching.async();
        @SuppressWarnings("unchecked")
        RedisFuture<Long>[] replies = new RedisFuture[BATCH];
        for (int i = 0; i < BATCH; i++) {
            replies[i] = async.publish("bench:channel", payload);
        }
        batching.flushCommands();
        if (!LettuceFutures.awaitAll(Duration.ofSeconds(10), replies)) {
            throw new IllegalStateException("a pipelined PUBLISH did not complete");
        }
        return replies.length;
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long jedisPipelinedPublish() {
        try (var pipeline = jedis.pipelined()) {
            var replies = new java.util.ArrayList<redis.clients.jedis.Response<Long>>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                replies.add(pipeline.publish("bench:channel", payload));
            }
            pipeline.sync();
            long done = 0;
            for (var reply : replies) {
                done += reply.get() == 0L ? 1 : 0;
            }
            if (done != BATCH) {
                throw new IllegalStateException("a pipelined PUBLISH had an unexpected reply");
            }
            return done;
        }
    }

    /** Eight threads, each SET + GET waiting for replies: Lettuce multiplexes one connection. */
    @Benchmark
    @Threads(8)
    public String lettuceSharedSetGet8Threads() {
        String key = "bench:" + Thread.currentThread().threadId();
        shared.sync().set(key, payload);
        return checked(shared.sync().get(key));
    }

    /** Eight threads on Jedis's connection pool (default pool: up to 8 connections). */
    @Benchmark
    @Threads(8)
    public String jedisPooledSetGet8Threads() {
        String key = "bench:" + Thread.currentThread().threadId();
        jedis.set(key, payload);
        return checked(jedis.get(key));
    }

    private String checked(String value) {
        if (!payload.equals(value)) {
            throw new IllegalStateException("GET returned " + value);
        }
        return value;
    }

    private static void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (socket.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }
}
