package dev.colony.bench;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.JsonWriter;
import com.dslplatform.json.runtime.Settings;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.JsonMessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.smile.SmileMapper;
import tools.jackson.module.blackbird.BlackbirdModule;

/**
 * One JSON round trip (encode, then decode into the typed record) of the docs/workloads.md {@code messenger}
 * message, Colony's codec beside stock Jackson, in one run (ADR 0006, issue 3).
 *
 * <p>{@code size=4k} is the original shape: id, type (request/response/broadcast/targeted/coordination),
 * sender (one of 100 agents), and a payload of {@value #LARGE_ENTRIES} {@code {key, value: double}}
 * entries plus a timestamp, about 4.2 KB as JSON. {@code size=500} is the small envelope: the same shape
 * with {@value #SMALL_ENTRIES} entries, about 500 bytes in Colony's CloudEvents form.
 *
 * <ul>
 *   <li>{@code colonyCodec}: {@link JsonMessageCodec#encode} of an {@link Envelope} (id, source = sender,
 *       type, time, recipient, payload = {@link Payload}) and {@code decode(bytes, Payload.class)}.
 *   <li>{@code stockJackson}: a default {@code JsonMapper} ({@code JsonMapper.builder().build()}, no
 *       feature changed) writing and reading a plain {@link Message} record with the same content (id,
 *       type, sender, payload). This is the "stock Jackson" baseline the issue names.
 *   <li>{@code dslJson}: DSL-JSON 2.0.2 with exact doubles, binding the same record by runtime reflection
 *       (no annotation processor), as a library would bind a user's unannotated record.
 *   <li>{@code dslJsonCompiled}: the same DSL-JSON with converters its annotation processor generated
 *       for annotated copies of the records ({@link CodecDslCompiled}): DSL-JSON at its fastest, which
 *       a codec could offer only for types compiled with it, not for a user's unannotated records.
 *   <li>{@code jacksonBlackbird}: the same {@link Message} with a {@code JsonMapper} that has Jackson's
 *       Blackbird module (generated accessors instead of reflection), Jackson at its fastest for JSON.
 *   <li>{@code jacksonSmile}: the same {@link Message} in Smile, Jackson's binary JSON format, with a
 *       default {@code SmileMapper}: a binary library, not JSON on the wire (ADR 0014).
 *   <li>{@code binaryFloor}: the same {@link Message} written field by field with {@code
 *       DataOutputStream} (UTF strings, raw 8-byte doubles) and read back with {@code DataInputStream}.
 *       Not a candidate, it is not JSON: the floor under any codec of this content.
 * </ul>
 *
 * <p>Every round trip is checked in {@code @Setup} for every prepared message (decoded content equals
 * the original, each double bit for bit); each operation also checks one double of the decoded payload
 * bit for bit and returns the decoded object. Eight messages (all five types, different senders and
 * values) are prepared and used in turn. Doubles are random with 15 to 17 significant digits, the hard
 * case for a shortest-decimal writer and an exact reader.
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class CodecBenchmark {
    static final int LARGE_ENTRIES = 100;
    static final int SMALL_ENTRIES = 6;
    static final int MESSAGES = 8;
    static final String[] TYPES = {"request", "response", "broadcast", "targeted", "coordination"};

    /** One payload entry. */
    public record Entry(String key, double value) {}

    /** The message payload: the entries and a timestamp (epoch milliseconds). */
    public record Payload(List<Entry> entries, long timestamp) {}

    /** The whole message as a plain DTO, for stock Jackson. */
    public record Message(String id, String type, String sender, Payload payload) {}

    @Param({"4k", "500"})
    public String size;

    final JsonMessageCodec codec = JsonMessageCodec.create();
    final JsonMapper jackson = JsonMapper.builder().build();
    final JsonMapper blackbird =
            JsonMapper.builder().addModule(new BlackbirdModule()).build();
    final SmileMapper smile = SmileMapper.builder().build();
    final DslJson<Object> dsl = new DslJson<>(
            Settings.withRuntime().includeServiceLoader().doublePrecision(JsonReader.DoublePrecision.EXACT));
    final JsonWriter dslWriter = dsl.newWriter();

    final Message[] messages = new Message[MESSAGES];
    final CodecDslCompiled.CompiledMessage[] compiled = new CodecDslCompiled.CompiledMessage[MESSAGES];
    final Envelope[] envelopes = new Envelope[MESSAGES];
    final long[] checkBits = new long[MESSAGES];
    int next;

    /** Encoded sizes, reported once per trial. */
    int colonyBytes;

    int jacksonBytes;

    @Setup(Level.Trial)
    public void setUp() {
        int entries = switch (size) {
            case "4k" -> LARGE_ENTRIES;
            case "500" -> SMALL_ENTRIES;
            default -> throw new IllegalArgumentException("size " + size);
        };
        Random random = new Random(20261127L);
        Instant time = Instant.parse("2026-11-27T10:15:30.123456789Z");
        for (int m = 0; m < MESSAGES; m++) {
            List<Entry> list = new ArrayList<>(entries);
            for (int i = 0; i < entries; i++) {
                list.add(new Entry("k" + i, random.nextDouble() * Math.pow(10, random.nextInt(7) - 3)));
            }
            Payload payload = new Payload(List.copyOf(list), time.toEpochMilli() + m);
            String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            String type = TYPES[m % TYPES.length];
            String sender = "agent-" + random.nextInt(100);
            messages[m] = new Message(id, type, sender, payload);
            envelopes[m] = new Envelope(
                    id,
                    AgentId.of(sender),
                    AgentId.of("agent-" + random.nextInt(100)),
                    type,
                    null,
                    null,
                    time.plusNanos(m),
                    null,
                    4,
                    java.util.Map.of(),
                    payload);
            checkBits[m] = Double.doubleToRawLongBits(
                    payload.entries().get(entries - 1 - m % entries).value());
        }
        for (int m = 0; m < MESSAGES; m++) {
            verify(messages[m], colonyOnce(m), jacksonOnce(m));
            Message viaDsl = dslDecode(dslEncode(m));
            if (!viaDsl.equals(messages[m])) {
                throw new IllegalStateException("dslJson round trip differs: " + viaDsl + " vs " + messages[m]);
            }
            checkBitExact(messages[m].payload(), viaDsl.payload(), "dslJson");
            compiled[m] = CodecDslCompiled.of(messages[m]);
            CodecDslCompiled.CompiledMessage viaCompiled = dslCompiledDecode(dslCompiledEncode(m));
            if (!viaCompiled.equals(compiled[m])) {
                throw new IllegalStateException("dslJsonCompiled round trip differs: " + viaCompiled);
            }
            checkBitExact(
                    messages[m].payload(),
                    CodecDslCompiled.toBenchmarkPayload(viaCompiled.payload()),
                    "dslJsonCompiled");
            Message viaBinary = binaryDecode(binaryEncode(messages[m]));
            if (!viaBinary.equals(messages[m])) {
                throw new IllegalStateException("binaryFloor round trip differs: " + viaBinary + " vs " + messages[m]);
            }
            checkBitExact(messages[m].payload(), viaBinary.payload(), "binaryFloor");
        }
        for (int m = 0; m < MESSAGES; m++) {
            checkMapper(blackbird, messages[m], "jacksonBlackbird");
            checkMapper(smile, messages[m], "jacksonSmile");
        }
        colonyBytes = codec.encode(envelopes[0]).length;
        jacksonBytes = jackson.writeValueAsBytes(messages[0]).length;
        int dslBytes = dslEncode(0).length;
        int binaryBytes = binaryEncode(messages[0]).length;
        int smileBytes = smile.writeValueAsBytes(messages[0]).length;
        String compiledReader = String.valueOf(dsl.tryFindReader(CodecDslCompiled.CompiledMessage.class));
        if (!compiledReader.contains("DslJsonConverter")) {
            throw new IllegalStateException("dslJsonCompiled does not use generated converters: " + compiledReader);
        }
        System.out.println("\n[size=" + size + "] encoded bytes: colonyCodec=" + colonyBytes + " stockJackson="
                + jacksonBytes + " dslJson=" + dslBytes + " jacksonSmile=" + smileBytes + " binaryFloor=" + binaryBytes
                + "; every round trip verified bit-exact");
    }

    private static void checkMapper(ObjectMapper mapper, Message original, String variant) {
        Message back = mapper.readValue(mapper.writeValueAsBytes(original), Message.class);
        if (!back.equals(original)) {
            throw new IllegalStateException(variant + " round trip differs: " + back + " vs " + original);
        }
        checkBitExact(original.payload(), back.payload(), variant);
    }

    private Envelope colonyOnce(int m) {
        return codec.decode(codec.encode(envelopes[m]), Payload.class);
    }

    private Message jacksonOnce(int m) {
        return jackson.readValue(jackson.writeValueAsBytes(messages[m]), Message.class);
    }

    private byte[] dslEncode(int m) {
        try {
            dslWriter.reset();
            dsl.serialize(dslWriter, messages[m]);
            return dslWriter.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] dslCompiledEncode(int m) {
        try {
            dslWriter.reset();
            dsl.serialize(dslWriter, compiled[m]);
            return dslWriter.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CodecDslCompiled.CompiledMessage dslCompiledDecode(byte[] bytes) {
        try {
            return dsl.deserialize(CodecDslCompiled.CompiledMessage.class, bytes, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Message dslDecode(byte[] bytes) {
        try {
            return dsl.deserialize(Message.class, bytes, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] binaryEncode(Message message) {
        List<Entry> entries = message.payload().entries();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(message.id());
            out.writeUTF(message.type());
            out.writeUTF(message.sender());
            out.writeLong(message.payload().timestamp());
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeUTF(e.key());
                out.writeDouble(e.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Message binaryDecode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String id = in.readUTF();
            String type = in.readUTF();
            String sender = in.readUTF();
            long timestamp = in.readLong();
            Entry[] entries = new Entry[in.readInt()];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = new Entry(in.readUTF(), in.readDouble());
            }
            return new Message(id, type, sender, new Payload(List.of(entries), timestamp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void verify(Message original, Envelope viaColony, Message viaJackson) {
        Envelope sent = envelopes[indexOf(original)];
        if (!viaColony.equals(sent)) {
            throw new IllegalStateException("colonyCodec round trip differs: " + viaColony + " vs " + sent);
        }
        if (!viaJackson.equals(original)) {
            throw new IllegalStateException("stockJackson round trip differs: " + viaJackson + " vs " + original);
        }
        checkBitExact(original.payload(), viaColony.payload(Payload.class), "colonyCodec");
        checkBitExact(original.payload(), viaJackson.payload(), "stockJackson");
    }

    private int indexOf(Message message) {
        for (int m = 0; m < MESSAGES; m++) {
            if (messages[m] == message) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown message");
    }

    static void checkBitExact(Payload expected, Payload actual, String variant) {
        if (expected.timestamp() != actual.timestamp()
                || expected.entries().size() != actual.entries().size()) {
            throw new IllegalStateException(variant + ": payload differs");
        }
        for (int i = 0; i < expected.entries().size(); i++) {
            Entry e = expected.entries().get(i);
            Entry a = actual.entries().get(i);
            if (!e.key().equals(a.key())
                    || Double.doubleToRawLongBits(e.value()) != Double.doubleToRawLongBits(a.value())) {
                throw new IllegalStateException(variant + ": entry " + i + " differs: " + a + " vs " + e);
            }
        }
    }

    private int nextIndex() {
        int m = next;
        next = (m + 1) & (MESSAGES - 1);
        return m;
    }

    private Payload check(Payload decoded, int m) {
        List<Entry> entries = decoded.entries();
        int n = entries.size();
        if (Double.doubleToRawLongBits(entries.get(n - 1 - m % n).value()) != checkBits[m]) {
            throw new IllegalStateException("round trip changed a double in message " + m);
        }
        return decoded;
    }

    @Benchmark
    public Payload colonyCodec() {
        int m = nextIndex();
        byte[] bytes = codec.encode(envelopes[m]);
        return check(codec.decode(bytes, Payload.class).payload(Payload.class), m);
    }

    @Benchmark
    public Payload stockJackson() {
        int m = nextIndex();
        byte[] bytes = jackson.writeValueAsBytes(messages[m]);
        return check(jackson.readValue(bytes, Message.class).payload(), m);
    }

    @Benchmark
    public Payload jacksonBlackbird() {
        int m = nextIndex();
        byte[] bytes = blackbird.writeValueAsBytes(messages[m]);
        return check(blackbird.readValue(bytes, Message.class).payload(), m);
    }

    @Benchmark
    public Payload jacksonSmile() {
        int m = nextIndex();
        byte[] bytes = smile.writeValueAsBytes(messages[m]);
        return check(smile.readValue(bytes, Message.class).payload(), m);
    }

    @Benchmark
    public Payload dslJson() {
        int m = nextIndex();
        return check(dslDecode(dslEncode(m)).payload(), m);
    }

    @Benchmark
    public double dslJsonCompiled() {
        int m = nextIndex();
        List<CodecDslCompiled.Entry> entries =
                dslCompiledDecode(dslCompiledEncode(m)).payload().entries();
        int n = entries.size();
        double value = entries.get(n - 1 - m % n).value();
        if (Double.doubleToRawLongBits(value) != checkBits[m]) {
            throw new IllegalStateException("round trip changed a double in message " + m);
        }
        return value;
    }

    @Benchmark
    public Payload binaryFloor() {
        int m = nextIndex();
        return check(binaryDecode(binaryEncode(messages[m])).payload(), m);
    }
}
