package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colony.state.SnapshotCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server over a colony in Redis has no snapshot files: every snapshot route answers 409 {@code NOT_DURABLE}
 * with a problem that says the colony is in Redis and how to back it up, and a restore changes nothing.
 */
class SnapshotRoutesRedisTest {

    @Test
    void snapshotRoutes_colonyInRedis_notDurableProblemNamingRedisAndNothingChanged() {
        try (ServerFixture f = new ServerFixture(RedisHttp.colony().build(), ServerLimits.defaults())) {
            assertThat(f.admin.put("/v1/memory/cfg/k", "{\"value\":1}").status())
                    .isEqualTo(200);
            long revision = f.colony.state().revision();
            byte[] file = SnapshotCodec.encode(f.colony.state().snapshot());

            List<Http.Res> answers = List.of(
                    f.admin.get("/v1/snapshots"),
                    f.admin.post("/v1/snapshots", null),
                    f.admin.get("/v1/snapshots/snapshot-00000000000000000001.snap"),
                    f.admin.post("/v1/snapshots/snapshot-00000000000000000001.snap/restore", null),
                    f.admin.postBytes("/v1/snapshots/restore", file));

            assertThat(answers).allSatisfy(res -> {
                assertThat(res.status()).as(res.text()).isEqualTo(409);
                assertThat(res.header("Content-Type")).startsWith("application/problem+json");
                assertThat(res.code()).isEqualTo("NOT_DURABLE");
                assertThat(res.json().path("detail").asString())
                        .contains("Redis")
                        .doesNotContain("--data");
            });
            assertThat(f.colony.state().revision()).isEqualTo(revision);
            assertThat(f.admin.get("/v1/memory/cfg/k").json().path("value").asInt())
                    .isEqualTo(1);
        }
    }
}
