package dev.colony.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.metrics.LatencyRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The supervised handling of one message: every way it can fail ends as one dead letter, nothing thrown. */
class HandlerSupervisorTest {
    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob");
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    /** A sink that records what the supervisor sent it. */
    private static final class Recording implements HandlerSupervisor.Sink {
        final List<DeadLetter> letters = new ArrayList<>();
        final List<Envelope> failureReplies = new ArrayList<>();
        final List<String> undecodable = new ArrayList<>();

        @Override
        public void deadLetter(Envelope envelope, byte[] bytes, AgentId to, DeadLetter.Reason reason, String detail) {
            letters.add(new DeadLetter(envelope, bytes, to, reason, detail, NOW));
        }

        @Override
        public void replyFailure(Envelope request, Throwable error) {
            failureReplies.add(request);
        }

        @Override
        public void undecodable(byte[] bytes, String detail) {
            undecodable.add(detail);
        }
    }

    private final Recording sink = new Recording();
    private final List<Messenger.HandlerFailure> reported = new ArrayList<>();
    private final LatencyRecorder unmarshal = new LatencyRecorder();

    private HandlerSupervisor supervisor(MessageCodec codec, Consumer<Messenger.HandlerFailure> listener) {
        return new HandlerSupervisor(codec, InstantSource.fixed(NOW), listener, unmarshal, sink);
    }

    private HandlerSupervisor supervisor() {
        return supervisor(JsonMessageCodec.create(), reported::add);
    }

    @Test
    void handle_handlerReturns_countedHandledNoDeadLetter() {
        HandlerSupervisor supervisor = supervisor();
        List<Envelope> seen = new ArrayList<>();

        supervisor.handle(BOB, seen::add, Envelope.of(ALICE, BOB, "t", "hi"));

        assertThat(seen).hasSize(1);
        assertThat(supervisor.handled()).isEqualTo(1);
        assertThat(supervisor.failed()).isZero();
        assertThat(sink.letters).isEmpty();
    }

    @Test
    void handle_deadlinePassed_expiredDeadLetterHandlerNotCalled() {
        HandlerSupervisor supervisor = supervisor();
        List<Envelope> seen = new ArrayList<>();
        Envelope late = Envelope.of(ALICE, BOB, "t", "hi").withDeadline(NOW.minusSeconds(1));

        supervisor.handle(BOB, seen::add, late);

        assertThat(seen).isEmpty();
        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.EXPIRED);
            assertThat(letter.envelope()).isSameAs(late);
        });
        assertThat(supervisor.handled()).isZero();
    }

    @Test
    void handle_handlerThrowsOnRequest_countedAnsweredReportedDeadLettered() {
        HandlerSupervisor supervisor = supervisor();
        Envelope request =
                Envelope.of(ALICE, BOB, "t", "hi").withCorrelationId("c-1").withReplyTo(ALICE);

        supervisor.handle(
                BOB,
                m -> {
                    throw new IllegalStateException("boom\nsecond line");
                },
                request);

        assertThat(supervisor.failed()).isEqualTo(1);
        assertThat(sink.failureReplies).containsExactly(request);
        assertThat(reported)
                .singleElement()
                .satisfies(f -> assertThat(f.agent()).isEqualTo(BOB));
        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.HANDLER_FAILED);
            assertThat(letter.detail())
                    .isEqualTo("the handler of agent \"bob\" threw java.lang.IllegalStateException: boom");
        });
    }

    @Test
    void handle_listenerThrowsToo_deadLetterStillRecorded() {
        HandlerSupervisor supervisor = supervisor(JsonMessageCodec.create(), f -> {
            throw new IllegalStateException("listener broke its contract");
        });

        supervisor.handle(
                BOB,
                m -> {
                    throw new IllegalArgumentException();
                },
                Envelope.of(ALICE, BOB, "t", "hi"));

        assertThat(sink.failureReplies).isEmpty(); // not a request
        assertThat(sink.letters)
                .singleElement()
                .satisfies(letter -> assertThat(letter.detail()).endsWith("threw java.lang.IllegalArgumentException"));
    }

    @Test
    void decode_malformedBytes_malformedDeadLetterAndNull() {
        HandlerSupervisor supervisor = supervisor();
        byte[] bytes = "{not json".getBytes(StandardCharsets.UTF_8);

        assertThat(supervisor.decode(bytes, null, BOB, Object.class)).isNull();

        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MALFORMED);
            assertThat(letter.recipient()).isEqualTo(BOB);
        });
        assertThat(sink.undecodable).hasSize(1);
        assertThat(unmarshal.snapshot().count()).isEqualTo(1);
    }

    @Test
    void decode_codecThrowsOutsideItsContract_malformedDeadLetterNamingTheError() {
        MessageCodec broken = new MessageCodec() {
            @Override
            public byte[] encode(Envelope envelope) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int maxMessageBytes() {
                return 100;
            }

            @Override
            public Envelope decode(byte[] bytes) {
                throw new StackOverflowError("deep");
            }

            @Override
            public Envelope decode(byte[] bytes, Class<?> payloadType) {
                throw new StackOverflowError("deep");
            }
        };
        HandlerSupervisor supervisor = supervisor(broken, reported::add);
        Envelope original = Envelope.of(ALICE, BOB, "t", "hi");

        assertThat(supervisor.decode(new byte[] {1}, original, BOB, Object.class))
                .isNull();

        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.envelope()).isSameAs(original);
            assertThat(letter.detail()).isEqualTo("could not be decoded: java.lang.StackOverflowError: deep");
        });
    }

    @Test
    void decode_goodBytes_envelope() {
        Envelope sent = Envelope.of(ALICE, BOB, "t", "hi");

        Envelope decoded = supervisor().decode(JsonMessageCodec.create().encode(sent), sent, BOB, Object.class);

        assertThat(decoded.id()).isEqualTo(sent.id());
        assertThat(sink.letters).isEmpty();
    }

    @Test
    void unhandled_error_handlerFailedDeadLetterWithBytes() {
        supervisor().unhandled(BOB, null, new byte[] {1, 2}, new OutOfMemoryError("gone"));

        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.HANDLER_FAILED);
            assertThat(letter.detail())
                    .isEqualTo("handling failed outside the handler: java.lang.OutOfMemoryError: gone");
        });
    }
}
