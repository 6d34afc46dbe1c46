package dev.colony.state;

import java.time.Duration;
import java.util.Objects;

/**
 * A task a worker finished, for {@link TaskQueue#completeAndClaim(dev.colony.messaging.AgentId, java.util.List,
 * java.util.Set, Duration, int)}: its lease and its result (at most the value limit).
 *
 * @param lease the lease the task was done under
 * @param result the task's result, copied
 */
public record Completion(Lease lease, byte[] result) {
    public Completion {
        Objects.requireNonNull(lease, "lease");
        result = Objects.requireNonNull(result, "result").clone();
    }

    /** The result, copied. */
    @Override
    public byte[] result() {
        return result.clone();
    }
}
