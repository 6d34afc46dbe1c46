package dev.colony.wasm;

import java.util.Objects;

/**
 * A refused deploy, as announced on {@code colony.plugin.<name>.failed}.
 *
 * @param name the plugin's name
 * @param reason why
 * @param message the refusal's explanation
 */
public record DeployFailure(String name, DeployException.Reason reason, String message) {
    public DeployFailure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
