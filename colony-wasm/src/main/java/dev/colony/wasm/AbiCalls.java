package dev.colony.wasm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The three entry points of ABI v0 as host calls: what is written into the input area, how the result is
 * read back and checked. Each runs inside {@link PluginVersion#call}, which supplies the instance, the
 * deadline and the counting.
 */
final class AbiCalls {
    static final long REJECT = -1;
    static final long UNCHANGED = -2;

    /** What a transform decided: the new bytes, unchanged ({@code bytes == null}), or a rejection with a reason. */
    record Transformed(byte[] bytes, boolean rejected, String reason) {}

    private AbiCalls() {}

    /** {@code colony_filter}: true to accept. */
    static boolean filter(PluginVersion version, byte[] subject, byte[] payload)
            throws CallFailure, PluginVersion.Retired {
        boolean accept = version.call(instance -> {
            if (instance.filter == null) {
                throw new CallFailure(CallError.BAD_RESULT, "the plugin exports no colony_filter");
            }
            write(instance, subject, payload);
            long result = instance.filter.apply(subject.length, payload.length)[0];
            return switch ((int) result) {
                case 1 -> true;
                case 0 -> false;
                default -> throw new CallFailure(CallError.BAD_RESULT, "colony_filter returned " + (int) result);
            };
        });
        version.bytesIn.add(subject.length + payload.length);
        (accept ? version.accepted : version.rejected).increment();
        return accept;
    }

    /** {@code colony_transform} on {@code bytes} (with an empty subject), output at most {@code maxOut} bytes. */
    static Transformed transform(PluginVersion version, byte[] subject, byte[] bytes, int maxOut)
            throws CallFailure, PluginVersion.Retired {
        Transformed result = version.call(instance -> {
            if (instance.transform == null) {
                throw new CallFailure(CallError.BAD_RESULT, "the plugin exports no colony_transform");
            }
            write(instance, subject, bytes);
            long packed = instance.transform.apply(subject.length, bytes.length)[0];
            if (packed == UNCHANGED) {
                return new Transformed(null, false, null);
            }
            if (packed == REJECT) {
                return new Transformed(null, true, reason(instance));
            }
            return new Transformed(readOut(instance, packed, maxOut, "colony_transform"), false, null);
        });
        version.bytesIn.add(subject.length + bytes.length);
        if (result.rejected()) {
            version.rejected.increment();
        } else if (result.bytes() != null) {
            version.replaced.increment();
            version.bytesOut.add(result.bytes().length);
        } else {
            version.accepted.increment();
        }
        return result;
    }

    /** {@code colony_score}: one score per candidate. */
    static double[] score(PluginVersion version, byte[] task, List<byte[]> candidates)
            throws CallFailure, PluginVersion.Retired {
        int n = candidates.size();
        int size = task.length;
        for (byte[] candidate : candidates) {
            size += 4 + candidate.length;
        }
        ByteBuffer input =
                ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).put(task);
        for (byte[] candidate : candidates) {
            input.putInt(candidate.length).put(candidate);
        }
        byte[] bytes = input.array();
        double[] scores = version.call(instance -> {
            if (instance.score == null) {
                throw new CallFailure(CallError.BAD_RESULT, "the plugin exports no colony_score");
            }
            if (n * 8L > instance.capacity) {
                throw new CallFailure(CallError.TOO_LARGE, n + " scores do not fit the input area");
            }
            write(instance, bytes, new byte[0]);
            long status = instance.score.apply(task.length, n)[0];
            if ((int) status < 0) {
                throw new CallFailure(CallError.BAD_RESULT, "colony_score returned " + (int) status);
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = instance.memory.readDouble(instance.input + 8 * i);
            }
            return out;
        });
        version.bytesIn.add(bytes.length);
        version.bytesOut.add(8L * n);
        version.accepted.increment();
        return scores;
    }

    private static void write(PluginInstance instance, byte[] first, byte[] second) throws CallFailure {
        long total = (long) first.length + second.length;
        if (total > instance.capacity) {
            throw new CallFailure(
                    CallError.TOO_LARGE,
                    "the input is " + total + " bytes, the plugin's input area holds " + instance.capacity);
        }
        instance.memory.write(instance.input, first);
        if (second.length > 0) {
            instance.memory.write(instance.input + first.length, second);
        }
    }

    private static byte[] readOut(PluginInstance instance, long packed, int maxOut, String function)
            throws CallFailure {
        int pointer = (int) (packed >>> 32);
        int length = (int) packed;
        long memoryBytes = (long) instance.memory.pages() * PluginLimits.PAGE_BYTES;
        if (packed < 0 || length < 0 || (long) pointer + length > memoryBytes) {
            throw new CallFailure(CallError.BAD_RESULT, function + " returned " + packed + ", not a region of memory");
        }
        if (length > maxOut) {
            throw new CallFailure(CallError.TOO_LARGE, function + " returned " + length + " bytes, over " + maxOut);
        }
        return instance.memory.readBytes(pointer, length);
    }

    /** The reason a plugin gives for a rejection through {@code colony_reason}, or a default. */
    private static String reason(PluginInstance instance) throws CallFailure {
        if (instance.reason == null) {
            return "rejected by the plugin";
        }
        long packed = instance.reason.apply()[0];
        if (packed == 0) {
            return "rejected by the plugin";
        }
        return new String(readOut(instance, packed, 1000, "colony_reason"), StandardCharsets.UTF_8);
    }
}
