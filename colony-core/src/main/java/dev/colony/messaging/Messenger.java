package dev.colony.messaging;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Agent-to-agent messaging: send to one agent, ask and await a reply, broadcast to a role.
 *
 * <p><b>Addresses.</b> An agent can be sent to once it {@link #open opened} its {@link Inbox}; sends
 * before it attaches a handler wait in the inbox. Every send names its sender ({@link Envelope#source()}),
 * which needs no inbox.
 *
 * <p><b>Outcomes, not exceptions.</b> {@link #send} returns a {@link SendOutcome} ({@link #sendAsync} a
 * future of one, for several messages in flight); a message that is not delivered also becomes a
 * {@link DeadLetter} with its reason. Only programming errors (a null argument,
 * a broadcast envelope given to {@code send}) throw.
 *
 * <p><b>Order.</b> Messages of one priority sent from one thread to one recipient are handled in the order
 * they were sent; a higher priority overtakes a lower one.
 *
 * <p><b>By reference or marshalled.</b> By default an envelope is handed to the recipient by reference:
 * send immutable payloads. With {@link Builder#marshalEverySend(boolean)} every message is encoded by the
 * sender and decoded by the recipient's inbox (bound to {@link InboxOptions#payloadType()}), exactly as
 * if it crossed a process boundary: the codec's size limit applies and malformed bytes become dead
 * letters.
 *
 * <p><b>Requests.</b> {@link #request} completes its future exactly once: with the reply, or with a
 * {@link ReplyException} carrying a {@link ReplyFailure}. Once completed, no state of the request is left
 * behind. {@link #close()} completes the requests still waiting with {@link ReplyFailure#CLOSED}, closes
 * every inbox and stops the messenger's threads; it is idempotent.
 *
 * <p><b>Supervision.</b> Nothing an inbox reads or runs stops it: bytes that do not decode become
 * {@link DeadLetter.Reason#MALFORMED} dead letters, a handler that throws (an {@code Error} included) a
 * {@link DeadLetter.Reason#HANDLER_FAILED} one, and the inbox goes on with the next message.
 * {@link #close()} waits at most {@link Builder#closeTimeout(Duration)} for running handlers, then
 * interrupts and abandons them: counted in {@link MessengerMetrics#abandonedHandlers()} and logged once
 * at WARNING with the agents' ids (ADR 0019).
 *
 * <p>Thread-safe.
 */
public interface Messenger extends AutoCloseable {

    /** A messenger in this JVM that hands messages over by reference. */
    static Messenger create() {
        return builder().build();
    }

    /** A builder of a messenger, for settings other than the defaults; {@link Builder#build()} makes it. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Gives agent {@code id} an inbox, making it reachable.
     *
     * @throws IllegalStateException if {@code id} already has an open inbox, or the messenger is closed
     */
    Inbox open(AgentId id, InboxOptions options);

    /** {@link #open(AgentId, InboxOptions)} with {@link InboxOptions#defaults() default options}. */
    default Inbox open(AgentId id) {
        return open(id, InboxOptions.defaults());
    }

    /**
     * Sends {@code message} to its {@link Envelope#recipient() recipient}. Under the BLOCK overflow policy
     * this waits while the recipient's inbox is full.
     *
     * @throws IllegalArgumentException if the message has no recipient (use {@link #broadcast})
     */
    SendOutcome send(Envelope message);

    /**
     * Sends {@code message} as {@link #send} does, without waiting for the outcome: a sender keeps several
     * messages in flight. The future completes with the outcome {@link #send} would have returned, after the
     * same dead letter, if any, was recorded; it never completes exceptionally (a message Redis did not
     * confirm is {@link SendOutcome#REJECTED}, as with {@code send}). Programming errors throw at once, as
     * with {@code send}; a message that cannot be sent (too large or not encodable when marshalled, past
     * its deadline, the messenger closed) is refused before anything is sent, with an already completed
     * future and its dead letter.
     *
     * <p><b>Order.</b> Messages of one priority given to {@code sendAsync} (or {@code send}) from one thread
     * to one recipient reach its inbox in call order, without waiting for the earlier futures, also while
     * the inbox is full under the BLOCK policy: the messages that wait for room are appended in call order
     * and the sender's later ones wait behind them (each future completes when its message is appended).
     * Exception: a message of priority 8-9 that waits for room under DROP_OLDEST or DROP_NEWEST (no entry
     * to evict) may be overtaken by the same sender's later messages, as may, on Redis, a message whose
     * script the server had forgotten (run again as EVAL); wait for its future when order matters then.
     *
     * <p><b>Waiting.</b> This default, which the embedded messenger keeps, calls {@link #send} and returns a
     * completed future: in one JVM a send does not wait for a round trip, except under the BLOCK policy,
     * where it waits here as {@code send} does. A distributed messenger (Redis) sends without waiting and
     * bounds the messages in flight per messenger; a caller past the bound waits here until one is answered
     * (see the backend's documentation for the bound).
     *
     * <p><b>Threads.</b> The future may be completed on the caller's thread or a virtual thread of the
     * messenger, never on a Redis client's I/O thread: a dependent action may block (even call the
     * messenger synchronously) without stalling the messenger's connection. Joining the future from the
     * sender's thread is fine.
     *
     * @throws IllegalArgumentException if the message has no recipient (use {@link #broadcast})
     */
    default CompletableFuture<SendOutcome> sendAsync(Envelope message) {
        return CompletableFuture.completedFuture(send(message));
    }

    /**
     * Sends {@code message} as a request and returns its reply. The request gets a correlation id (its
     * {@link Envelope#correlationId()}, or its id when it has none), {@code replyTo} set to its source, and
     * a deadline of now plus {@code timeout} unless its own deadline is earlier.
     *
     * <p>The future completes with the reply envelope, or exceptionally with a {@link ReplyException}:
     * {@link ReplyFailure#NO_RECIPIENT} at once when the recipient has no inbox, {@link ReplyFailure#TIMEOUT}
     * once {@code timeout} has passed (never earlier; the timer sweeps every 5 ms, so at most about 10 ms
     * later when the machine is not starved), {@link ReplyFailure#RECIPIENT_FAILURE} when the handler throws,
     * {@link ReplyFailure#UNDELIVERED} when the request is not handled for another reason.
     *
     * @throws IllegalArgumentException if the message has no recipient, {@code timeout} is not positive, or
     *     its correlation id belongs to a request still waiting
     */
    CompletableFuture<Envelope> request(Envelope message, Duration timeout);

    /**
     * Answers {@code request} with {@code payload}: an envelope from the request's recipient to its
     * {@code replyTo} (or source), with the request's correlation id and the type {@code type}. If a
     * {@link #request} waits for it, it completes that request; otherwise it is sent to the {@code replyTo}
     * agent's inbox like any message (a late reply, or a request that was {@link #send sent}).
     *
     * @throws IllegalArgumentException if {@code request} has no correlation id or no recipient
     */
    SendOutcome reply(Envelope request, String type, Object payload);

    /** {@link #reply(Envelope, String, Object)} with the type {@code <request type>.reply}. */
    default SendOutcome reply(Envelope request, Object payload) {
        return reply(request, request.type() + ".reply", payload);
    }

    /**
     * Sends a copy of {@code message} (its recipient set to each agent) to every agent of
     * {@code audience}, except its source unless {@code includeSender}.
     */
    BroadcastResult broadcast(Audience audience, Envelope message, boolean includeSender);

    /** {@link #broadcast(Audience, Envelope, boolean)} leaving out the sender. */
    default BroadcastResult broadcast(Audience audience, Envelope message) {
        return broadcast(audience, message, false);
    }

    /**
     * Hands over a message that is already encoded with this messenger's codec, as a transport receiving
     * it from another process would. It is queued as bytes and decoded by {@code recipient}'s inbox; bytes
     * that do not decode become a {@link DeadLetter.Reason#MALFORMED} dead letter there, and the inbox goes
     * on with the next message. The length is checked before anything is copied: a message over the codec's
     * limit is refused as {@link DeadLetter.Reason#TOO_LARGE}, keeping only its first
     * {@link DeadLetter#KEPT_BYTES} bytes.
     */
    SendOutcome deliverEncoded(AgentId recipient, byte[] message);

    /**
     * The messages waiting in {@code agent}'s inbox now ({@link Inbox#size()}), or empty when no inbox of
     * {@code agent} is open on this messenger (on a distributed messenger, on this node). For watching a
     * swarm; the count may change before it is read.
     *
     * @throws NullPointerException if {@code agent} is null
     */
    OptionalInt inboxSize(AgentId agent);

    /** The undelivered messages. */
    DeadLetters deadLetters();

    /**
     * Records {@code message}, which {@code recipient}'s inbox handed to its handler, as a dead letter for
     * {@code reason}, and fails the request it was, if its requester still waits (with the
     * {@link ReplyFailure} the reason maps to, {@link ReplyFailure#UNDELIVERED} for
     * {@link DeadLetter.Reason#RECIPIENT_CLOSED}; on a distributed messenger wherever the requester waits).
     *
     * <p>For a handler that takes messages out of an inbox and holds them for a reader elsewhere, such as
     * {@code colony serve}'s HTTP inboxes, and must give back those it cannot hand on: when the inbox closes
     * with messages its reader never acknowledged, they become dead letters as the inbox's own queued
     * messages do. An inbox's own handling never needs it. Recording a message twice records two letters.
     *
     * @throws NullPointerException if an argument is null
     */
    void deadLetter(Envelope message, AgentId recipient, DeadLetter.Reason reason, String detail);

    /** Counters and latencies. */
    MessengerMetrics metrics();

    /** The codec used when messages are marshalled and for {@link #deliverEncoded}. */
    MessageCodec codec();

    @Override
    void close();

    /** Settings of a messenger; each is validated when set. */
    final class Builder {
        MessageCodec codec = JsonMessageCodec.create();
        boolean marshalEverySend;
        int deadLetterCapacity = 1024;
        long deadLetterBytes = 4L << 20;
        Duration closeTimeout = Duration.ofSeconds(10);
        InstantSource clock = InstantSource.system();
        Consumer<HandlerFailure> onHandlerFailure = failure -> {};

        Builder() {}

        /** The codec for marshalled messages; default {@link JsonMessageCodec#create()}. */
        public Builder codec(MessageCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** Whether every message is encoded and decoded as if it crossed a process boundary; default false. */
        public Builder marshalEverySend(boolean marshal) {
            this.marshalEverySend = marshal;
            return this;
        }

        /** How many dead letters are kept (the newest); default 1024, at least 1. */
        public Builder deadLetterCapacity(int capacity) {
            if (capacity < 1 || capacity > 1 << 20) {
                throw new IllegalArgumentException(
                        "deadLetterCapacity must be between 1 and " + (1 << 20) + ", got " + capacity);
            }
            this.deadLetterCapacity = capacity;
            return this;
        }

        /**
         * How many bytes the dead letters may retain together (their kept bytes, at most
         * {@link DeadLetter#KEPT_BYTES} each, and their details; see {@link DeadLetters}); default 4 MiB,
         * which 1,024 letters of 4 KiB fill. When a new letter would exceed it the oldest are discarded
         * and counted in {@link DeadLetters#discarded()}.
         *
         * @throws IllegalArgumentException if {@code bytes} is below 16 KiB (one letter at its largest must fit)
         */
        public Builder deadLetterBytes(long bytes) {
            if (bytes < 16 << 10) {
                throw new IllegalArgumentException("deadLetterBytes must be at least " + (16 << 10) + ", got " + bytes);
            }
            this.deadLetterBytes = bytes;
            return this;
        }

        /**
         * How long {@link Messenger#close()} waits for handlers still running before it interrupts them and
         * abandons them (each counted in {@link MessengerMetrics#abandonedHandlers()}); default 10 s. Zero
         * interrupts at once.
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** The clock deadlines are checked against; default the system clock. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Called on the inbox's thread after a handler threw (the failure is counted either way); it is
         * assumed never to throw.
         */
        public Builder onHandlerFailure(Consumer<HandlerFailure> listener) {
            this.onHandlerFailure = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** An embedded messenger with these settings. */
        public Messenger build() {
            return new LocalMessenger(this);
        }

        /** The settings made so far, for another backend (such as colony-redis) to build its messenger from. */
        public Settings settings() {
            return new Settings(
                    codec,
                    marshalEverySend,
                    deadLetterCapacity,
                    deadLetterBytes,
                    closeTimeout,
                    clock,
                    onHandlerFailure);
        }
    }

    /**
     * The settings of a {@link Builder}, read-only: what a messenger of another backend is built from.
     *
     * @param codec the codec for marshalled messages
     * @param marshalEverySend whether every message is encoded and decoded
     * @param deadLetterCapacity how many dead letters are kept
     * @param deadLetterBytes how many bytes the kept dead letters may retain
     * @param closeTimeout how long close waits for running handlers
     * @param clock the clock deadlines are checked against
     * @param onHandlerFailure called after a handler threw
     */
    record Settings(
            MessageCodec codec,
            boolean marshalEverySend,
            int deadLetterCapacity,
            long deadLetterBytes,
            Duration closeTimeout,
            InstantSource clock,
            Consumer<HandlerFailure> onHandlerFailure) {
        /** Checks that the codec, the clock and the failure handler are present. */
        public Settings {
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(closeTimeout, "closeTimeout");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(onHandlerFailure, "onHandlerFailure");
        }
    }

    /**
     * A handler that threw.
     *
     * @param agent whose handler it was
     * @param message the message it was handling
     * @param error what it threw
     */
    record HandlerFailure(AgentId agent, Envelope message, Throwable error) {}
}
