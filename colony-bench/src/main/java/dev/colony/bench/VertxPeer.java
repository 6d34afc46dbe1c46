package dev.colony.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Vert.x 5 side of the peer benchmarks: a {@link Vertx} with default options (two event loops per
 * core), whose local event bus carries the benchmark's payload classes by reference, as Colony's bus
 * does in one JVM. Vert.x needs a codec for any class that is not a JSON, buffer or primitive type; the
 * documented way for local-only traffic is a codec whose {@code transform} returns the object itself.
 */
final class VertxPeer {
    private VertxPeer() {}

    /** A Vert.x instance with default options and the by-reference codec for {@code types}. */
    static Vertx start(Class<?>... types) {
        Vertx vertx = Vertx.vertx();
        for (Class<?> type : types) {
            register(vertx, type);
        }
        return vertx;
    }

    private static <T> void register(Vertx vertx, Class<T> type) {
        vertx.eventBus().registerDefaultCodec(type, new ByReference<>(type));
    }

    /** Waits for a Vert.x future (deployments, closing), at most 60 s. */
    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Vert.x", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Vert.x did not complete: " + e, e);
        }
    }

    /** Hands a message over by reference inside one JVM; refuses to go over a wire. */
    private record ByReference<T>(Class<T> type) implements MessageCodec<T, T> {
        @Override
        public void encodeToWire(Buffer buffer, T message) {
            throw new UnsupportedOperationException("local delivery only");
        }

        @Override
        public T decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException("local delivery only");
        }

        @Override
        public T transform(T message) {
            return message;
        }

        @Override
        public String name() {
            return "by-reference-" + type.getName();
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
