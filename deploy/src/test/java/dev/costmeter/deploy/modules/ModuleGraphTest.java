package dev.costmeter.deploy.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The module graph read from the poms has no cycle, and every module's README says in its first
 * paragraph which modules it uses (issue #16: a newcomer learns a module's place from its README).
 */
class ModuleGraphTest {

    @Test
    void shouldHaveNoCycleInTheModuleGraph() throws IOException {
        ModuleGraph graph = ModuleGraph.read(root());
        assertThat(graph.dependencies()).as("modules read from the root pom").containsKeys("schemas", "deploy", "local-stack");
        assertThat(graph.cycle()).as("a cycle in " + graph.dependencies()).isEmpty();
    }

    @Test
    void shouldNameInTheFirstParagraphOfEveryModuleReadmeTheModulesItsPomDependsOn() throws IOException {
        ModuleGraph graph = ModuleGraph.read(root());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> module : graph.dependencies().entrySet()) {
            Path readme = root().resolve(module.getKey()).resolve("README.md");
            if (!Files.exists(readme)) {
                problems.add(module.getKey() + ": no README.md");
                continue;
            }
            ModuleReadme first = ModuleReadme.read(readme);
            if (first.firstParagraph().isBlank()) {
                problems.add(module.getKey() + "/README.md: no first paragraph");
            }
            for (String used : module.getValue()) {
                if (!first.names(used)) {
                    problems.add(module.getKey() + "/README.md: its first paragraph does not name " + used
                            + ", which its pom depends on");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldFindACycleThroughATestScopeDependency() {
        Map<String, Set<String>> modules = new LinkedHashMap<>();
        modules.put("schemas", Set.of());
        modules.put("client", Set.of("schemas", "local-stack"));
        modules.put("local-stack", Set.of("client", "schemas"));
        assertThat(new ModuleGraph(modules).cycle()).hasValueSatisfying(
                cycle -> assertThat(cycle).containsExactly("client", "local-stack", "client"));
    }

    @Test
    void shouldFindNoCycleInALayeredGraph() {
        Map<String, Set<String>> modules = new LinkedHashMap<>();
        modules.put("schemas", Set.of());
        modules.put("client", Set.of("schemas"));
        modules.put("local-stack", Set.of("client", "schemas"));
        assertThat(new ModuleGraph(modules).cycle()).isEmpty();
    }

    @Test
    void shouldReadTheFirstParagraphAfterTheTitleAndMatchWholeModuleNames() {
        ModuleReadme readme = ModuleReadme.parse("""
                # metering

                Prices usage with the `pricing` module,
                on costmeter-schemas.

                Later text names registry.
                """);
        assertThat(readme.firstParagraph()).isEqualTo("Prices usage with the `pricing` module, on costmeter-schemas.");
        assertThat(readme.names("pricing")).isTrue();
        assertThat(readme.names("schemas")).as("part of an artifact id, not the module's name").isFalse();
        assertThat(readme.names("registry")).as("outside the first paragraph").isFalse();
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy").resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No deploy/pom.xml above " + Path.of("").toAbsolutePath());
    }
}
