package dev.colony.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The Apache Pekko side of the peer benchmarks: a typed {@link ActorSystem} with the default
 * configuration (default dispatcher, unbounded mailboxes), whose guardian spawns the benchmark's actors
 * as its children, the way the Pekko documentation builds an application.
 */
final class PekkoPeer implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Asks the guardian to spawn {@code count} children with {@code behavior}, named prefix + index. */
    private record SpawnMany<T>(
            Behavior<T> behavior, String prefix, int count, CompletableFuture<List<ActorRef<T>>> done) {}

    private final ActorSystem<SpawnMany<?>> system;

    PekkoPeer(String name) {
        system = ActorSystem.create(
                Behaviors.setup(context -> Behaviors.receiveMessage(command -> {
                    spawnAll(context, command);
                    return Behaviors.same();
                })),
                name);
    }

    private static <T> void spawnAll(
            org.apache.pekko.actor.typed.javadsl.ActorContext<SpawnMany<?>> context, SpawnMany<T> command) {
        List<ActorRef<T>> refs = new ArrayList<>(command.count());
        for (int i = 0; i < command.count(); i++) {
            refs.add(context.spawn(command.behavior(), command.prefix() + i));
        }
        command.done().complete(refs);
    }

    /** Spawns {@code count} actors (children of the guardian) and returns their references. */
    <T> List<ActorRef<T>> spawn(Behavior<T> behavior, String prefix, int count) {
        CompletableFuture<List<ActorRef<T>>> done = new CompletableFuture<>();
        system.tell(new SpawnMany<>(behavior, prefix, count, done));
        return await(done);
    }

    ActorSystem<?> system() {
        return system;
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Pekko", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Pekko did not complete: " + e, e);
        }
    }

    @Override
    public void close() {
        system.terminate();
        await(system.getWhenTerminated().toCompletableFuture());
    }
}
