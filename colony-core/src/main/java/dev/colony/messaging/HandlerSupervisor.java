package dev.colony.messaging;

import dev.colony.messaging.Messenger.HandlerFailure;
import dev.colony.metrics.LatencyRecorder;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The supervised handling of one message on an inbox's thread, the one every backend's inbox uses
 * (embedded and Redis): decoding it, dropping it when its deadline has passed, calling the handler, and
 * turning whatever fails into a dead letter, so that one message fails and the inbox goes on.
 *
 * <p>A handler that throws is counted ({@link #failed()}), answered with a recipient failure when the
 * message was a request ({@link Sink#replyFailure}), reported to the messenger's handler-failure listener,
 * and recorded as a {@link DeadLetter.Reason#HANDLER_FAILED} dead letter. A message that does not decode,
 * whatever the codec throws, is a {@link DeadLetter.Reason#MALFORMED} dead letter. A handler that returns
 * is counted in {@link #handled()}.
 *
 * <p><b>Thread safety.</b> One supervisor serves every inbox of a messenger; its methods may run on many
 * inbox threads at once. <b>Failures.</b> {@link #decode}, {@link #handle} and {@link #unhandled} throw
 * nothing (not even an {@link Error} of the handler or the codec): a failing failure listener is ignored, as
 * the listener is documented never to throw. The sink is assumed never to throw.
 */
public final class HandlerSupervisor {
    /** Where a supervisor sends what it could not deliver; implemented by the messenger. */
    public interface Sink {
        /**
         * Records a dead letter for a message (its envelope, its bytes, or both; either may be null) and fails
         * the request it was, if one waits for it.
         */
        void deadLetter(Envelope envelope, byte[] bytes, AgentId to, DeadLetter.Reason reason, String detail);

        /** Answers {@code request} (which has a reply-to agent) with the failure of its recipient's handler. */
        void replyFailure(Envelope request, Throwable error);

        /** Called after {@code bytes} did not decode and became a MALFORMED dead letter; nothing by default. */
        default void undecodable(byte[] bytes, String detail) {}
    }

    private final MessageCodec codec;
    private final InstantSource clock;
    private final Consumer<HandlerFailure> onHandlerFailure;
    private final LatencyRecorder unmarshalTime;
    private final Sink sink;
    private final LongAdder handled = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** A supervisor decoding with {@code codec} (timed into {@code unmarshalTime}) and reporting to {@code sink}. */
    public HandlerSupervisor(
            MessageCodec codec,
            InstantSource clock,
            Consumer<HandlerFailure> onHandlerFailure,
            LatencyRecorder unmarshalTime,
            Sink sink) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onHandlerFailure = Objects.requireNonNull(onHandlerFailure, "onHandlerFailure");
        this.unmarshalTime = Objects.requireNonNull(unmarshalTime, "unmarshalTime");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * {@code bytes} decoded for {@code to} with {@code payloadType}, or null after recording the MALFORMED
     * dead letter (with {@code original}, the envelope they were encoded from, when known).
     */
    public Envelope decode(byte[] bytes, Envelope original, AgentId to, Class<?> payloadType) {
        long start = System.nanoTime();
        String detail;
        try {
            return codec.decode(bytes, payloadType);
        } catch (MalformedMessageException | MessageTooLargeException e) {
            detail = e.getMessage();
        } catch (Throwable e) { // a codec breaking its contract (or an Error): the message, not the inbox, fails
            detail = "could not be decoded: " + describe(e);
        } finally {
            unmarshalTime.record(System.nanoTime() - start);
        }
        sink.deadLetter(original, bytes, to, DeadLetter.Reason.MALFORMED, detail);
        sink.undecodable(bytes, detail);
        return null;
    }

    /** Hands {@code message} to {@code handler} for agent {@code to}, unless its deadline has passed. */
    public void handle(AgentId to, MessageHandler handler, Envelope message) {
        Instant deadline = message.deadline();
        if (deadline != null && deadline.isBefore(clock.instant())) {
            sink.deadLetter(
                    message,
                    null,
                    to,
                    DeadLetter.Reason.EXPIRED,
                    "its deadline " + deadline + " passed before it was handled");
            return;
        }
        try {
            handler.onMessage(message);
            handled.increment();
        } catch (Throwable error) {
            handlerFailed(to, message, error);
        }
    }

    private void handlerFailed(AgentId agent, Envelope message, Throwable error) {
        failed.increment();
        try {
            if (message.correlationId() != null && message.replyTo() != null) {
                sink.replyFailure(message, error);
            }
            onHandlerFailure.accept(new HandlerFailure(agent, message, error));
        } catch (Throwable ignored) {
            // the listener is documented as never throwing; one that does must not stop the inbox
        }
        sink.deadLetter(
                message,
                null,
                agent,
                DeadLetter.Reason.HANDLER_FAILED,
                "the handler of agent \"" + agent + "\" threw " + describe(error));
    }

    /**
     * Records the last-resort dead letter of a message (envelope, bytes, or both) whose handling failed
     * outside the handler, on the inbox's thread.
     */
    public void unhandled(AgentId to, Envelope envelope, byte[] bytes, Throwable error) {
        try {
            sink.deadLetter(
                    envelope,
                    bytes,
                    to,
                    DeadLetter.Reason.HANDLER_FAILED,
                    "handling failed outside the handler: " + describe(error));
        } catch (Throwable ignored) {
            // nothing is left to report it to; the inbox must go on
        }
    }

    /** {@code error}'s class name and the first line of its message, for a dead letter's detail. */
    public static String describe(Throwable error) {
        return error.getClass().getName() + (error.getMessage() == null ? "" : ": " + Quote.line(error.getMessage()));
    }

    /** Messages whose handler returned. */
    public long handled() {
        return handled.sum();
    }

    /** Messages whose handler threw. */
    public long failed() {
        return failed.sum();
    }
}
