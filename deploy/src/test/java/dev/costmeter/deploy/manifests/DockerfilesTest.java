package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles copy only what the documented build step ({@code deploy/docker/build-context.sh})
 * produces, run unprivileged, and expose and health-check the port each app listens on.
 */
class DockerfilesTest {

    private static final Pattern MODULE_JAR = Pattern.compile("([a-z-]+)/target/([^/]+\\.jar)");
    private static final Pattern MODULE_LIB = Pattern.compile("([a-z-]+)/target/docker-lib/?");
    private static final Pattern PLUGIN_DIR = Pattern.compile("sink-connectors/target/plugin/([^/]+)/?");
    private static final Pattern HEALTH_URL = Pattern.compile("http://localhost:(\\d+)(/\\S*)");

    @Test
    void shouldHaveADockerfileForEveryAppAndBothConnectImages() {
        assertThat(Dockerfile.all()).extracting(Dockerfile::name)
                .contains("registry", "metering-stream", "alerting-stream", "connect", "connect-strimzi");
    }

    @Test
    void shouldCopyOnlyWhatTheDocumentedBuildStepProduces() {
        String script = DeployFiles.read(DeployFiles.resolve("docker/build-context.sh"));
        for (Dockerfile dockerfile : Dockerfile.all()) {
            for (Dockerfile.Instruction copy : dockerfile.all("COPY")) {
                List<String> words = copy.words();
                for (String source : words.subList(0, words.size() - 1)) {
                    assertProduced(dockerfile, source, script);
                }
            }
        }
    }

    @Test
    void shouldRunEveryImageAsAnUnprivilegedUser() {
        for (Dockerfile dockerfile : Dockerfile.all()) {
            List<Dockerfile.Instruction> users = dockerfile.all("USER");
            assertThat(users).as(dockerfile.name() + " sets USER").isNotEmpty();
            String last = users.get(users.size() - 1).arguments().split(":")[0];
            assertThat(last).as(dockerfile.name() + " ends as a non-root user").isNotIn("root", "0");
        }
    }

    @Test
    void shouldExposeAndHealthCheckThePortEachAppListensOn() {
        for (App app : App.values()) {
            Dockerfile dockerfile = Dockerfile.parse(DeployFiles.resolve("docker/" + app.appName() + ".Dockerfile"));
            assertThat(dockerfile.all("EXPOSE")).extracting(Dockerfile.Instruction::arguments).as(app.appName())
                    .containsExactly(Integer.toString(app.defaultHttpPort()));
            Matcher health = HEALTH_URL.matcher(dockerfile.all("HEALTHCHECK").get(0).arguments());
            assertThat(health.find()).as(app.appName() + " HEALTHCHECK calls the app").isTrue();
            assertThat(Integer.parseInt(health.group(1))).as(app.appName()).isEqualTo(app.defaultHttpPort());
            assertThat(health.group(2)).as(app.appName()).isEqualTo(app.isStreamsApp() ? App.READY_PATH : "/");
        }
    }

    @Test
    void shouldStartEachAppsMainClass() throws Exception {
        for (App app : App.values()) {
            Dockerfile dockerfile = Dockerfile.parse(DeployFiles.resolve("docker/" + app.appName() + ".Dockerfile"));
            String entrypoint = dockerfile.all("ENTRYPOINT").get(0).arguments();

            assertThat(entrypoint).as(app.appName()).contains("\"" + app.mainClass() + "\"");
            assertThat(AppClasses.load(app.mainClass()).getMethod("main", String[].class)).isNotNull();
        }
    }

    @Test
    void shouldPutTheConnectPluginWhereTheWorkerLooksForIt() throws Exception {
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(DeployFiles.resolve("docker/connect/worker.properties"))) {
            worker.load(in);
        }
        Dockerfile connect = Dockerfile.parse(DeployFiles.resolve("docker/connect.Dockerfile"));
        String pluginDestination = connect.all("COPY").stream().map(Dockerfile.Instruction::words)
                .filter(w -> w.get(0).startsWith("sink-connectors/")).map(w -> w.get(w.size() - 1))
                .findFirst().orElseThrow();
        assertThat(Path.of(pluginDestination).getParent()).isEqualTo(Path.of(worker.getProperty("plugin.path")));

        Dockerfile strimzi = Dockerfile.parse(DeployFiles.resolve("docker/connect-strimzi.Dockerfile"));
        assertThat(strimzi.all("COPY")).extracting(c -> c.words().get(c.words().size() - 1))
                .allMatch(destination -> destination.startsWith("/opt/kafka/plugins/"), "under Strimzi's /opt/kafka/plugins");
    }

    private static void assertProduced(Dockerfile dockerfile, String source, String script) {
        String where = dockerfile.name() + ": COPY " + source;
        Matcher jar = MODULE_JAR.matcher(source);
        Matcher lib = MODULE_LIB.matcher(source);
        Matcher plugin = PLUGIN_DIR.matcher(source);
        if (jar.matches()) {
            String module = jar.group(1);
            assertThat(jar.group(2)).as(where + " is the jar the module's pom names")
                    .isEqualTo(Poms.artifactId(module) + "-" + Poms.version(module) + ".jar");
            assertBuiltBy(script, module, where);
        } else if (lib.matches()) {
            assertThat(script).as(where + ": the build step copies dependencies there")
                    .contains("dependency:copy-dependencies").contains("-DoutputDirectory=target/docker-lib");
            assertBuiltBy(script, lib.group(1), where);
        } else if (plugin.matches()) {
            assertThat(plugin.group(1)).as(where + " is the plugin directory sink-connectors' pom assembles")
                    .isEqualTo(Poms.property("sink-connectors", "plugin.name"));
            assertThat(Poms.property("sink-connectors", "plugin.dir")).isEqualTo("${project.build.directory}/plugin");
            assertBuiltBy(script, "sink-connectors", where);
        } else {
            assertThat(DeployFiles.repositoryRoot().resolve(source)).as(where + " is a file of the checkout").exists();
            assertThat(source).as(where + " does not copy build output").doesNotContain("target/");
        }
    }

    private static void assertBuiltBy(String script, String module, String where) {
        assertThat(DeployFiles.repositoryRoot().resolve(module).resolve("pom.xml")).as(where).exists();
        assertThat(script).as(where + ": build-context.sh builds " + module).containsPattern("\\b" + module + "\\b");
    }
}
