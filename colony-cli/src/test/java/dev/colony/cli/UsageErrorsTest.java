package dev.colony.cli;

import static dev.colony.cli.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command and subcommand with bad flags: exit 2, one line saying what is wrong and one pointing at the
 * command's help, no stack trace, no exception class name, and never the password of a URI.
 */
class UsageErrorsTest {
    static final String PASSWORD = "s3cr3t-pw";

    @TempDir
    static Path dir;

    static Path aFile;

    @BeforeAll
    static void files() throws IOException {
        aFile = Files.writeString(dir.resolve("a-file"), "not a directory");
    }

    /** An output path whose parent is a regular file: unwritable even for root. */
    static String unwritable() {
        return aFile.resolve("out.json").toString();
    }

    static List<Arguments> cases() {
        String uri = "redis://:" + PASSWORD + "@localhost:6379/swarm";
        List<Arguments> rows = new ArrayList<>();
        row(rows, "colony: no command");
        row(rows, "colony: unknown option", "--nope");
        row(rows, "colony: unknown command", "nope");
        row(rows, "colony: unknown option holding a URI with a password", "--redis=" + uri);
        row(rows, "help: unknown command", "help", "nope");

        row(rows, "demo: unknown option", "demo", "--nope");
        row(rows, "demo: missing value", "demo", "--agents");
        row(rows, "demo: bad number", "demo", "--agents", "many");
        row(rows, "demo: negative size", "demo", "--tasks", "-5");
        row(rows, "demo: zero timeout", "demo", "--timeout", "0");
        row(rows, "demo: huge --agents", "demo", "--agents", "2000000000");
        row(rows, "demo: huge --tasks", "demo", "--tasks", "2000000000");
        row(rows, "demo: http URI with a password", "demo", "--redis", "http://user:" + PASSWORD + "@host:6379/x");
        row(rows, "demo: rediss URI", "demo", "--redis", "rediss://:" + PASSWORD + "@host:6379/x");
        row(rows, "demo: URI with a bad port", "demo", "--redis", "redis://:" + PASSWORD + "@host:port/x");
        row(rows, "demo: URI with a port too big", "demo", "--redis", "redis://:" + PASSWORD + "@host:70000/x");
        row(rows, "demo: URI without a host", "demo", "--redis", "redis://:" + PASSWORD + "@/x");
        row(
                rows,
                "demo: URI with '@' and a space in the password",
                "demo",
                "--redis",
                "redis://:a@b " + PASSWORD + "@h/x");
        row(rows, "demo: URI with a bad swarm", "demo", "--redis", "redis://:" + PASSWORD + "@host:6379/a.b");
        row(rows, "demo: unwritable --json", "demo", "--json", unwritable());
        row(rows, "demo: --json is a directory", "demo", "--json", dir.toString());

        row(rows, "metrics: unknown option", "metrics", "--nope");
        row(rows, "metrics: bad enum", "metrics", "--format", "xml");
        row(rows, "metrics: missing value", "metrics", "--out");
        row(rows, "metrics: bad number", "metrics", "--events", "1e3");
        row(rows, "metrics: negative size", "metrics", "--events", "-1");
        row(rows, "metrics: huge --messages", "metrics", "--messages", "2000000000");
        row(rows, "metrics: huge --agents", "metrics", "--agents", "2000000000");
        row(rows, "metrics: huge --tasks", "metrics", "--tasks", "2000000000");
        row(rows, "metrics: unwritable --out", "metrics", "--out", unwritable());

        row(rows, "bench: unknown option", "bench", "--nope");
        row(rows, "bench: missing value", "bench", "--iterations");
        row(rows, "bench: bad number", "bench", "--iterations", "x");
        row(rows, "bench: negative size", "bench", "--warmup", "-1", "--scenario", "event-bus");
        row(rows, "bench: zero agents", "bench", "--agents", "0", "--scenario", "load");
        row(rows, "bench: huge --agents", "bench", "--agents", "2000000000", "--scenario", "load");
        row(rows, "bench: unknown scenario", "bench", "--scenario", "nope");
        row(rows, "bench: URI with a password and no swarm", "bench", "--redis", "redis://:" + PASSWORD + "@h:1");
        row(rows, "bench: http URI with a password", "bench", "--redis", "http://:" + PASSWORD + "@h:1/x");
        row(rows, "bench: unwritable --json", "bench", "--json", unwritable());
        row(rows, "bench: unwritable --markdown", "bench", "--markdown", unwritable());
        row(rows, "bench: unwritable --html", "bench", "--html", unwritable());
        row(rows, "bench: --from with a run option", "bench", "--from", "x.json", "--quick");

        row(rows, "demo: bad --swarm", "demo", "--redis", "redis://:" + PASSWORD + "@host:6379", "--swarm", "a.b");
        row(rows, "swarm: no subcommand", "swarm");
        row(rows, "swarm drop: no --swarm", "swarm", "drop", "--redis", "redis://h:6379");
        row(rows, "swarm drop: bad --swarm", "swarm", "drop", "--redis", "redis://h:6379", "--swarm", "a.b");
        row(
                rows,
                "swarm drop: URI with a password",
                "swarm",
                "drop",
                "--redis",
                "redis://ops:" + PASSWORD + "@h:6379",
                "--swarm",
                "x");
        row(rows, "swarm drop: old URI form", "swarm", "drop", "--redis", "redis://h:6379/x", "--swarm", "x");

        row(rows, "snapshot: no subcommand", "snapshot");
        row(rows, "snapshot: unknown subcommand", "snapshot", "nope");
        row(rows, "snapshot inspect: missing file", "snapshot", "inspect");
        row(rows, "snapshot verify: unknown option", "snapshot", "verify", "--nope", "x");
        row(rows, "snapshot export: no format", "snapshot", "export", "a", "b");
        row(rows, "snapshot export: unwritable OUT", "snapshot", "export", "--json", "a", unwritable());
        row(rows, "snapshot sample: --json with --compress", "snapshot", "sample", "--json", "--compress", "x");
        row(rows, "snapshot sample: unwritable FILE", "snapshot", "sample", unwritable());

        String token = "--token-file=" + aFile;
        row(rows, "agents: bad --url", "agents", "--url", "localhost:7070", token);
        row(
                rows,
                "agents: tokens file missing",
                "agents",
                "--token-file",
                dir.resolve("none").toString());
        row(rows, "agents: Redis URI with a password", "agents", "--redis", uri, "--swarm", "x");
        row(rows, "tasks: bad status", "tasks", "--status", "DONE", token);
        row(rows, "tasks: zero limit", "tasks", "--limit", "0", token);
        row(rows, "leaders: no group", "leaders", token);
        row(rows, "memory: no subcommand", "memory");
        row(rows, "memory put: not JSON", "memory", "put", "ns", "k", "{oops", token);
        row(rows, "tail: zero count", "tail", "a.>", "--count", "0", token);
        row(rows, "pub: not JSON", "pub", "a.b", "nope", token);
        row(rows, "send: missing payload", "send", "w1", "hello", token);
        row(rows, "metrics: --url with --format json", "metrics", "--url", "http://127.0.0.1:1", "--format", "json");
        return rows;
    }

    private static void row(List<Arguments> rows, String name, String... args) {
        rows.add(Arguments.of(name, args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void run_badInvocation_exit2OneLineAndTheHelpHint(String name, String[] args) {
        Captured result = capture(args);

        String all = result.out() + result.err();
        assertThat(result.code()).as(name + ": " + all).isEqualTo(2);
        List<String> lines = result.err().lines().toList();
        assertThat(lines).as(all).hasSize(2);
        assertThat(lines.get(0)).as(all).startsWith("colony").contains(": ");
        assertThat(lines.get(1)).as(all).matches("see `colony( [a-z]+)* --help`");
        assertThat(result.out()).as(all).isEmpty();
        assertThat(all).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain(PASSWORD);
    }
}
