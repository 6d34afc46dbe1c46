package dev.colony.wasm;

import dev.colony.messaging.Envelope;
import dev.colony.messaging.MalformedMessageException;
import dev.colony.messaging.MessageCodec;
import dev.colony.messaging.MessageTooLargeException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link MessageCodec} that runs a validator/transformer plugin ({@code colony_transform}) on the
 * CloudEvents bytes of another codec: the plugin accepts them, rejects them with a reason, or replaces them.
 * Give it to {@link dev.colony.messaging.Messenger.Builder#codec}; it changes nothing else.
 *
 * <p><b>Where it runs.</b> {@link Side#SEND}: after {@code delegate.encode}, so a rejected message never
 * reaches the transport; the messenger records it as an {@code UNENCODABLE} dead letter whose detail is
 * the plugin's reason. {@link Side#RECEIVE}: before {@code delegate.decode}, on bytes that arrived (a
 * transport, {@code deliverEncoded}); a rejection is a {@code MALFORMED} dead letter with the reason.
 * Replaced bytes go on in place of the original ones and must fit the delegate's size limit. The plugin
 * sees an empty subject and the message's bytes as the payload.
 *
 * <p><b>Failures</b> follow the {@link FailurePolicy}: fail open passes the bytes unchanged, fail closed
 * rejects the message with the failure as the reason, reload retries once on a fresh instance.
 * Thread-safe.
 */
public final class PluginCodec implements MessageCodec {
    /** Which direction of the codec runs the plugin. */
    public enum Side {
        /** On encode: outgoing messages. */
        SEND,
        /** On decode: incoming bytes. */
        RECEIVE
    }

    private static final byte[] NO_SUBJECT = new byte[0];

    private final MessageCodec delegate;
    private final String name;
    private final FailurePolicy policy;
    private final Side side;
    private final AtomicReference<PluginVersion> slot;

    PluginCodec(PluginHost host, MessageCodec delegate, String name, FailurePolicy policy, Side side) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.side = Objects.requireNonNull(side, "side");
        this.name = name;
        this.slot = host.slot(name);
    }

    @Override
    public int maxMessageBytes() {
        return delegate.maxMessageBytes();
    }

    @Override
    public byte[] encode(Envelope envelope) {
        byte[] bytes = delegate.encode(envelope);
        if (side != Side.SEND) {
            return bytes;
        }
        Outcome outcome = run(bytes);
        if (outcome.reason != null) {
            throw new IllegalArgumentException(
                    "message \"" + envelope.id() + "\" rejected by plugin " + name + ": " + outcome.reason);
        }
        return outcome.bytes;
    }

    @Override
    public Envelope decode(byte[] bytes) {
        return delegate.decode(received(bytes));
    }

    @Override
    public Envelope decode(byte[] bytes, Class<?> payloadType) {
        return delegate.decode(received(bytes), payloadType);
    }

    private byte[] received(byte[] bytes) {
        if (side != Side.RECEIVE) {
            return bytes;
        }
        if (bytes.length > delegate.maxMessageBytes()) {
            throw new MessageTooLargeException("decode", bytes.length, delegate.maxMessageBytes());
        }
        Outcome outcome = run(bytes);
        if (outcome.reason != null) {
            throw new MalformedMessageException("rejected by plugin " + name + ": " + outcome.reason);
        }
        return outcome.bytes;
    }

    /** The bytes to go on with, or the reason they may not. */
    private record Outcome(byte[] bytes, String reason) {}

    /**
     * Validates or transforms {@code bytes} with the plugin, applying the failure policy.
     *
     * @throws MessageTooLargeException if the plugin's replacement exceeds the size limit
     */
    public byte[] apply(byte[] bytes) {
        Outcome outcome = run(Objects.requireNonNull(bytes, "bytes"));
        if (outcome.reason != null) {
            throw new IllegalArgumentException("rejected by plugin " + name + ": " + outcome.reason);
        }
        return outcome.bytes;
    }

    private Outcome run(byte[] bytes) {
        while (true) {
            PluginVersion version = slot.get();
            if (version == null) {
                return fail(bytes, new CallFailure(CallError.QUARANTINED, "plugin " + name + " is not deployed"));
            }
            try {
                return outcome(bytes, version);
            } catch (PluginVersion.Retired retired) {
                continue;
            } catch (CallFailure failure) {
                if (policy == FailurePolicy.RELOAD && SubscriptionFilter.retryable(failure)) {
                    try {
                        return outcome(bytes, version);
                    } catch (PluginVersion.Retired retired) {
                        continue;
                    } catch (CallFailure again) {
                        return fail(bytes, again);
                    }
                }
                return fail(bytes, failure);
            }
        }
    }

    private Outcome outcome(byte[] bytes, PluginVersion version) throws CallFailure, PluginVersion.Retired {
        AbiCalls.Transformed result = AbiCalls.transform(version, NO_SUBJECT, bytes, delegate.maxMessageBytes());
        if (result.rejected()) {
            return new Outcome(null, result.reason());
        }
        return new Outcome(result.bytes() == null ? bytes : result.bytes(), null);
    }

    private Outcome fail(byte[] bytes, CallFailure failure) {
        if (policy == FailurePolicy.FAIL_OPEN) {
            return new Outcome(bytes, null);
        }
        return new Outcome(null, "the plugin failed (" + failure.error + "): " + failure.getMessage());
    }
}
