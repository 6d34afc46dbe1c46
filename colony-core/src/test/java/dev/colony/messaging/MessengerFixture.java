package dev.colony.messaging;

import dev.colony.bus.BusTesting;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every part of the messenger contract needs from the backend under test: fresh messengers, closed
 * after each test, and small helpers. Implemented once, by {@link MessengerContract}.
 */
public interface MessengerFixture {
    AgentId ALICE = AgentId.of("alice");
    AgentId BOB = AgentId.of("bob");
    AgentId CAROL = AgentId.of("carol");

    /** A new messenger with {@code builder}'s settings; the fixture closes it after the test. */
    Messenger messenger(Messenger.Builder builder);

    /** A new messenger with default settings; the fixture closes it after the test. */
    default Messenger messenger() {
        return messenger(Messenger.builder());
    }

    /** An inbox of {@code id} whose handler puts every message into the returned queue. */
    default BlockingQueue<Envelope> collect(Messenger messenger, AgentId id, InboxOptions options) {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        messenger.open(id, options).attach(received::add);
        return received;
    }

    default BlockingQueue<Envelope> collect(Messenger messenger, AgentId id) {
        return collect(messenger, id, InboxOptions.defaults());
    }

    /** The next message, failing the test if none arrives within the patience bound. */
    static Envelope next(BlockingQueue<Envelope> queue) throws InterruptedException {
        Envelope message = queue.poll(BusTesting.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + BusTesting.PATIENCE);
        }
        return message;
    }

    /** The reason a request failed, failing the test if it completed normally or not at all in time. */
    static ReplyException failureOf(CompletableFuture<Envelope> reply) throws InterruptedException {
        try {
            Envelope envelope = reply.get(BusTesting.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got reply " + envelope);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplyException failure) {
                return failure;
            }
            throw new AssertionError("expected a ReplyException", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("request not completed within " + BusTesting.PATIENCE);
        }
    }

    /** The reply, failing the test if the request failed or did not complete in time. */
    static Envelope replyOf(CompletableFuture<Envelope> reply) throws Exception {
        return reply.get(BusTesting.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Envelope message(AgentId from, AgentId to, Object payload) {
        return Envelope.of(from, to, "test.message", payload);
    }

    Duration SHORT = Duration.ofMillis(50);
}
