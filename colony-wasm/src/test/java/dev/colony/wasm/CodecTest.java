package dev.colony.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.JsonMessageCodec;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CodecTest {
    private static final AgentId ALICE = AgentId.of("alice");
    private static final AgentId BOB = AgentId.of("bob");

    private final PluginHost host = PluginHost.create();

    CodecTest() {
        host.deploy(
                "redact",
                Wat.wasm("redact"),
                null,
                DeployOptions.defaults().withLimits(PluginLimits.filter().withDeadline(Duration.ofSeconds(5))));
    }

    @AfterEach
    void close() {
        host.close();
    }

    private Messenger messenger(PluginCodec.Side side) {
        return Messenger.builder()
                .marshalEverySend(true)
                .codec(host.codec(JsonMessageCodec.create(), "redact", FailurePolicy.FAIL_CLOSED, side))
                .build();
    }

    private static BlockingQueue<Envelope> collect(Messenger messenger) {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        Inbox inbox = messenger.open(BOB);
        inbox.attach(received::add);
        return received;
    }

    @Test
    void send_rejectedByThePlugin_deadLetterWithThePluginsReason() throws Exception {
        try (Messenger messenger = messenger(PluginCodec.Side.SEND)) {
            BlockingQueue<Envelope> received = collect(messenger);

            assertThat(messenger.send(Envelope.of(ALICE, BOB, "note", "issue #42")))
                    .isEqualTo(SendOutcome.REJECTED);
            assertThat(messenger.send(Envelope.of(ALICE, BOB, "note", "plain"))).isEqualTo(SendOutcome.DELIVERED);

            assertThat(received.poll(30, TimeUnit.SECONDS).payload()).isEqualTo("plain");
            DeadLetter letter = messenger.deadLetters().poll();
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.UNENCODABLE);
            assertThat(letter.detail()).contains("rejected by plugin redact").contains("the message contains '#'");
            assertThat(messenger.deadLetters().size()).isZero();
        }
    }

    @Test
    void send_pluginReplacesTheBytes_recipientGetsTheReplacement() throws Exception {
        try (Messenger messenger = messenger(PluginCodec.Side.SEND)) {
            BlockingQueue<Envelope> received = collect(messenger);

            messenger.send(Envelope.of(ALICE, BOB, "note", "the secret is out"));

            assertThat(received.poll(30, TimeUnit.SECONDS).payload()).isEqualTo("the ****** is out");
            PluginStats stats = host.stats("redact").orElseThrow();
            assertThat(stats.replaced()).isEqualTo(1);
            assertThat(stats.bytesOut()).isPositive();
        }
    }

    @Test
    void receive_rejectedEncodedMessage_malformedDeadLetterWithTheReason() throws Exception {
        try (Messenger messenger = messenger(PluginCodec.Side.RECEIVE)) {
            collect(messenger);
            byte[] encoded = JsonMessageCodec.create().encode(Envelope.of(ALICE, BOB, "note", "#hashtag"));

            messenger.deliverEncoded(BOB, encoded);

            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> messenger.deadLetters().size() == 1);
            DeadLetter letter = messenger.deadLetters().poll();
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MALFORMED);
            assertThat(letter.detail()).contains("the message contains '#'");
        }
    }

    @Test
    void apply_unchangedBytes_sameBytesBack() {
        PluginCodec codec =
                host.codec(JsonMessageCodec.create(), "redact", FailurePolicy.FAIL_CLOSED, PluginCodec.Side.SEND);
        byte[] bytes = JsonMessageCodec.create().encode(Envelope.of(ALICE, BOB, "note", "plain"));

        assertThat(codec.apply(bytes)).isSameAs(bytes);
        assertThatThrownBy(() -> codec.apply("#".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the message contains '#'");
    }

    @Test
    void notDeployed_failOpen_passesBytes_failClosed_rejects() {
        byte[] bytes = {1, 2, 3};
        assertThat(host.codec(JsonMessageCodec.create(), "nothing", FailurePolicy.FAIL_OPEN, PluginCodec.Side.SEND)
                        .apply(bytes))
                .isSameAs(bytes);
        assertThatThrownBy(() -> host.codec(
                                JsonMessageCodec.create(), "nothing", FailurePolicy.FAIL_CLOSED, PluginCodec.Side.SEND)
                        .apply(bytes))
                .hasMessageContaining("not deployed");
    }
}
