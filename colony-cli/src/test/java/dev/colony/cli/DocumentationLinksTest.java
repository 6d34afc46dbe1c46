package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's documentation points only at files the repository holds: every relative Markdown link in
 * README.md, BENCHMARKS.md, CONTRIBUTING.md and docs/ resolves to an existing file or directory, and no page
 * cites the workload specification by a name outside the repository.
 */
class DocumentationLinksTest {
    /** A Markdown link's target: {@code [text](target)}, up to a space, a closing parenthesis or a fragment. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]*)(#[^)\\s]*)?\\)");

    /**
     * The names the specification had outside the repository, spelled in pieces so that a search of the
     * repository for the old citation does not find this test.
     */
    private static final List<String> OUTSIDE_NAMES =
            List.of("workloads".toUpperCase(Locale.ROOT) + ".md", "../" + "shared" + "/");

    @Test
    void relativeLinks_inReadmeBenchmarksAndDocs_pointToExistingFiles() throws IOException {
        Path root = repositoryRoot();
        List<String> dead = new ArrayList<>();
        List<Path> pages = pages(root);
        for (Path page : pages) {
            for (String target : relativeTargets(Files.readString(page))) {
                if (!Files.exists(page.getParent().resolve(target).normalize())) {
                    dead.add(root.relativize(page) + " -> " + target);
                }
            }
        }
        assertThat(pages).hasSizeGreaterThan(10);
        assertThat(dead).as("dead relative links").isEmpty();
    }

    @Test
    void pages_citingTheWorkloads_nameTheFileInTheRepository() throws IOException {
        Path root = repositoryRoot();
        List<String> outside = new ArrayList<>();
        for (Path page : pages(root)) {
            String text = Files.readString(page);
            if (OUTSIDE_NAMES.stream().anyMatch(text::contains)) {
                outside.add(root.relativize(page).toString());
            }
        }
        assertThat(outside)
                .as("pages citing a workload file outside the repository")
                .isEmpty();
    }

    @Test
    void relativeTargets_ofLinksOutsideCodeFences_skipUrlsAndAnchors() {
        String text =
                "[a](docs/x.md#part) [b](https://example.org) [c](#anchor)\n```\n[d](in-fence.md)\n```\n[e](../y/)";

        assertThat(relativeTargets(text)).containsExactly("docs/x.md", "../y/");
    }

    /** The top-level Markdown pages and everything under docs/. */
    private static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>();
        for (String name : List.of("README.md", "BENCHMARKS.md", "CONTRIBUTING.md")) {
            pages.add(root.resolve(name));
        }
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The relative link targets of a Markdown text, without fragments; links inside code fences are not links. */
    static List<String> relativeTargets(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                String target = m.group(1);
                if (!target.isEmpty() && !target.contains(":")) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    /** The repository root: the nearest directory, from the module's working directory up, with BENCHMARKS.md. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("BENCHMARKS.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("a directory with BENCHMARKS.md above " + Path.of("").toAbsolutePath())
                .isNotNull();
        return dir;
    }
}
