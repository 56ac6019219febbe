package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every series the Grafana dashboard and the Prometheus rules query is one the apps register, with
 * the labels it uses, and every ledger column the SQL panels read is one the sink's migrations create.
 * The registered series come from the apps themselves (see {@link RegisteredMetrics}).
 */
class MetricsTest {

    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    private static final Set<String> SQL_WORDS = Set.of("select", "as", "from", "where", "and", "or", "group", "by",
            "order", "sum", "count", "min", "max", "avg", "nullif", "coalesce", "numeric", "bigint", "time", "metric",
            "costmeter", "not", "null", "is", "in", "case", "when", "then", "else", "end", "desc", "asc", "limit");
    private static final Pattern SQL_STRING = Pattern.compile("'[^']*'");
    private static final Pattern SQL_ALIAS = Pattern.compile("\\bas\\s+[a-z_][a-z0-9_]*");
    private static final Pattern SQL_IDENTIFIER = Pattern.compile("(?<![\\w$])([a-z_][a-z0-9_]*)");

    @TempDir
    static Path stateDir;
    private static Map<String, Set<String>> registered;

    @BeforeAll
    static void collectRegisteredSeries() {
        registered = RegisteredMetrics.all(stateDir);
    }

    @Test
    void shouldQueryOnlySeriesTheAppsRegisterInTheDashboard() {
        List<String> expressions = dashboardTargets("prometheus").stream().map(t -> t.path("expr").asText()).toList();

        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
        expressions.forEach(expr -> assertRegistered(expr, "dashboard"));
    }

    @Test
    void shouldQueryOnlySeriesTheAppsRegisterInThePrometheusRules() {
        List<String> expressions = new ArrayList<>();
        for (Path file : DeployFiles.filesEndingWith(".yml", ".yaml")) {
            if (file.startsWith(DeployFiles.resolve("prometheus/rules"))) {
                DeployFiles.yamlDocuments(file).forEach(doc -> doc.path("groups")
                        .forEach(g -> g.path("rules").forEach(r -> expressions.add(r.path("expr").asText()))));
            }
        }

        assertThat(expressions).isNotEmpty();
        expressions.forEach(expr -> assertRegistered(expr, "rules"));
    }

    @Test
    void shouldReadOnlyLedgerColumnsAndTablesTheMigrationsCreate() {
        String migrations = migrationsText().toLowerCase(Locale.ROOT);
        List<JsonNode> targets = dashboardTargets("grafana-postgresql-datasource");

        assertThat(targets).isNotEmpty();
        for (JsonNode target : targets) {
            String sql = SQL_STRING.matcher(target.path("rawSql").asText().toLowerCase(Locale.ROOT)).replaceAll("''");
            // An alias names an output column, not a column of the ledger.
            sql = SQL_ALIAS.matcher(sql).replaceAll(" ");
            Matcher identifier = SQL_IDENTIFIER.matcher(sql);
            while (identifier.find()) {
                String word = identifier.group(1);
                if (!SQL_WORDS.contains(word) && !word.startsWith("__")) {
                    assertThat(migrations).as("SQL panel reads %s", word).containsPattern("\\b" + word + "\\b");
                }
            }
        }
    }

    @Test
    void shouldUseOnlyProvisionedDatasources() {
        Set<String> provisioned = new TreeSet<>();
        DeployFiles.yaml("grafana/provisioning/datasources/costmeter.yml").path("datasources")
                .forEach(ds -> provisioned.add(ds.path("type").asText() + "/" + ds.path("uid").asText()));
        Set<String> used = new TreeSet<>();
        panels().forEach(panel -> {
            used.add(panel.path("datasource").path("type").asText() + "/" + panel.path("datasource").path("uid").asText());
            panel.path("targets").forEach(t -> used.add(t.path("datasource").path("type").asText() + "/"
                    + t.path("datasource").path("uid").asText()));
        });

        assertThat(used).isEqualTo(provisioned);
    }

    @Test
    void shouldShowWhatTheIssueAsksOfTheDashboard() {
        String titles = String.join("\n", panels().stream().map(p -> p.path("title").asText().toLowerCase(Locale.ROOT)).toList());

        assertThat(titles).contains("spend rate by route and model", "cache hit rate", "retr", "dead-letter",
                "alerts", "switch", "consumer lag");
    }

    private static void assertRegistered(String expression, String where) {
        Map<String, Set<String>> selected = PromQl.selectors(expression);
        assertThat(selected).as(where + ": " + expression).isNotEmpty();
        Set<String> available = new TreeSet<>(TARGET_LABELS);
        selected.forEach((series, labels) -> {
            assertThat(registered).as("%s: %s reads %s", where, expression, series).containsKey(series);
            assertThat(registered.get(series)).as("%s: labels of %s", where, series)
                    .containsAll(labels.stream().filter(l -> !TARGET_LABELS.contains(l)).toList());
            available.addAll(registered.get(series));
        });
        assertThat(available).as("%s: grouping labels of %s", where, expression)
                .containsAll(PromQl.groupingLabels(expression));
    }

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        DeployFiles.json("grafana/costmeter-dashboard.json").path("panels").forEach(p -> {
            if (!p.path("type").asText().equals("row")) {
                panels.add(p);
            }
            p.path("panels").forEach(panels::add);
        });
        return panels;
    }

    private static List<JsonNode> dashboardTargets(String datasourceType) {
        List<JsonNode> targets = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                JsonNode ds = target.has("datasource") ? target.path("datasource") : panel.path("datasource");
                if (ds.path("type").asText().equals(datasourceType)) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    private static String migrationsText() {
        Path dir = DeployFiles.repositoryRoot()
                .resolve("sink-connectors/src/main/resources/dev/costmeter/connect/ledger/migrations");
        Map<String, String> scripts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".sql")).sorted()
                    .forEach(f -> scripts.put(f.getFileName().toString(), DeployFiles.read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(scripts).isNotEmpty();
        return String.join("\n", scripts.values());
    }
}
