package dev.colony.bench;

import com.dslplatform.json.CompiledJson;
import dev.colony.bench.CodecBenchmark.Message;
import java.util.List;

/**
 * {@link CodecBenchmark}'s message as records annotated for DSL-JSON's annotation processor, which
 * generates their converters at compile time: the fastest DSL-JSON can be, and what a codec could only
 * offer for types it was compiled with, not for a user's unannotated records.
 */
final class CodecDslCompiled {
    private CodecDslCompiled() {}

    /** One payload entry. */
    @CompiledJson
    public record Entry(String key, double value) {}

    /** The payload. */
    @CompiledJson
    public record Payload(List<Entry> entries, long timestamp) {}

    /** The whole message. */
    @CompiledJson
    public record CompiledMessage(String id, String type, String sender, Payload payload) {}

    static CompiledMessage of(Message m) {
        List<Entry> entries = m.payload().entries().stream()
                .map(e -> new Entry(e.key(), e.value()))
                .toList();
        return new CompiledMessage(
                m.id(), m.type(), m.sender(), new Payload(entries, m.payload().timestamp()));
    }

    static CodecBenchmark.Payload toBenchmarkPayload(Payload p) {
        List<CodecBenchmark.Entry> entries = p.entries().stream()
                .map(e -> new CodecBenchmark.Entry(e.key(), e.value()))
                .toList();
        return new CodecBenchmark.Payload(entries, p.timestamp());
    }
}
