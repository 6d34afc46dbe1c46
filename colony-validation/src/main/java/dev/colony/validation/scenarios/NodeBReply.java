package dev.colony.validation.scenarios;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Node B's answer to one command, one JSON line on the child JVM's standard output (ADR 0058). Only the
 * fields a command fills are present; counts are exact, the latency histogram travels in HdrHistogram's own
 * compressed encoding, Base64.
 *
 * @param ready the child opened its node and waits for commands (its first line)
 * @param error why the command failed, or null
 * @param nanoTime node B's {@link System#nanoTime} when it answered {@code clock}
 * @param good units of the current iteration seen exactly once
 * @param duplicates units seen more than once, over the run
 * @param wrongIds messages whose id was not the one they were sent with, over the run
 * @param notOk task completions that were not OK, over the run
 * @param dropped events node B's bus dropped, over the run
 * @param term the term of node B's won leadership, or -1 when it did not win
 * @param at node B's {@link System#nanoTime} when it won
 * @param latency the iteration's latencies in nanoseconds, compressed and Base64-encoded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record NodeBReply(
        Boolean ready,
        String error,
        Long nanoTime,
        Long good,
        Long duplicates,
        Long wrongIds,
        Long notOk,
        Long dropped,
        Long term,
        Long at,
        String latency) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static final NodeBReply OK = new NodeBReply(null, null, null, null, null, null, null, null, null, null, null);

    static NodeBReply started() {
        return new NodeBReply(true, null, null, null, null, null, null, null, null, null, null);
    }

    static NodeBReply failed(String error) {
        return new NodeBReply(null, error, null, null, null, null, null, null, null, null, null);
    }

    static NodeBReply clock(long nanoTime) {
        return new NodeBReply(null, null, nanoTime, null, null, null, null, null, null, null, null);
    }

    static NodeBReply counts(long good, long duplicates, Long wrongIds, Long notOk, Histogram latency) {
        return new NodeBReply(null, null, null, good, duplicates, wrongIds, notOk, null, null, null, encode(latency));
    }

    static NodeBReply dropped(long dropped) {
        return new NodeBReply(null, null, null, null, null, null, null, dropped, null, null, null);
    }

    static NodeBReply won(long term, long at) {
        return new NodeBReply(null, null, null, null, null, null, null, null, term, at, null);
    }

    /** This reply as one line of JSON. */
    String line() {
        return JSON.writeValueAsString(this);
    }

    /** A reply from its line; an {@link IllegalStateException} naming the line when it is not one. */
    static NodeBReply parse(String line) {
        try {
            return JSON.readValue(line, NodeBReply.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("node B answered with a line that is not a reply: '" + line + "'", e);
        }
    }

    /** The decoded latency histogram. */
    Histogram histogram() {
        byte[] bytes = Base64.getDecoder().decode(latency);
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("node B's latency histogram does not decode", e);
        }
    }

    private static String encode(Histogram latency) {
        ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int length = latency.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }
}
