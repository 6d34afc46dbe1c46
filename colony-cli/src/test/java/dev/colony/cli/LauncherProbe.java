package dev.colony.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The main class of the small jar {@link LauncherTest} runs through {@code ./colony} in place of the CLI: prints
 * {@code probe ok}, its arguments, and whether the launcher gave the JVM an AOT cache; with {@code --embedded}
 * (the training run's {@code mcp --embedded}) it first reads its standard input to the end, as {@code colony mcp}
 * does, and fails it with exit code 3 when {@code PROBE_FAIL_TRAINING} is set.
 */
public final class LauncherProbe {
    private LauncherProbe() {}

    public static void main(String[] args) throws IOException {
        List<String> arguments = List.of(args);
        if (arguments.contains("--embedded")) {
            System.in.readAllBytes();
            if (System.getenv("PROBE_FAIL_TRAINING") != null) {
                System.exit(3);
            }
        }
        boolean aot = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:AOTCache="));
        System.out.println("probe ok " + String.join(" ", arguments) + " aot=" + aot);
    }
}
