package dev.colony.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.Colony;
import dev.colony.state.Durability;
import dev.colony.state.SnapshotCodec;
import dev.colony.state.TaskStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DurableRestartTest {

    private static Colony durable(Path dir) {
        return Colony.builder().durability(Durability.in(dir)).build();
    }

    @Test
    void restart_losesNoAcknowledgedSubmitOrPut(@TempDir Path dir) {
        int n = 50;
        try (ServerFixture f = new ServerFixture(durable(dir), ServerLimits.defaults())) {
            for (int i = 0; i < n; i++) {
                assertThat(f.admin
                                .post("/v1/tasks", "{\"id\":\"t" + i + "\",\"type\":\"render\",\"payload\":" + i + "}")
                                .status())
                        .isEqualTo(201);
                assertThat(f.admin
                                .put("/v1/memory/cfg/k" + i, "{\"value\":" + i + "}")
                                .status())
                        .isEqualTo(200);
            }
            long token = f.admin
                    .post("/v1/tasks/claim", "{\"agent\":\"w\",\"types\":[\"render\"]}")
                    .json()
                    .path("token")
                    .asLong();
            String claimed = f.admin
                    .get("/v1/tasks?status=CLAIMED")
                    .json()
                    .path("tasks")
                    .get(0)
                    .path("id")
                    .asString();
            assertThat(f.admin
                            .post("/v1/tasks/" + claimed + "/complete", "{\"token\":" + token + ",\"result\":\"done\"}")
                            .status())
                    .isEqualTo(200);
        }

        try (ServerFixture f = new ServerFixture(durable(dir), ServerLimits.defaults())) {
            assertThat(f.admin.get("/v1/tasks?status=QUEUED").json().path("tasks"))
                    .hasSize(n - 1);
            assertThat(f.colony.tasks().byStatus(TaskStatus.COMPLETED)).hasSize(1);
            for (int i = 0; i < n; i++) {
                JsonNode entry = f.admin.get("/v1/memory/cfg/k" + i).json();
                assertThat(entry.path("value").asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void snapshots_createListRestore(@TempDir Path dir) {
        try (ServerFixture f = new ServerFixture(durable(dir), ServerLimits.defaults())) {
            f.admin.put("/v1/memory/cfg/k", "{\"value\":1}");
            Http.Res created = f.admin.post("/v1/snapshots", null);
            assertThat(created.status()).isEqualTo(201);
            String name = created.json().path("name").asString();
            assertThat(f.admin.get("/v1/snapshots").json().path("snapshots").toString())
                    .contains(name);

            Http.Res restored = f.admin.post("/v1/snapshots/" + name + "/restore", null);
            assertThat(restored.status()).as(restored.text()).isEqualTo(200);
            f.admin.put("/v1/memory/cfg/k", "{\"value\":2}");
            Http.Res older = f.admin.post("/v1/snapshots/" + name + "/restore", null);
            // the revision never goes back (DurableState): an older snapshot is refused
            assertThat(older.code()).as(older.text()).isEqualTo("RESTORE_REFUSED");
            assertThat(f.admin.get("/v1/memory/cfg/k").json().path("value").asInt())
                    .isEqualTo(2);
            assertThat(f.admin.post("/v1/snapshots/nope.snap/restore", null).code())
                    .isEqualTo("NO_SUCH_SNAPSHOT");
        }
    }

    @Test
    void snapshots_downloadedFromOneServer_uploadedAndRestoredOnAnother(@TempDir Path dir) {
        byte[] file;
        try (ServerFixture f = new ServerFixture(durable(dir.resolve("a")), ServerLimits.defaults())) {
            f.admin.put("/v1/memory/cfg/k", "{\"value\":7}");
            String name =
                    f.admin.post("/v1/snapshots", null).json().path("name").asString();
            file = f.admin.bytes("/v1/snapshots/" + name);
            assertThat(SnapshotCodec.decode(file).revision()).isEqualTo(1);
            assertThat(f.admin.get("/v1/snapshots/" + name).header("Content-Type"))
                    .isEqualTo("application/octet-stream");
            assertThat(f.admin
                            .get("/v1/snapshots/snapshot-00000000000000000099.snap")
                            .code())
                    .isEqualTo("NO_SUCH_SNAPSHOT");
            assertThat(f.admin.get("/v1/snapshots/journal").code()).isEqualTo("NO_SUCH_SNAPSHOT");
        }

        try (ServerFixture f = new ServerFixture(durable(dir.resolve("b")), ServerLimits.defaults())) {
            Http.Res bad = f.admin.postBytes("/v1/snapshots/restore", "{\"not\":\"a snapshot\"}".getBytes(UTF_8));
            assertThat(bad.status()).as(bad.text()).isEqualTo(400);
            assertThat(bad.code()).isEqualTo("BAD_SNAPSHOT");
            assertThat(f.admin.get("/v1/memory/cfg/k").status()).isEqualTo(404);

            Http.Res restored = f.admin.postBytes("/v1/snapshots/restore", file);
            assertThat(restored.status()).as(restored.text()).isEqualTo(200);
            assertThat(restored.json().path("revision").asLong()).isEqualTo(1);
            assertThat(f.admin.get("/v1/memory/cfg/k").json().path("value").asInt())
                    .isEqualTo(7);
            f.admin.put("/v1/memory/cfg/k", "{\"value\":8}");
            Http.Res older = f.admin.postBytes("/v1/snapshots/restore", file);
            assertThat(older.code()).as(older.text()).isEqualTo("RESTORE_REFUSED");
            assertThat(f.admin.get("/v1/memory/cfg/k").json().path("value").asInt())
                    .isEqualTo(8);
        }
    }

    @Test
    void snapshots_embeddedWithoutData_notDurableNamingTheDataOption() {
        try (ServerFixture f = new ServerFixture()) {
            Http.Res res = f.admin.postBytes("/v1/snapshots/restore", new byte[] {1, 2, 3});

            assertThat(res.status()).isEqualTo(409);
            assertThat(res.code()).isEqualTo("NOT_DURABLE");
            assertThat(res.json().path("detail").asString()).contains("--data");
        }
    }
}
