package dev.colony.validation;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a reader needs to reproduce or discount a run beyond the JDK and the CPU count: the source it was
 * built from, the JVM's flags, and how busy the machine was when the run started and ended. Files written
 * before these fields existed read with this record null.
 *
 * @param gitCommit {@code git rev-parse --short HEAD} in the working directory, or "unknown"
 * @param jvmFlags the JVM's input arguments, with the values of flags that look like secrets masked
 * @param loadAverageStart the one-minute load average when the run started, or null when unknown
 * @param loadAverageEnd the one-minute load average when the run ended, or null when unknown
 */
public record RunEnvironment(String gitCommit, List<String> jvmFlags, Double loadAverageStart, Double loadAverageEnd) {

    private static final Pattern SECRET = Pattern.compile("(?i)(-D[^=]*(password|secret|token|credential)[^=]*=).*");

    public RunEnvironment {
        jvmFlags = jvmFlags == null ? List.of() : List.copyOf(jvmFlags);
    }

    /** The environment rows of the reports, "not recorded" for what an older file lacks. */
    public static List<List<String>> rows(BenchReport report) {
        RunEnvironment e = report.environment();
        String none = "not recorded";
        return List.of(
                List.of("started", report.startedAt()),
                List.of("Colony", report.colonyVersion()),
                List.of("git commit", e == null ? none : e.gitCommit()),
                List.of("JDK", report.jdk()),
                List.of(
                        "JVM flags",
                        e == null ? none : e.jvmFlags().isEmpty() ? "none" : String.join(" ", e.jvmFlags())),
                List.of("CPUs", String.valueOf(report.cpus())),
                List.of("OS", report.os()),
                List.of(
                        "load average (1 min), start / end",
                        e == null ? none : load(e.loadAverageStart()) + " / " + load(e.loadAverageEnd())),
                List.of("backend", report.backend()),
                List.of(
                        "quick run",
                        report.quick() == null ? none : report.quickRun() ? "yes: not for quoting" : "no"));
    }

    private static String load(Double load) {
        return load == null ? "unknown" : String.format(java.util.Locale.ROOT, "%.2f", load);
    }

    /** The environment at the start of a run; {@link #ended()} adds the load at its end. */
    public static RunEnvironment started() {
        return new RunEnvironment(readGitCommit(), readJvmFlags(), loadAverage(), null);
    }

    public RunEnvironment ended() {
        return new RunEnvironment(gitCommit, jvmFlags, loadAverageStart, loadAverage());
    }

    public static List<String> readJvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .map(RunEnvironment::mask)
                .toList();
    }

    public static String mask(String flag) {
        return SECRET.matcher(flag).replaceFirst("$1****");
    }

    /** The one-minute load average from /proc/loadavg, else from the JVM, else null. */
    public static Double loadAverage() {
        try {
            String first = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
            return Double.parseDouble(first);
        } catch (IOException | RuntimeException e) {
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return load < 0 ? null : load;
        }
    }

    /** The short commit of the working directory's git checkout; "unknown" without git or a checkout. */
    public static String readGitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            git.getOutputStream().close();
            // a hung git (a credential prompt, a slow file system) must not hold up the benchmark
            if (!git.waitFor(5, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return "unknown";
            }
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.exitValue() == 0 && out.matches("[0-9a-f]{4,40}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
