package dev.colony.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.colony.Colony;
import dev.colony.redis.RedisBackend;
import dev.colony.validation.Harness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the shipped modules (colony-core, colony-redis, colony-validation, colony-cli), checked on
 * their compiled classes: no package depends on itself through others, {@code dev.colony.internal} is used
 * only inside colony-core, the harness's packages are layered (results, then scenarios and reports; never
 * the CLI), and every shipped module is a named module. See docs/adr/0025-backend-spi-and-layers.md and
 * docs/adr/0028-validation-harness-module.md.
 */
class ArchitectureTest {
    private static JavaClasses shipped;

    @BeforeAll
    static void importShippedClasses() {
        shipped = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("colony-bench"))
                .importPackages("dev.colony");
    }

    @Test
    void packages_dependOnEachOther_withoutCycles() {
        slices().matching("dev.colony.(**)")
                .should()
                .beFreeOfCycles()
                .because("a package cycle makes the layers impossible to read or to split (issue 15)")
                .check(shipped);
    }

    /**
     * The same rule computed here as strongly connected components of the package graph, because
     * ArchUnit's cycle search reports a bounded number of cycles: every package group that depends on
     * itself is named at once.
     */
    @Test
    void packageGraph_hasNoStronglyConnectedGroup() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass type : shipped) {
            Set<String> targets = graph.computeIfAbsent(type.getPackageName(), name -> new TreeSet<>());
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String target = dependency.getTargetClass().getPackageName();
                if (target.startsWith("dev.colony") && !target.equals(type.getPackageName())) {
                    targets.add(target);
                }
            }
        }
        assertThat(PackageCycles.of(graph))
                .as("package groups that depend on themselves")
                .isEmpty();
    }

    @Test
    void internal_isUsedOnlyInsideColonyCore() {
        noClasses()
                .that(outsideColonyCore())
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.colony.internal..")
                .because("dev.colony.internal is not exported: other modules build on dev.colony.spi and the API")
                .check(shipped);
    }

    @Test
    void validationResults_dependOnNoScenarioNorReport() {
        noClasses()
                .that()
                .resideInAPackage("dev.colony.validation")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.colony.validation.scenarios..", "dev.colony.validation.report..")
                .because("the results, the loop and the goals are the layer scenarios and reports build on (ADR 0028)")
                .check(shipped);
    }

    @Test
    void validationScenarios_dependOnNoReport() {
        noClasses()
                .that()
                .resideInAPackage("dev.colony.validation.scenarios..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.colony.validation.report..")
                .because("a scenario records figures; how they are shown is the reports' business (ADR 0028)")
                .check(shipped);
    }

    @Test
    void validation_dependsOnNeitherTheCliNorRedisInternals() {
        noClasses()
                .that()
                .resideInAPackage("dev.colony.validation..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.colony.cli..", "dev.colony.redis..", "picocli..")
                .because("the harness runs through Colony's public API; the CLI is a thin layer over it (ADR 0028)")
                .check(shipped);
    }

    @Test
    void shippedModules_areNamedModules() throws Exception {
        for (Class<?> member : List.of(Colony.class, RedisBackend.class, Harness.class, Main.class)) {
            Path root = Path.of(
                    member.getProtectionDomain().getCodeSource().getLocation().toURI());
            boolean named =
                    Files.isDirectory(root) ? Files.exists(root.resolve("module-info.class")) : hasModuleInfo(root);
            assertThat(named)
                    .as("a module-info.class beside %s in %s", member.getName(), root)
                    .isTrue();
        }
    }

    private static boolean hasModuleInfo(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry("module-info.class") != null;
        }
    }

    private static DescribedPredicate<JavaClass> outsideColonyCore() {
        return DescribedPredicate.describe(
                "are outside colony-core",
                type -> type.getSource()
                        .map(source -> !source.getUri().toString().contains("colony-core"))
                        .orElse(true));
    }
}
