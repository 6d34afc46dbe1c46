package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static dev.colony.messaging.MessengerFixture.message;
import static dev.colony.messaging.MessengerFixture.next;
import static dev.colony.messaging.MessengerFixture.replyOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link MessengerContract}: messages marshalled on every send behave as if they crossed a
 * process boundary, and encoded messages arriving from elsewhere are decoded by the inbox, with
 * malformed ones dead-lettered.
 */
public interface MessengerMarshalContract extends MessengerFixture {

    /** A payload type of the kind users send. */
    record Reading(String sensor, double value, List<Integer> window) {}

    @Test
    default void marshal_recordPayload_decodedIntoTheInboxsTypeAsACopy() throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(true));
        BlockingQueue<Envelope> received =
                collect(messenger, BOB, InboxOptions.defaults().withPayloadType(Reading.class));
        Reading reading = new Reading("t-1", 0.1 + 0.2, List.of(1, 2, 3));
        Envelope sent = message(ALICE, BOB, reading).withHeader("trace", "abc").withPriority(7);

        assertThat(messenger.send(sent)).isEqualTo(SendOutcome.DELIVERED);

        Envelope got = next(received);
        assertThat(got).isEqualTo(sent);
        assertThat(got.payload()).isNotSameAs(reading);
        assertThat(Double.doubleToRawLongBits(got.payload(Reading.class).value()))
                .isEqualTo(Double.doubleToRawLongBits(0.1 + 0.2));
        MessengerMetrics metrics = messenger.metrics();
        assertThat(metrics.marshal().count()).isEqualTo(1);
        assertThat(metrics.unmarshal().count()).isEqualTo(1);
    }

    @Test
    default void marshal_withoutPayloadType_genericTree() throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(true));
        BlockingQueue<Envelope> received = collect(messenger, BOB);

        messenger.send(message(ALICE, BOB, new Reading("t-2", 2.5, List.of())));

        assertThat(next(received).payload()).isEqualTo(Map.of("sensor", "t-2", "value", 2.5, "window", List.of()));
    }

    @Test
    default void marshal_tooLarge_rejectedWithSizeInTheDeadLetter() {
        Messenger messenger =
                messenger(Messenger.builder().marshalEverySend(true).codec(JsonMessageCodec.create(1_000)));
        collect(messenger, BOB);

        assertThat(messenger.send(message(ALICE, BOB, "x".repeat(2_000)))).isEqualTo(SendOutcome.REJECTED);

        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.TOO_LARGE);
        assertThat(letter.detail()).contains("1000");
    }

    @Test
    default void marshal_unencodablePayload_rejected() {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(true));
        collect(messenger, BOB);

        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);

        assertThat(messenger.send(message(ALICE, BOB, cyclic))).isEqualTo(SendOutcome.REJECTED);

        assertThat(messenger.deadLetters().poll().reason()).isEqualTo(DeadLetter.Reason.UNENCODABLE);
    }

    @Test
    default void marshal_payloadDoesNotFitInboxType_malformedDeadLetterAndInboxGoesOn() throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(true));
        BlockingQueue<Envelope> received =
                collect(messenger, BOB, InboxOptions.defaults().withPayloadType(Reading.class));

        messenger.send(message(ALICE, BOB, List.of("not", "a", "reading")));
        messenger.send(message(ALICE, BOB, new Reading("ok", 1, List.of())));

        assertThat(next(received).payload(Reading.class).sensor()).isEqualTo("ok");
        DeadLetter letter = messenger.deadLetters().poll();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MALFORMED);
        assertThat(letter.bytes()).isNotNull();
        assertThat(letter.recipient()).isEqualTo(BOB);
    }

    @Test
    default void marshal_requestReply_roundTripsThroughTheCodec() throws Exception {
        Messenger messenger = messenger(Messenger.builder().marshalEverySend(true));
        messenger.open(BOB).attach(m -> messenger.reply(m, Map.of("echo", m.payload())));

        Envelope reply = replyOf(messenger.request(message(ALICE, BOB, "hi"), Duration.ofSeconds(30)));

        assertThat(reply.payload()).isEqualTo(Map.of("echo", "hi"));
    }

    @Test
    default void deliverEncoded_malformedBytes_deadLetteredAndInboxGoesOn() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);

        assertThat(messenger.deliverEncoded(BOB, "{not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SendOutcome.DELIVERED);
        assertThat(messenger.deliverEncoded(BOB, "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SendOutcome.DELIVERED);
        Envelope good = message(ALICE, BOB, "fine");
        messenger.deliverEncoded(BOB, messenger.codec().encode(good));

        assertThat(next(received)).isEqualTo(good);
        eventually().until(() -> messenger.deadLetters().size() == 2);
        List<DeadLetter> letters = messenger.deadLetters().drain();
        assertThat(letters).extracting(DeadLetter::reason).containsOnly(DeadLetter.Reason.MALFORMED);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.envelope()).isNull();
            assertThat(l.bytes()).isNotEmpty();
            assertThat(l.detail()).isNotBlank();
        });
    }

    @Test
    default void deliverEncoded_writtenByHandLikeAnotherLanguage_delivered() throws Exception {
        Messenger messenger = messenger();
        BlockingQueue<Envelope> received = collect(messenger, BOB);
        String json = """
                {"data": {"task": "t-9", "score": 0.75},
                 "type": "task.offer", "to": "bob", "priority": 6,
                 "source": "colony:agent/py-worker", "id": "m-42", "specversion": "1.0",
                 "time": "2026-11-27T10:00:00Z", "tenant": "acme"}
                """;

        messenger.deliverEncoded(BOB, json.getBytes(StandardCharsets.UTF_8));

        Envelope got = next(received);
        assertThat(got.id()).isEqualTo("m-42");
        assertThat(got.source()).isEqualTo(AgentId.of("py-worker"));
        assertThat(got.type()).isEqualTo("task.offer");
        assertThat(got.priority()).isEqualTo(6);
        assertThat(got.headers()).containsEntry("tenant", "acme");
        assertThat(got.payload()).isEqualTo(Map.of("task", "t-9", "score", 0.75));
    }

    @Test
    default void deliverEncoded_unknownRecipientOrTooLarge_reported() {
        Messenger messenger = messenger(Messenger.builder().codec(JsonMessageCodec.create(100)));
        collect(messenger, BOB);

        assertThat(messenger.deliverEncoded(CAROL, "{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SendOutcome.NO_SUCH_AGENT);
        assertThat(messenger.deliverEncoded(BOB, new byte[101])).isEqualTo(SendOutcome.REJECTED);

        assertThat(messenger.deadLetters().drain())
                .extracting(DeadLetter::reason)
                .containsExactly(DeadLetter.Reason.NO_SUCH_AGENT, DeadLetter.Reason.TOO_LARGE);
    }
}
