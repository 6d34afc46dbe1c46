package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.messaging.AgentId;
import dev.colony.state.AssignmentStrategy;
import dev.colony.state.Lease;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TaskApiTest {
    private final ServerFixture f = new ServerFixture();
    private final Http http = f.admin;

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void submitClaimComplete_happyPath_completesOnceWithResult() {
        Http.Res submitted = http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":{\"frame\":7}}");
        assertThat(submitted.status()).isEqualTo(201);
        assertThat(submitted.json().path("status").asString()).isEqualTo("QUEUED");

        Http.Res claimed = http.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"]}");
        assertThat(claimed.status()).isEqualTo(200);
        JsonNode lease = claimed.json();
        assertThat(lease.path("taskId").asString()).isEqualTo("t1");
        assertThat(lease.path("task").path("payload").path("frame").asInt()).isEqualTo(7);
        long token = lease.path("token").asLong();

        Http.Res done = http.post("/v1/tasks/t1/complete", "{\"token\":" + token + ",\"result\":{\"ok\":true}}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("task").path("status").asString()).isEqualTo("COMPLETED");

        Http.Res again = http.post("/v1/tasks/t1/complete", "{\"token\":" + token + ",\"result\":1}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("NOT_CLAIMED");
        assertThat(http.get("/v1/tasks/t1").json().path("result").path("ok").asBoolean())
                .isTrue();
    }

    @Test
    void complete_staleToken_isStaleLease() {
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1}");
        long token = http.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"]}")
                .json()
                .path("token")
                .asLong();

        Http.Res stale = http.post("/v1/tasks/t1/complete", "{\"token\":" + (token + 100) + "}");

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.code()).isEqualTo("STALE_LEASE");
        assertThat(f.colony.tasks().get("acme_t1").orElseThrow().status().name())
                .isEqualTo("CLAIMED");
    }

    @Test
    void completeWithNext_completesAndAnswersTheNextLeaseOfTheNamedTypes() {
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1}");
        http.post("/v1/tasks", "{\"id\":\"e1\",\"type\":\"encode\",\"payload\":2}");
        http.post("/v1/tasks", "{\"id\":\"t2\",\"type\":\"render\",\"payload\":3}");
        long token = http.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"]}")
                .json()
                .path("token")
                .asLong();

        Http.Res res = http.post(
                "/v1/tasks/t1/complete",
                "{\"token\":" + token
                        + ",\"result\":{\"ok\":true},\"next\":{\"agent\":\"w1\",\"types\":[\"render\"],\"lease\":\"7s\"}}");

        assertThat(res.status()).as(res.text()).isEqualTo(200);
        assertThat(res.json().path("taskId").asString()).isEqualTo("t1");
        assertThat(res.json().path("outcome").asString()).isEqualTo("OK");
        JsonNode next = res.json().path("next");
        assertThat(next.path("taskId").asString()).isEqualTo("t2");
        assertThat(next.path("agent").asString()).isEqualTo("w1");
        assertThat(next.path("task").path("payload").asInt()).isEqualTo(3);
        assertThat(f.colony.tasks().get("acme_t1").orElseThrow().status().name())
                .isEqualTo("COMPLETED");
        assertThat(f.colony.tasks().get("acme_e1").orElseThrow().status().name())
                .isEqualTo("QUEUED");
        assertThat(f.guard.audits).contains("acme.admin task.complete t1", "acme.admin task.claim t2");

        Http.Res last = http.post(
                "/v1/tasks/t2/complete",
                "{\"token\":" + next.path("token").asLong() + ",\"next\":{\"agent\":\"w1\",\"types\":[\"render\"]}}");

        assertThat(last.status()).isEqualTo(200);
        assertThat(last.json().path("outcome").asString()).isEqualTo("OK");
        assertThat(last.json().has("next")).as(last.text()).isFalse();
    }

    @Test
    void completeWithNext_staleToken_answersTheOutcomeAndStillClaims() {
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1}");
        http.post("/v1/tasks", "{\"id\":\"t2\",\"type\":\"render\",\"payload\":2}");
        long token = http.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"]}")
                .json()
                .path("token")
                .asLong();

        Http.Res res = http.post(
                "/v1/tasks/t1/complete",
                "{\"token\":" + (token + 100) + ",\"next\":{\"agent\":\"w2\",\"types\":[\"render\"]}}");

        assertThat(res.status()).as(res.text()).isEqualTo(200);
        assertThat(res.json().path("outcome").asString()).isEqualTo("STALE_LEASE");
        assertThat(res.json().path("next").path("taskId").asString()).isEqualTo("t2");
        assertThat(res.json().path("next").path("agent").asString()).isEqualTo("w2");
        assertThat(f.colony.tasks().get("acme_t1").orElseThrow().status().name())
                .isEqualTo("CLAIMED");
        assertThat(f.colony.tasks().get("acme_t2").orElseThrow().holder().value())
                .isEqualTo("acme_w2");
    }

    @Test
    void submit_sameIdTwice_isIdempotentAndOtherPayloadConflicts() {
        String body = "{\"id\":\"t1\",\"type\":\"render\",\"payload\":{\"a\":1}}";
        assertThat(http.post("/v1/tasks", body).status()).isEqualTo(201);
        assertThat(http.post("/v1/tasks", body).status()).isEqualTo(200);
        Http.Res other = http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":{\"a\":2}}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("TASK_EXISTS");
        assertThat(f.colony.tasks().byStatus(dev.colony.state.TaskStatus.QUEUED))
                .hasSize(1);
    }

    @Test
    void claim_otherType_doesNotTakeTheTask() {
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1}");

        Http.Res none = http.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"encode\"]}");

        assertThat(none.status()).isEqualTo(204);
        assertThat(http.get("/v1/tasks/t1").json().path("status").asString()).isEqualTo("QUEUED");
    }

    @Test
    void claim_withWait_returnsWhenATaskIsSubmitted() {
        CompletableFuture<Http.Res> waiting = CompletableFuture.supplyAsync(
                () -> http.post("/v1/tasks/claim?wait=20s", "{\"agent\":\"w1\",\"types\":[\"render\"]}"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> f.server.waitingClaims() == 1);

        http.post("/v1/tasks", "{\"id\":\"late\",\"type\":\"render\",\"payload\":1}");

        Http.Res claimed = waiting.join();
        assertThat(claimed.status()).isEqualTo(200);
        assertThat(claimed.json().path("taskId").asString()).isEqualTo("late");
    }

    @Test
    void failRetryable_thenList_showsTheTaskQueuedForRetry() {
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1,\"maxAttempts\":1}");
        long token = http.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"]}")
                .json()
                .path("token")
                .asLong();

        Http.Res failed =
                http.post("/v1/tasks/t1/fail", "{\"token\":" + token + ",\"reason\":\"boom\",\"retryable\":true}");

        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.json().path("task").path("status").asString()).isEqualTo("DEAD");
        assertThat(http.get("/v1/tasks?status=DEAD")
                        .json()
                        .path("tasks")
                        .get(0)
                        .path("lastError")
                        .asString())
                .contains("boom");
    }

    @Test
    void renewAndCancel_byAdmin_changeTheTask() {
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1}");
        long token = http.post("/v1/tasks/claim", "{\"agent\":\"w1\",\"types\":[\"render\"],\"lease\":\"5s\"}")
                .json()
                .path("token")
                .asLong();

        assertThat(http.post("/v1/tasks/t1/renew", "{\"token\":" + token + ",\"extension\":\"60s\"}")
                        .status())
                .isEqualTo(200);
        Http.Res cancelled = http.post("/v1/tasks/t1/cancel", null);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asString()).isEqualTo("CANCELLED");
        assertThat(f.guard.audits).contains("acme.admin task.submit t1", "acme.admin task.cancel t1");
    }

    @Test
    void registerWithTypes_coordinatorAssigns_agentFinishesOverHttp() {
        Http.Res registered =
                http.post("/v1/agents", "{\"id\":\"w1\",\"capabilities\":[\"gpu\"],\"types\":[\"render\"]}");
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().path("capabilities").toString()).isEqualTo("[\"gpu\"]");
        assertThat(registered.json().path("types").toString()).isEqualTo("[\"render\"]");
        http.post("/v1/agents/w1/status", "{\"status\":\"IDLE\"}");
        http.post("/v1/tasks", "{\"id\":\"t1\",\"type\":\"render\",\"payload\":1}");
        http.post("/v1/tasks", "{\"id\":\"t2\",\"type\":\"index\",\"payload\":2}");

        Lease lease = f.colony
                .tasks()
                .assign(AssignmentStrategy.PRIORITY, Duration.ofSeconds(30), null)
                .orElseThrow();

        assertThat(lease.taskId()).isEqualTo("acme_t1");
        assertThat(f.colony.tasks().assign(AssignmentStrategy.PRIORITY, Duration.ofSeconds(30), null))
                .as("w1 does not take type index")
                .isEmpty();
        Http.Res done = http.post("/v1/tasks/t1/complete", "{\"token\":" + lease.token() + "}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(http.get("/v1/agents")
                        .json()
                        .path("agents")
                        .get(0)
                        .path("types")
                        .toString())
                .isEqualTo("[\"render\"]");
        Http.Res refused = f.admin.as("noclaim").post("/v1/agents", "{\"id\":\"w2\",\"types\":[\"secret\"]}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(f.colony.registry().get(AgentId.of("acme_w2"))).isEmpty();
    }
}
