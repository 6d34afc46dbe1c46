package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.messaging.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Closing an HTTP inbox, or stopping the server, loses no message silently (ADR 0054): of the messages
 * delivered to the inbox, those a reader acknowledged are done, and every other one (read and not acknowledged,
 * waiting in the server's buffer, or still queued in the colony inbox behind it) becomes exactly one
 * {@code RECIPIENT_CLOSED} dead letter; a request among them fails {@code UNDELIVERED} at once.
 *
 * <p>The inbox holds 8: the messages after the acknowledged ones fill its buffer and queue behind it. A send the
 * full inbox refuses (503 {@code MAILBOX_FULL}, possible on either backend while the colony inbox's thread has
 * not taken its batch yet) is not delivered and is not counted: the checks are exact whatever the split.
 */
class InboxCloseTest {
    private static final int CAPACITY = 8;

    private ServerFixture f;
    private Http http;

    /** The colony behind the server (embedded here). */
    Colony colony() {
        return Colony.embedded();
    }

    @BeforeEach
    void start() {
        f = new ServerFixture(colony(), ServerLimits.defaults());
        http = f.admin;
        http.post("/v1/agents", "{\"id\":\"a\"}");
        http.post("/v1/agents", "{\"id\":\"b\"}");
        assertThat(http.post("/v1/agents/b/inbox", "{\"capacity\":" + CAPACITY + "}")
                        .status())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void closeInbox_nDeliveredKAcknowledged_exactlyTheRestDeadLetteredOnceAndTheRequestUndelivered() {
        List<Integer> unacknowledged = new ArrayList<>(sendPlain(1, 6));
        int acknowledged = readAndAcknowledge(5);
        unacknowledged.removeIf(n -> n <= 5);
        CompletableFuture<Http.Res> request = CompletableFuture.supplyAsync(() -> http.post(
                "/v1/messages/request",
                "{\"from\":\"a\",\"to\":\"b\",\"type\":\"ask\",\"payload\":7,\"timeout\":\"PT20S\"}"));
        Awaitility.await().atMost(SseClient.generous()).until(() -> unread() == 2);
        unacknowledged.add(7);
        unacknowledged.addAll(sendPlain(8, 20));

        assertThat(http.delete("/v1/agents/b/inbox").status()).isEqualTo(204);

        Http.Res answer = request.join();
        assertThat(answer.status()).as(answer.text()).isEqualTo(409);
        assertThat(answer.code()).isEqualTo("UNDELIVERED");
        List<Integer> letters = closedLetters();
        assertThat(acknowledged).isEqualTo(5);
        assertThat(letters).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(unacknowledged);
        assertThat(letters).hasSize(unacknowledged.size());
        assertThat(http.get("/v1/agents/b/inbox").code()).isEqualTo("NO_SUCH_AGENT");
    }

    @Test
    void closeInbox_everythingAcknowledged_noDeadLetter() {
        sendPlain(1, 4);
        readAndAcknowledge(4);

        http.delete("/v1/agents/b/inbox");

        assertThat(closedLetters()).isEmpty();
    }

    @Test
    void stopServer_nDeliveredKAcknowledged_exactlyTheRestDeadLetteredInTheColony() {
        List<Integer> unacknowledged = new ArrayList<>(sendPlain(1, 6));
        readAndAcknowledge(3);
        unacknowledged.removeIf(n -> n <= 3);
        unacknowledged.addAll(sendPlain(7, 18));

        f.server.close(); // the colony stays open: the caller closes it after the server (ColonyServer's contract)

        List<Integer> letters = f.colony.messenger().deadLetters().peekAll().stream()
                .filter(d -> d.reason() == DeadLetter.Reason.RECIPIENT_CLOSED)
                .map(d -> Json.fromPayload(d.envelope().payload()).asInt())
                .toList();
        assertThat(letters).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(unacknowledged);
        assertThat(f.colony.messenger().deadLetters().peekAll())
                .filteredOn(d -> d.reason() == DeadLetter.Reason.RECIPIENT_CLOSED)
                .allSatisfy(d -> assertThat(d.recipient().value()).isEqualTo("acme_b"));
    }

    /** Sends {@code from..to} from a to b; the payloads delivered (a refused send is left out). */
    private List<Integer> sendPlain(int from, int to) {
        List<Integer> delivered = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            Http.Res res =
                    http.post("/v1/messages", "{\"from\":\"a\",\"to\":\"b\",\"type\":\"note\",\"payload\":" + n + "}");
            if (res.status() == 200) {
                delivered.add(n);
            } else {
                assertThat(res.code()).as(res.text()).isEqualTo("MAILBOX_FULL");
            }
        }
        return delivered;
    }

    /** Reads the first {@code k} messages, checks they are 1..k, and acknowledges them; returns k. */
    private int readAndAcknowledge(int k) {
        Awaitility.await()
                .atMost(SseClient.generous())
                .until(() -> http.get("/v1/agents/b/inbox?max=" + k)
                                .json()
                                .path("messages")
                                .size()
                        == k);
        JsonNode read = http.get("/v1/agents/b/inbox?max=" + k).json().path("messages");
        for (int i = 0; i < k; i++) {
            assertThat(read.get(i).path("message").path("payload").asInt()).isEqualTo(i + 1);
        }
        long last = read.get(k - 1).path("seq").asLong();
        assertThat(http.post("/v1/agents/b/inbox/ack", "{\"upTo\":" + last + "}")
                        .status())
                .isEqualTo(200);
        return k;
    }

    private int unread() {
        return http.post("/v1/agents/b/heartbeat", null).json().path("unread").asInt();
    }

    /** The payloads of the account's RECIPIENT_CLOSED dead letters, as {@code GET /v1/messages/dead-letters} shows. */
    private List<Integer> closedLetters() {
        List<Integer> payloads = new ArrayList<>();
        for (JsonNode d : http.get("/v1/messages/dead-letters").json().path("deadLetters")) {
            if (d.path("reason").asString().equals("RECIPIENT_CLOSED")) {
                assertThat(d.path("recipient").asString()).isEqualTo("b");
                payloads.add(d.path("message").path("payload").asInt());
            }
        }
        return payloads;
    }
}
