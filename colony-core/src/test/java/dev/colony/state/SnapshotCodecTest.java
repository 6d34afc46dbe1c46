package dev.colony.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colony.messaging.AgentId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SnapshotCodecTest {
    private static final Instant T = Instant.parse("2026-11-27T12:00:00.123456789Z");

    static Snapshot sample() {
        AgentRecord alice = new AgentRecord(
                AgentId.of("alice"),
                "worker",
                Set.of("gpu", "cpu"),
                Map.of("zone", "eu", "ünï", "cödé"),
                AgentStatus.BUSY,
                T,
                T.plusSeconds(5));
        AgentRecord bob = new AgentRecord(AgentId.of("bob"), "boss", Set.of(), Map.of(), AgentStatus.FAILED, T, T);
        Task queued = new Task(
                TaskSpec.of("t-1", "render", bytes("in-1")).withPriority(7).withRequiredCapabilities(Set.of("gpu")),
                TaskStatus.QUEUED,
                1,
                null,
                0,
                null,
                T.plusSeconds(9),
                null,
                "lease expired",
                T);
        Task claimed = new Task(
                TaskSpec.of("t-2", "render", new byte[0]),
                TaskStatus.CLAIMED,
                2,
                AgentId.of("alice"),
                42,
                T.plusSeconds(30),
                null,
                null,
                null,
                T);
        Task done = new Task(
                TaskSpec.of("t-3", "index", bytes("x")).withMaxAttempts(1),
                TaskStatus.COMPLETED,
                1,
                null,
                0,
                null,
                null,
                bytes("result"),
                null,
                T);
        return new Snapshot(
                1234,
                T,
                List.of(alice, bob),
                List.of(queued, claimed, done),
                List.of(
                        new Snapshot.LeaderTerm("planner", 3, new Leadership("planner", AgentId.of("alice"), 3, T)),
                        new Snapshot.LeaderTerm("spare", 9, null)),
                List.of(
                        new MemoryEntry("config", "a.b", bytes("v"), 4, null),
                        new MemoryEntry("config", "ttl", new byte[] {0, -1, 127}, 1, T.plusSeconds(60))),
                List.of(new Snapshot.RetiredKey("config", "gone", 17)),
                42,
                5);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(SnapshotFormat.class)
    void encodeDecode_everyFormat_sameContentByTheCanonicalBytes(SnapshotFormat format) {
        Snapshot snapshot = sample();
        byte[] canonical = SnapshotCodec.encode(snapshot);
        for (boolean compress : new boolean[] {false, true}) {
            byte[] encoded = SnapshotCodec.encode(snapshot, format, compress);

            Snapshot decoded = SnapshotCodec.decode(encoded);

            assertThat(SnapshotCodec.encode(decoded)).isEqualTo(canonical);
            assertThat(decoded.agents()).isEqualTo(snapshot.agents());
            assertThat(decoded.leaders()).isEqualTo(snapshot.leaders());
            assertThat(decoded.retiredKeys()).isEqualTo(snapshot.retiredKeys());
            assertThat(decoded.memory().get(1).value()).containsExactly(0, -1, 127);
            assertThat(decoded.tasks().get(2).result()).isEqualTo(bytes("result"));
            assertThat(decoded.takenAt()).isEqualTo(T);
        }
    }

    @Test
    void encode_sameSnapshotTwice_identicalBytes() {
        assertThat(SnapshotCodec.encode(sample())).isEqualTo(SnapshotCodec.encode(sample()));
        assertThat(SnapshotCodec.encode(sample(), SnapshotFormat.JSON, false))
                .isEqualTo(SnapshotCodec.encode(sample(), SnapshotFormat.JSON, false));
    }

    @Test
    void decode_everySingleByteFlip_refusedAsCorrupt() {
        for (boolean compress : new boolean[] {false, true}) {
            byte[] good = SnapshotCodec.encode(sample(), SnapshotFormat.BINARY, compress);
            for (int i = 0; i < good.length; i++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << (i % 8));
                assertThatThrownBy(() -> SnapshotCodec.decode(bad))
                        .as("flip at %d of %d (compressed %s)", i, good.length, compress)
                        .isInstanceOf(CorruptSnapshotException.class);
            }
        }
    }

    @Test
    void decode_everyTruncation_refusedSayingTruncated() {
        byte[] good = SnapshotCodec.encode(sample());
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> SnapshotCodec.decode(cut))
                    .isInstanceOf(CorruptSnapshotException.class)
                    .hasMessageContaining(length < 8 ? "not a Colony snapshot" : "truncated");
        }
    }

    @Test
    void decode_trailingBytesOrOtherVersion_refused() {
        byte[] good = SnapshotCodec.encode(sample());
        assertThatThrownBy(() -> SnapshotCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("oversized");
        byte[] v2 = good.clone();
        v2[9] = 2;
        assertThatThrownBy(() -> SnapshotCodec.decode(v2))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> SnapshotCodec.decode(bytes("hello")))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("not a Colony snapshot");
    }

    @Test
    void decode_jsonEditedByHand_checksumMismatch() {
        String json = new String(SnapshotCodec.encode(sample(), SnapshotFormat.JSON, false), StandardCharsets.UTF_8);
        String edited = json.replace("\"revision\" : 1234", "\"revision\" : 1235");
        assertThat(edited).isNotEqualTo(json);

        assertThatThrownBy(() -> SnapshotCodec.decode(bytes(edited)))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("checksum mismatch");
        assertThatThrownBy(() -> SnapshotCodec.decode(bytes(json.substring(0, json.length() / 2))))
                .isInstanceOf(CorruptSnapshotException.class);
        assertThatThrownBy(() -> SnapshotCodec.decode(bytes(json.replace("\"taken_at\"", "\"taken\""))))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("taken_at");
    }

    @Test
    void inspect_goodAndBadFiles_describedWithoutThrowing() {
        byte[] good = SnapshotCodec.encode(sample(), SnapshotFormat.BINARY, true);
        SnapshotInfo info = SnapshotCodec.inspect(good);
        assertThat(info.checksumOk()).isTrue();
        assertThat(info.format()).isEqualTo(SnapshotFormat.BINARY);
        assertThat(info.compressed()).isTrue();
        assertThat(info.agents()).isEqualTo(2);
        assertThat(info.tasks()).isEqualTo(3);
        assertThat(info.memoryEntries()).isEqualTo(2);
        assertThat(info.revision()).isEqualTo(1234);

        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        SnapshotInfo badInfo = SnapshotCodec.inspect(bad);
        assertThat(badInfo.checksumOk()).isFalse();
        assertThat(badInfo.problem()).contains("checksum");
    }
}
