package dev.colony.bench;

import dev.colony.bench.CodecBenchmark.Message;
import dev.colony.bench.CodecBenchmark.Payload;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.JsonMessageCodec;
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
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.core.io.NumberInput;
import tools.jackson.core.io.NumberOutput;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of {@link CodecBenchmark}'s round trip measured apart, to show where its time goes: encode
 * alone and decode alone for Colony's codec and stock Jackson, and the cost of writing and reading the
 * 100 doubles of the 4.2 KB message with the JDK and with Jackson's fast alternatives. Not a
 * comparison of candidates: a profile in numbers (ADR 0006).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class CodecPartsBenchmark {
    @Param({"4k"})
    public String size;

    final CodecBenchmark messages = new CodecBenchmark();
    final JsonMessageCodec codec = JsonMessageCodec.create();
    final JsonMapper jackson = JsonMapper.builder().build();
    byte[][] colonyBytes;
    byte[][] jacksonBytes;
    double[] doubles;
    String[] doubleTexts;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        messages.size = size;
        messages.setUp();
        colonyBytes = new byte[CodecBenchmark.MESSAGES][];
        jacksonBytes = new byte[CodecBenchmark.MESSAGES][];
        for (int m = 0; m < CodecBenchmark.MESSAGES; m++) {
            colonyBytes[m] = codec.encode(messages.envelopes[m]);
            jacksonBytes[m] = jackson.writeValueAsBytes(messages.messages[m]);
        }
        var entries = messages.messages[0].payload().entries();
        doubles = new double[entries.size()];
        doubleTexts = new String[entries.size()];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = entries.get(i).value();
            doubleTexts[i] = Double.toString(doubles[i]);
            if (Double.doubleToRawLongBits(Double.parseDouble(NumberOutput.toString(doubles[i], true)))
                    != Double.doubleToRawLongBits(doubles[i])) {
                throw new IllegalStateException("fast writer is not exact for " + doubles[i]);
            }
        }
    }

    private int nextIndex() {
        int m = next;
        next = (m + 1) & (CodecBenchmark.MESSAGES - 1);
        return m;
    }

    @Benchmark
    public byte[] colonyEncode() {
        return codec.encode(messages.envelopes[nextIndex()]);
    }

    @Benchmark
    public Envelope colonyDecode() {
        return codec.decode(colonyBytes[nextIndex()], Payload.class);
    }

    @Benchmark
    public byte[] jacksonEncode() {
        return jackson.writeValueAsBytes(messages.messages[nextIndex()]);
    }

    @Benchmark
    public Message jacksonDecode() {
        return jackson.readValue(jacksonBytes[nextIndex()], Message.class);
    }

    @Benchmark
    public void doublesToStringJdk(Blackhole bh) {
        for (double d : doubles) {
            bh.consume(Double.toString(d));
        }
    }

    @Benchmark
    public void doublesToStringJacksonFast(Blackhole bh) {
        for (double d : doubles) {
            bh.consume(NumberOutput.toString(d, true));
        }
    }

    @Benchmark
    public void doublesParseJdk(Blackhole bh) {
        for (String s : doubleTexts) {
            bh.consume(Double.parseDouble(s));
        }
    }

    @Benchmark
    public void doublesParseJacksonFast(Blackhole bh) {
        for (String s : doubleTexts) {
            bh.consume(NumberInput.parseDouble(s, true));
        }
    }
}
