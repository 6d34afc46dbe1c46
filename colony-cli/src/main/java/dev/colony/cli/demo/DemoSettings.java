package dev.colony.cli.demo;

import java.time.Duration;

/**
 * The settings of one demo run, checked by the command before the run.
 *
 * @param agents worker agents, at least 1
 * @param tasks tasks to run, at least 1
 * @param seed the random seed of the tasks and the workers' failures
 * @param timeout the bound of the whole run: spawning, the story, the checks and closing the colony
 * @param quiet no live progress line
 * @param backend where the colony runs, for the story ("the embedded colony", "Redis")
 * @param timings the leases and heartbeats, scaled to the backend
 */
public record DemoSettings(
        int agents, int tasks, long seed, Duration timeout, boolean quiet, String backend, Timings timings) {
    public DemoSettings {
        if (agents < 1 || tasks < 1 || !timeout.isPositive()) {
            throw new IllegalArgumentException(
                    "agents, tasks and timeout must be positive, got " + agents + ", " + tasks + ", " + timeout);
        }
    }
}
